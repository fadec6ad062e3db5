package dev.flint.examples.gpt;

/** A cursor over a command line of {@code --flag value} pairs, with messages that say what was expected. */
final class Args {
  private final String usage;
  private final String[] args;
  private int at;

  Args(String usage, String[] args) {
    this.usage = usage;
    this.args = args;
  }

  /** Thrown for a command line the program cannot run; its message says what was expected. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  boolean hasNext() {
    return at < args.length;
  }

  /** The next flag; {@code --help} throws the usage. */
  String next() {
    String flag = args[at++];
    if (flag.equals("--help") || flag.equals("-h")) {
      throw new UsageException(usage);
    }
    return flag;
  }

  UsageException unknown(String flag) {
    return new UsageException("unknown argument '" + flag + "'\n" + usage);
  }

  String value(String flag) {
    if (at >= args.length) {
      throw new UsageException(flag + " needs a value, but none was given");
    }
    return args[at++];
  }

  int intValue(String flag, int min) {
    String text = value(flag);
    try {
      int v = Integer.parseInt(text);
      if (v < min) {
        throw new UsageException(flag + " must be at least " + min + ", but got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " expects a whole number, but got '" + text + "'");
    }
  }

  long longValue(String flag) {
    String text = value(flag);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " expects a whole number, but got '" + text + "'");
    }
  }

  double doubleValue(String flag, double min) {
    String text = value(flag);
    try {
      double v = Double.parseDouble(text);
      if (!(v >= min) || Double.isInfinite(v)) {
        throw new UsageException(flag + " must be a finite number >= " + min + ", but got " + text);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " expects a number, but got '" + text + "'");
    }
  }
}
