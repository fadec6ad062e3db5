/**
 * A character-level GPT on tinyshakespeare: the model ({@link dev.flint.examples.gpt.Gpt},
 * {@link dev.flint.examples.gpt.GptBlock}), the data ({@link dev.flint.examples.gpt.ShakespeareData},
 * {@link dev.flint.examples.gpt.CharVocabulary}, {@link dev.flint.examples.gpt.TokenBatches}), the
 * training program ({@link dev.flint.examples.gpt.GptExample}) and text generation from a checkpoint
 * ({@link dev.flint.examples.gpt.GptSample}, {@link dev.flint.examples.gpt.Sampler},
 * {@link dev.flint.examples.gpt.Generation}, {@link dev.flint.examples.gpt.KvCache}).
 */
package dev.flint.examples.gpt;
