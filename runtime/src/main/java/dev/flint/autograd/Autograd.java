package dev.flint.autograd;

import java.util.function.Supplier;

/** Entry points for controlling autograd, as {@code torch.no_grad()} and friends. */
public final class Autograd {
  private Autograd() {}

  /**
   * A scope in which no op records the backward graph, for try-with-resources:
   * {@code try (var s = Autograd.noGrad()) { ... }}. Gradients stay off until the scope is closed, so
   * a bare {@code Autograd.noGrad();} statement turns them off for the rest of the thread (Flint's
   * processor warns about it); {@link #noGrad(Supplier)} and {@link #noGrad(Runnable)} cannot leak.
   */
  public static Scope noGrad() {
    return new Scope(GradMode.set(false));
  }

  /** Computes {@code body} with gradients off and returns its result ({@code with torch.no_grad(): ...}). */
  public static <T> T noGrad(Supplier<T> body) {
    try (Scope s = noGrad()) {
      return body.get();
    }
  }

  /** Runs {@code body} with gradients off ({@code with torch.no_grad(): ...}). */
  public static void noGrad(Runnable body) {
    try (Scope s = noGrad()) {
      body.run();
    }
  }

  /** A scope in which ops record the backward graph again (inside a {@link #noGrad()} scope). */
  public static Scope enableGrad() {
    return new Scope(GradMode.set(true));
  }

  /**
   * A scope in which every op and backward node checks its results for NaN and the first to produce
   * one fails naming itself ({@code torch.autograd.detect_anomaly()}); see {@link AnomalyMode}.
   */
  public static AnomalyMode.Scope detectAnomaly() {
    return new AnomalyMode.Scope(AnomalyMode.set(true));
  }

  /** Restores the previous grad mode when closed. */
  public static final class Scope implements AutoCloseable {
    private final boolean previous;

    private Scope(boolean previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      GradMode.set(previous);
    }
  }
}
