package dev.flint.kernel;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The one warning a JVM started without {@code --add-modules jdk.incubator.vector} gets, through
 * {@link System.Logger} (as Lucene does for its vector codecs), so that a user who never read the
 * README learns why FLOAT32 products are slow and how to fix it. {@link VectorTier} logs it once,
 * when the first kernel asks for the tier, from a thread of its own. Nothing is logged when the user turned the tier off with
 * {@code -Dflint.vector=false}: that is a choice, not an oversight.
 */
final class VectorModuleWarning implements Runnable {
  /** The logger's name: the class that decides, as {@code System.getLogger} users expect. */
  static final String LOGGER = VectorTier.class.getName();

  /**
   * What the warning says: the flag, the slowdown measured without it (benchmarks/README.md, "No
   * vector module") and how to silence it.
   */
  static final String MESSAGE = "Flint: the jdk.incubator.vector module is not loaded, so FLOAT32 matrix products"
      + " and elementwise ops run on pure-Java kernels, up to 3x slower than with the Vector API (large"
      + " products and small-MLP training; convolutions about 1.3x). Start java with"
      + " --add-modules jdk.incubator.vector to use it (-Dflint.vector=false keeps the pure-Java kernels"
      + " and silences this warning).";

  /** Logs the warning to the {@link #LOGGER} system logger ({@link VectorTier} runs it on a thread of its own). */
  @Override
  public void run() {
    log(System.getLogger(LOGGER));
  }

  /** Whether to warn: the module is missing and the user did not ask for the pure-Java kernels. */
  static boolean applies(boolean modulePresent, String property) {
    return !modulePresent && (property == null || !property.trim().equalsIgnoreCase("false"));
  }

  /** Logs the warning to {@code log} at {@link Level#WARNING}. */
  static void log(Logger log) {
    log.log(Level.WARNING, MESSAGE);
  }
}
