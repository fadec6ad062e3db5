package dev.flint.autograd;

/** Entry points for controlling autograd, as {@code torch.no_grad()} and friends. */
public final class Autograd {
  private Autograd() {}

  /** A scope in which no op records the backward graph, for try-with-resources. */
  public static Scope noGrad() {
    return new Scope(GradMode.set(false));
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
