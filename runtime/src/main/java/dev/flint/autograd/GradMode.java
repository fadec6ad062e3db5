package dev.flint.autograd;

/** Whether operations on this thread record the backward graph (on by default). */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Sets the mode and returns the previous one. */
  public static boolean set(boolean enabled) {
    boolean[] cell = ENABLED.get();
    boolean previous = cell[0];
    cell[0] = enabled;
    return previous;
  }
}
