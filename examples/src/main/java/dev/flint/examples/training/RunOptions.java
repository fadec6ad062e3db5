package dev.flint.examples.training;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The command line every example accepts:
 * {@code [--epochs N] [--out DIR] [--seed S] [--eager] [--patience P]}. {@code --out} defaults to
 * {@code runs/<example>/} under the working directory; {@code --eager} trains the model op by op
 * instead of through its compiled class; {@code --patience} stops early after P epochs without a
 * better validation loss (default 0: train every epoch).
 *
 * <p>Hand-written rather than picocli: five flags, one parse loop and one usage text are less than
 * the dependency would bring, and the messages stay in our words (see examples/README.md).
 *
 * @param epochs the number of passes over the training data
 * @param out the directory the run writes its files into
 * @param seed the seed of the data split, the shuffling and the initial weights
 * @param eager whether to run the model eagerly rather than compiled
 * @param patience epochs without a better validation loss before training stops; 0 never stops early
 */
public record RunOptions(int epochs, Path out, long seed, boolean eager, int patience) {
  public RunOptions {
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, but got " + epochs);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("--patience must be at least 0, but got " + patience);
    }
  }

  /** Options that train every epoch (no early stopping). */
  public RunOptions(int epochs, Path out, long seed, boolean eager) {
    this(epochs, out, seed, eager, 0);
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
    int patience = 0;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--epochs" -> epochs = parseInt(arg, value(args, i++), 1);
        case "--out" -> out = Path.of(value(args, i++));
        case "--seed" -> seed = parseLong(arg, value(args, i++));
        case "--eager" -> eager = true;
        case "--patience" -> patience = parseInt(arg, value(args, i++), 0);
        case "-h", "--help" -> throw new UsageException(usage(example, defaultEpochs));
        default -> throw new UsageException("unknown argument '" + arg + "'\n" + usage(example, defaultEpochs));
      }
    }
    return new RunOptions(epochs, out, seed, eager, patience);
  }

  /** The help text of {@code example}. */
  public static String usage(String example, int defaultEpochs) {
    return String.format(Locale.ROOT, "usage: %s [--epochs N] [--out DIR] [--seed S] [--eager] [--patience P]%n"
        + "  --epochs N    passes over the training data (default %d)%n"
        + "  --out DIR     where to write the loss curve, model and predictions (default runs/%s)%n"
        + "  --seed S      seed of the split, the shuffling and the initial weights (default 0)%n"
        + "  --eager       run the model op by op instead of through its compiled class%n"
        + "  --patience P  stop after P epochs without a better validation loss (default 0: never)",
        example, defaultEpochs, example);
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
