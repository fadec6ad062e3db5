package dev.flint.examples.gpt;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The characters of a text, sorted, each with its index as the token id (nanoGPT's
 * {@code shakespeare_char} vocabulary: 65 characters for tinyshakespeare, {@code '\n'} first).
 */
public final class CharVocabulary {
  private final String chars;
  private final int[] ids = new int[Character.MAX_VALUE + 1];

  private CharVocabulary(String chars) {
    this.chars = chars;
    Arrays.fill(ids, -1);
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      if (ids[c] >= 0) {
        throw new IllegalArgumentException("vocabulary: the character " + describe(c) + " appears twice in " + quote(chars));
      }
      ids[c] = i;
    }
  }

  /** The sorted distinct characters of {@code text}. */
  public static CharVocabulary of(String text) {
    TreeSet<Character> set = new TreeSet<>();
    for (int i = 0; i < text.length(); i++) {
      set.add(text.charAt(i));
    }
    StringBuilder s = new StringBuilder(set.size());
    set.forEach(s::append);
    return new CharVocabulary(s.toString());
  }

  /** The vocabulary whose token {@code i} is {@code chars.charAt(i)} (as {@link #chars()} gave it). */
  public static CharVocabulary fromChars(String chars) {
    return new CharVocabulary(chars);
  }

  /** The characters in token order. */
  public String chars() {
    return chars;
  }

  public int size() {
    return chars.length();
  }

  /** The token ids of {@code text}; a character outside the vocabulary is an error naming it. */
  public int[] encode(String text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      char c = text.charAt(i);
      int id = ids[c];
      if (id < 0) {
        throw new IllegalArgumentException("vocabulary: " + describe(c) + " at position " + i + " of the text is not one of the "
            + size() + " known characters " + quote(chars));
      }
      out[i] = id;
    }
    return out;
  }

  /** The text of {@code tokens}. */
  public String decode(int... tokens) {
    StringBuilder s = new StringBuilder(tokens.length);
    for (int t : tokens) {
      if (t < 0 || t >= size()) {
        throw new IllegalArgumentException("vocabulary: token " + t + " is outside [0, " + size() + ")");
      }
      s.append(chars.charAt(t));
    }
    return s.toString();
  }

  private static String describe(char c) {
    return String.format("'%s' (U+%04X)", Character.isISOControl(c) ? "?" : String.valueOf(c), (int) c);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }
}
