package dev.flint.examples.gpt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * tinyshakespeare as token ids: the vocabulary of the whole text, the first 90 % of the tokens for
 * training and the rest for validation (nanoGPT's {@code shakespeare_char} split).
 *
 * @param vocabulary the text's characters
 * @param train the first 90 % of the tokens
 * @param valid the last 10 %
 */
public record ShakespeareData(CharVocabulary vocabulary, int[] train, int[] valid) {
  /** The shipped file (see {@code data/README.md} for where it comes from). */
  public static final String RESOURCE = "/data/tinyshakespeare.txt.gz";

  /** Reads the shipped text and splits it. */
  public static ShakespeareData load() {
    return of(readText());
  }

  /** The vocabulary and the 90/10 split of {@code text}. */
  public static ShakespeareData of(String text) {
    CharVocabulary vocabulary = CharVocabulary.of(text);
    int[] tokens = vocabulary.encode(text);
    int n = (int) (0.9 * tokens.length);
    return new ShakespeareData(vocabulary, Arrays.copyOfRange(tokens, 0, n), Arrays.copyOfRange(tokens, n, tokens.length));
  }

  /** The shipped text, unpacked. */
  public static String readText() {
    try (InputStream raw = ShakespeareData.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from the class path");
      }
      try (InputStream in = new GZIPInputStream(raw)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }
}
