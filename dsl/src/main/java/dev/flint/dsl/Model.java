package dev.flint.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a model class for the Flint compiler. The class extends {@code dev.flint.nn.Module}, is not
 * final or private, and has exactly one {@link Forward} method; the processor writes
 * {@code Compiled<Name> extends <Name>} beside it with straight-line forward and backward code.
 *
 * <pre>{@code
 * @Model
 * public class Mlp extends Module {
 *   @Layer Linear fc1 = new Linear(784, 128);
 *   @Layer Linear fc2 = new Linear(128, 10);
 *
 *   @Forward
 *   public Tensor forward(Tensor x) {
 *     Tensor h = F.relu(fc1.forward(x));
 *     return fc2.forward(h);
 *   }
 * }
 *
 * Mlp model = new CompiledMlp();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
  /**
   * The input shape of one sample, without the batch dimension (for example {@code {784}} or
   * {@code {1, 28, 28}}), used to check shapes at compile time. Empty means: infer it from the first
   * layer that consumes the input ({@code Linear}, {@code LayerNorm}, {@code BatchNorm1d}, also inside a
   * {@code Sequential} or nested model; an {@code Embedding} first reads a sequence of any length
   * {@code T}, as {@code inputDims = {"T"}}). Where that is impossible (a {@code Conv2d}
   * first), the processor warns {@code [input-shape-needed]} and {@code Compiled<Name>} keeps the eager
   * {@code forward}: give the shape here.
   */
  int[] input() default {};

  /**
   * The input shape of one sample with named sizes, for inputs whose sizes vary beyond the batch: a
   * sequence of {@code T} steps of 64 features is {@code {"T", "64"}}. Each entry is a positive
   * number or a name of capital letters and digits ({@code T}, {@code L}, {@code H2}; not {@code B},
   * the batch size; each name once). The
   * processor checks shapes symbolically, with errors such as {@code expects [B, T, 128], got
   * [B, T, 64]}, and the compiled model takes any value of each named size at run time. A name may
   * carry a bound, {@code "T<=64"} (a GPT's block size): the compiled model then refuses a longer input,
   * and a {@code narrow} that a T up to the bound would carry past a dim of known size (a position table
   * of 32 rows) is a compile-time error. An {@code Embedding} first reading {@code [B, T]} token ids
   * takes {@code {"T<=64"}}. Give either this or {@link #input}, not both.
   */
  String[] inputDims() default {};

  /**
   * The most parameters the model may have; a larger model fails the build with an {@code [over-budget]}
   * error naming the count, the budget and the three largest layers. 0, the default, sets no budget; a
   * budget given must be positive.
   */
  long maxParameters() default 0;

  /**
   * The most forward FLOPs per sample (as the summary counts them: 2mnk for products and convolutions,
   * one per element otherwise); over it, an {@code [over-budget]} error names the three largest source
   * lines. 0, the default, sets no budget.
   */
  long maxFlopsPerSample() default 0;

  /**
   * The most bytes of activations the training-mode forward may keep for the backward pass per sample
   * (FLOAT32); over it, an {@code [over-budget]} error names the three largest source lines. 0, the
   * default, sets no budget.
   */
  long maxSavedBytesPerSample() default 0;
}
