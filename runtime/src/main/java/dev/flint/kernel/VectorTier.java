package dev.flint.kernel;

import dev.flint.kernel.vector.VectorMatMul;

/**
 * Whether the optional Vector API tier ({@link dev.flint.kernel.vector}) is in use: only when the
 * {@code jdk.incubator.vector} module is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}) and it is not disabled with {@code -Dflint.vector=false}.
 * Decided once, when a kernel first asks; without the module that moment also logs
 * {@link VectorModuleWarning}, once per JVM.
 *
 * <p>Callers must test {@link #ENABLED} before touching {@link VectorMatMul}, so that without the
 * module the JVM never loads a class that links incubator types. When enabled, the tier's kernels are
 * warmed up here (about 0.1 s): until C2 compiles them every vector is a boxed object and a mid-sized
 * product takes seconds.
 */
final class VectorTier {
  /** The system property that disables the tier when set to {@code false}. */
  static final String PROPERTY = "flint.vector";
  static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  static final boolean ENABLED = enabled(MODULE_PRESENT, System.getProperty(PROPERTY));

  static {
    if (VectorModuleWarning.applies(MODULE_PRESENT, System.getProperty(PROPERTY))) {
      VectorModuleWarning.log(System.getLogger(VectorModuleWarning.LOGGER));
    }
    if (ENABLED) {
      VectorMatMul.warmUp();
    }
  }

  private VectorTier() {}

  /** The decision rule: the module must be present and the property must not say {@code false}. */
  static boolean enabled(boolean modulePresent, String property) {
    return modulePresent && (property == null || !property.trim().equalsIgnoreCase("false"));
  }

  /** What runs single-precision products: "vector-api (N lanes)" or "plain-java". */
  static String describe() {
    return ENABLED ? "vector-api (" + VectorMatMul.lanes() + " lanes)" : "plain-java";
  }
}
