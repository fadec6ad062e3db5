package dev.flint.examples.training;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The command line every example accepts: {@code [--epochs N] [--out DIR] [--seed S] [--eager]}.
 * {@code --out} defaults to {@code runs/<example>/} under the working directory; {@code --eager}
 * trains the model op by op instead of through its compiled class.
 *
 * @param epochs the number of passes over the training data
 * @param out the directory the run writes its files into
 * @param seed the seed of the data split, the shuffling and the initial weights
 * @param eager whether to run the model eagerly rather than compiled
 */
public record RunOptions(int epochs, Path out, long seed, boolean eager) {
  public RunOptions {
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, but got " + epochs);
    }
  }

  /** Thrown for a command line the example cannot run; its message says what was expected. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Reads {@code args}, defaulting to {@code defaultEpochs} epochs, {@code runs/<example>} and seed 0. */
  public static RunOptions parse(String example, int defaultEpochs, String... args) {
    int epochs = defaultEpochs;
    Path out = Path.of("runs", example);
    long seed = 0;
    boolean eager = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--epochs" -> epochs = parseInt(arg, value(args, i++), 1);
        case "--out" -> out = Path.of(value(args, i++));
        case "--seed" -> seed = parseLong(arg, value(args, i++));
        case "--eager" -> eager = true;
        case "-h", "--help" -> throw new UsageException(usage(example, defaultEpochs));
        default -> throw new UsageException("unknown argument '" + arg + "'\n" + usage(example, defaultEpochs));
      }
    }
    return new RunOptions(epochs, out, seed, eager);
  }

  /** The help text of {@code example}. */
  public static String usage(String example, int defaultEpochs) {
    return String.format(Locale.ROOT, "usage: %s [--epochs N] [--out DIR] [--seed S] [--eager]%n"
        + "  --epochs N  passes over the training data (default %d)%n"
        + "  --out DIR   where to write the loss curve, model and predictions (default runs/%s)%n"
        + "  --seed S    seed of the split, the shuffling and the initial weights (default 0)%n"
        + "  --eager     run the model op by op instead of through its compiled class", example, defaultEpochs, example);
  }

  private static String value(String[] args, int i) {
    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
      throw new UsageException(args[i] + " needs a value, but none was given");
    }
    return args[i + 1];
  }

  private static int parseInt(String flag, String text, int min) {
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

  private static long parseLong(String flag, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " expects a whole number, but got '" + text + "'");
    }
  }
}
