package dev.flint.kernel;

import dev.flint.kernel.vector.VectorMatMul;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether the optional Vector API tier ({@link dev.flint.kernel.vector}) is in use: only when the
 * {@code jdk.incubator.vector} module is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}) and it is not disabled with {@code -Dflint.vector=false}.
 * Decided once, when a kernel first asks; without the module that moment also logs
 * {@link VectorModuleWarning}, once per JVM.
 *
 * <p>Callers must test {@link #ENABLED} (or {@link #active()}) before touching {@link VectorMatMul},
 * so that without the module the JVM never loads a class that links incubator types.
 *
 * <p>Warm-up: until C2 compiles the tier's kernels every vector is a boxed object (a mid-sized product
 * takes seconds instead of a fraction of a millisecond), so {@link VectorMatMul#warmUp()} runs them on
 * tiny operands until they run compiled, which takes 0.1 s on an idle machine and up to its 3 s limit
 * on a busy one. That used to run on the first kernel call, and made a program's first prediction
 * wait for it (1.1 s median, issue 13). It now runs on a daemon thread started by the first kernel
 * call, and kernels ask {@link #active()}, which stays false, so they take the pure-Java loops, until
 * it is done. {@code -Dflint.vector.warmup=inline} restores the wait (a benchmark that must time the
 * vector kernels from its first call); {@link #awaitWarmUp()} waits for the background one.
 */
final class VectorTier {
  /** The system property that disables the tier when set to {@code false}. */
  static final String PROPERTY = "flint.vector";
  /** The system property that chooses where the warm-up runs: {@code background} (default) or {@code inline}. */
  static final String WARMUP_PROPERTY = "flint.vector.warmup";
  static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  static final boolean ENABLED = enabled(MODULE_PRESENT, System.getProperty(PROPERTY));

  /** Counted down when the warm-up is over (at once when the tier is off). */
  private static final CountDownLatch WARM = new CountDownLatch(1);
  /** Whether the vector kernels are warm: read by every kernel call, written once. */
  private static volatile boolean warm;

  static {
    if (VectorModuleWarning.applies(MODULE_PRESENT, System.getProperty(PROPERTY))) {
      VectorModuleWarning.log(System.getLogger(VectorModuleWarning.LOGGER));
    }
    if (!ENABLED) {
      WARM.countDown();
    } else if ("inline".equalsIgnoreCase(System.getProperty(WARMUP_PROPERTY, "").trim())) {
      warmUp();
    } else {
      Thread t = new Thread(VectorTier::warmUp, "flint-vector-warmup");
      t.setDaemon(true);
      t.start();
    }
  }

  private VectorTier() {}

  /** Whether kernels should take the vector tier now: enabled, and its warm-up is over. */
  static boolean active() {
    return warm;
  }

  /**
   * Waits until the warm-up is over, so that the next kernel call takes the vector tier (returns at
   * once when the tier is off); true unless the timeout passed first.
   */
  static boolean awaitWarmUp(long timeout, TimeUnit unit) throws InterruptedException {
    return WARM.await(timeout, unit);
  }

  private static void warmUp() {
    try {
      VectorMatMul.warmUp();
    } finally {
      warm = true;
      WARM.countDown();
    }
  }

  /** The decision rule: the module must be present and the property must not say {@code false}. */
  static boolean enabled(boolean modulePresent, String property) {
    return modulePresent && (property == null || !property.trim().equalsIgnoreCase("false"));
  }

  /** What runs single-precision products: "vector-api (N lanes)" or "plain-java". */
  static String describe() {
    return ENABLED ? "vector-api (" + VectorMatMul.lanes() + " lanes)" : "plain-java";
  }
}
