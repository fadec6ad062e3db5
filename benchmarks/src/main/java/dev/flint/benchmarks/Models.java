package dev.flint.benchmarks;

import dev.flint.nn.Module;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates a benchmark model for an implementation: {@code flint-eager} is the {@code @Model} class
 * itself (run op by op with the tape); {@code flint-compiled} is the {@code Compiled<Name>} subclass
 * the Flint processor generates beside it. The compiled class is looked up by name, so this module
 * builds whether or not the processor is on its annotation-processor path.
 */
public final class Models {
  public static final String EAGER = "flint-eager";
  public static final String COMPILED = "flint-compiled";

  private Models() {}

  /** A new model of {@code type} for {@code impl}; fails with the reason when it cannot be made. */
  public static <M extends Module> M create(Class<M> type, String impl) {
    Class<?> cls;
    if (impl.equals(EAGER)) {
      cls = type;
    } else if (impl.equals(COMPILED)) {
      String name = type.getPackageName() + ".Compiled" + type.getSimpleName();
      try {
        cls = Class.forName(name);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(name + " was not generated: build the benchmarks module with "
            + "dev.flint:flint-processor on the compiler's annotationProcessorPaths", e);
      }
    } else {
      throw new IllegalArgumentException("unknown impl '" + impl + "'; expected " + EAGER + " or " + COMPILED);
    }
    try {
      return type.cast(cls.getDeclaredConstructor().newInstance());
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("constructing " + cls.getName() + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + cls.getName() + ": " + e, e);
    }
  }

  /** True when the processor generated {@code Compiled<Name>} for {@code type}. */
  public static boolean compiledAvailable(Class<? extends Module> type) {
    try {
      Class.forName(type.getPackageName() + ".Compiled" + type.getSimpleName());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
