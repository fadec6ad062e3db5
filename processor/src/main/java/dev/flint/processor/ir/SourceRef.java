package dev.flint.processor.ir;

import javax.tools.Diagnostic;

/**
 * Where a piece of the model came from: the file, the line, the source text, and an anchor that lets
 * a diagnostic's caret land on the exact expression.
 *
 * @param file the source file's simple name, such as {@code Mlp.java}
 * @param line the 1-based line of the expression's start (0 when unknown)
 * @param text the expression's or statement's source, whitespace collapsed to single spaces
 * @param lineText the whole source line, trimmed, for comments in generated code
 * @param anchor prints a message at the expression; null in IR-level tests
 * @param iteration the iteration of an unrolled loop this code belongs to ({@code i = 2}), or empty
 */
public record SourceRef(String file, int line, String text, String lineText, Anchor anchor, String iteration) {

  /** A reference outside any unrolled loop. */
  public SourceRef(String file, int line, String text, String lineText, Anchor anchor) {
    this(file, line, text, lineText, anchor, "");
  }

  /** This reference inside the unrolled iteration {@code label} ({@code i = 2}, {@code blocks.2}); empty: none. */
  public SourceRef inIteration(String label) {
    return label.isEmpty() ? this : new SourceRef(file, line, text, lineText, anchor, label);
  }

  /** A source position that can print a diagnostic at itself (javac's Trees or an Element). */
  public interface Anchor {
    void print(Diagnostic.Kind kind, String message);
  }

  /** A reference with no position, for IR built by hand in tests and for generated nodes. */
  public static SourceRef none() {
    return new SourceRef("", 0, "", "", null);
  }

  /** A reference for IR-level tests: a file name, line and text, without an anchor. */
  public static SourceRef of(String file, int line, String text) {
    return new SourceRef(file, line, text, text, null);
  }

  /** {@code Mlp.java:13}, or {@code Gpt.java:31 (i = 2)} in an unrolled loop, for comments in generated code. */
  public String location() {
    return file + ":" + line + (iteration.isEmpty() ? "" : " (" + iteration + ")");
  }
}
