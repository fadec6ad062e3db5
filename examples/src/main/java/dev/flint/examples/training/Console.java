package dev.flint.examples.training;

import java.util.function.Consumer;

/** Runs an example's {@code main}: parses its command line and turns a usage error into a message and exit code 2. */
public final class Console {
  private Console() {}

  /** Parses {@code args} for {@code example} and passes the options to {@code run}; prints usage errors. */
  public static void launch(String example, int defaultEpochs, String[] args, Consumer<RunOptions> run) {
    RunOptions options;
    try {
      options = RunOptions.parse(example, defaultEpochs, args);
    } catch (RunOptions.UsageException e) {
      boolean help = args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"));
      (help ? System.out : System.err).println(e.getMessage());
      if (!help) {
        System.exit(2);
      }
      return;
    }
    run.accept(options);
  }
}
