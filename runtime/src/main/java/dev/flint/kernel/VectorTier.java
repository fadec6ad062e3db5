package dev.flint.kernel;

import dev.flint.kernel.vector.VectorMatMul;
import dev.flint.kernel.vector.VectorOptimizers;
import dev.flint.kernel.vector.VectorPool;
import dev.flint.kernel.vector.VectorAttention;
import dev.flint.kernel.vector.VectorConvProducts;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether the optional Vector API tier ({@link dev.flint.kernel.vector}) is in use: only when the
 * {@code jdk.incubator.vector} module is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}) and it is not disabled with {@code -Dflint.vector=false}.
 * Decided once, when a kernel first asks; without the module that moment also logs
 * {@link VectorModuleWarning}, once per JVM, from a thread of its own (below).
 *
 * <p>Callers must test {@link #ENABLED} (or {@link #active()}) before touching {@link VectorMatMul},
 * so that without the module the JVM never loads a class that links incubator types.
 *
 * <p>Warm-up: until C2 compiles the tier's kernels every vector is a boxed object (a mid-sized product
 * takes seconds instead of a fraction of a millisecond), so {@link VectorMatMul#warmUp()} runs them on
 * tiny operands until they run compiled: 0.1 s of CPU on an idle machine (up to its 3 s limit on a
 * busy one), plus C2's compilations. Kernels ask {@link #active()}, which stays false, so they take
 * the pure-Java loops, until it is done. It runs on a daemon thread, and only once the pure-Java
 * products have done {@link #WARMUP_AFTER_WORK} multiply-adds ({@link #scalarWork}): a program that
 * makes one prediction and exits (a CLI, a serverless function) never pays for it, and on a 2-core
 * machine a warm-up started at the first kernel call competed with that prediction for the CPU
 * (issue 13: 0.8 s to the first prediction with the module, 0.4 s without). A training loop or a
 * server reaches the threshold within its first few steps or requests. {@link #awaitWarmUp} starts
 * it at once; {@code -Dflint.vector.warmup=inline} runs it on the first kernel call instead (a
 * benchmark that must time the vector kernels from its first call).
 *
 * <p>The warning is logged from a short-lived thread (not a daemon, so it is written before the JVM
 * exits) because the first {@code System.Logger} call initializes java.util.logging, whose default
 * formatter loads time zones and locale data: 40 ms of CPU that would sit on the first kernel call.
 */
final class VectorTier {
  /** The system property that disables the tier when set to {@code false}. */
  static final String PROPERTY = "flint.vector";
  /** The system property that chooses where the warm-up runs: {@code background} (default) or {@code inline}. */
  static final String WARMUP_PROPERTY = "flint.vector.warmup";
  static final boolean MODULE_PRESENT = inBootLayer("jdk.incubator.vector");
  static final boolean ENABLED = enabled(MODULE_PRESENT, System.getProperty(PROPERTY));
  /**
   * Multiply-adds the pure-Java products do before the warm-up starts ({@code
   * -Dflint.vector.warmupAfter=N}): 2^26, about 0.1 s of them, a hundred batch-1 predictions of a
   * 784-512-256-10 MLP or a few training steps of a small one.
   */
  static final long WARMUP_AFTER_WORK = Long.getLong("flint.vector.warmupAfter", 1L << 26);

  /** Counted down when the warm-up is over (at once when the tier is off). */
  private static final CountDownLatch WARM = new CountDownLatch(1);
  /** Whether the vector kernels are warm: read by every kernel call, written once. */
  private static volatile boolean warm;
  /** Whether the warm-up was started; written under the class lock, read without it by {@link #scalarWork}. */
  private static volatile boolean started;
  /** Multiply-adds of pure-Java FLOAT32 products so far, until the warm-up starts; racy, a rough count is enough. */
  private static long pendingWork;

  static {
    if (VectorModuleWarning.applies(MODULE_PRESENT, System.getProperty(PROPERTY))) {
      Thread t = new Thread(new VectorModuleWarning(), "flint-vector-warning");
      t.start();
    }
    if (!ENABLED) {
      WARM.countDown();
    } else if ("inline".equalsIgnoreCase(System.getProperty(WARMUP_PROPERTY, "").trim())) {
      started = true;
      warmUp();
    }
  }

  private VectorTier() {}

  /** Whether kernels should take the vector tier now: enabled, and its warm-up is over. */
  static boolean active() {
    return warm;
  }

  /**
   * Counts {@code work} multiply-adds that a FLOAT32 product did on the pure-Java loops while the tier
   * was enabled but not yet warm, and starts the warm-up once they add up to {@link #WARMUP_AFTER_WORK}.
   */
  static void scalarWork(long work) {
    if (ENABLED && !warm) {
      long total = pendingWork + work;
      pendingWork = total;
      if (total >= WARMUP_AFTER_WORK && !started) {   // no lock per product while the warm-up runs
        startWarmUp();
      }
    }
  }

  /**
   * Starts the warm-up if it has not started, and waits until it is over, so that the next kernel
   * call takes the vector tier (returns at once when the tier is off); true unless the timeout passed first.
   */
  static boolean awaitWarmUp(long timeout, TimeUnit unit) throws InterruptedException {
    startWarmUp();
    return WARM.await(timeout, unit);
  }

  /** Whether the warm-up has started (tests). */
  static synchronized boolean warmUpStarted() {
    return started;
  }

  private static synchronized void startWarmUp() {
    if (ENABLED && !started) {
      started = true;
      Thread t = new Thread(VectorTier::warmUp, "flint-vector-warmup");
      t.setDaemon(true);
      t.start();
    }
  }

  private static void warmUp() {
    try {
      VectorMatMul.warmUp();
      VectorOptimizers.warmUp(1000);
      VectorPool.warmUp(1000);
      VectorConvProducts.warmUp(1000);
      VectorAttention.warmUp(300);
    } finally {
      warm = true;
      WARM.countDown();
    }
  }

  /** The decision rule: the module must be present and the property must not say {@code false}. */
  static boolean enabled(boolean modulePresent, String property) {
    return modulePresent && (property == null || !property.trim().equalsIgnoreCase("false"));
  }

  /** Whether the boot layer holds the named module (a plain loop: {@code findModule}'s streams cost a few ms at start-up). */
  private static boolean inBootLayer(String name) {
    for (Module m : ModuleLayer.boot().modules()) {
      if (name.equals(m.getName())) {
        return true;
      }
    }
    return false;
  }

  /** What runs single-precision products: "vector-api (N lanes)" or "plain-java". */
  static String describe() {
    return ENABLED ? "vector-api (" + VectorMatMul.lanes() + " lanes)" : "plain-java";
  }
}
