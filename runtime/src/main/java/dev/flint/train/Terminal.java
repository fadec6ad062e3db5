package dev.flint.train;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.util.Locale;

/** What the program knows about its standard output: whether a person watches it live, and its charset. */
final class Terminal {
  private Terminal() {}

  /**
   * Whether standard output is an interactive terminal, so a progress bar may redraw itself in
   * place. The system property {@code flint.progress} overrides the guess: {@code live} or
   * {@code lines}.
   */
  static boolean isInteractive() {
    String forced = System.getProperty("flint.progress", "").toLowerCase(Locale.ROOT);
    if (forced.equals("live")) {
      return true;
    }
    if (forced.equals("lines")) {
      return false;
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // From JDK 22 System.console() is non-null even when redirected; isTerminal() tells the truth there.
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException notBeforeJdk22) {
      return true;
    }
  }

  /** Whether standard output can print {@code c} (a block character needs UTF-8 or similar). */
  static boolean canPrint(char c) {
    String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
    Charset charset;
    try {
      charset = name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (RuntimeException unknown) {
      charset = Charset.defaultCharset();
    }
    return charset.newEncoder().canEncode(c);
  }
}
