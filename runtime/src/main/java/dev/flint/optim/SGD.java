package dev.flint.optim;

import dev.flint.kernel.OptimizerSteps;
import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, as {@code torch.optim.SGD}. Per step, with gradient g, parameter θ, learning rate γ:
 * <pre>
 *   g ← g + λθ                                   (weight decay λ ≠ 0)
 *   b ← g on the first step, else μb + (1 − τ)g  (momentum μ ≠ 0, dampening τ)
 *   g ← g + μb if nesterov, else g ← b
 *   θ ← θ − γg
 * </pre>
 * Defaults: momentum 0, dampening 0, weight decay 0, nesterov off. FLOAT32 parameters are updated
 * in float (a float momentum buffer), in the order of PyTorch's float kernels, on the Vector API tier
 * when present; FLOAT64 parameters in double.
 */
public final class SGD extends Optimizer {
  private static final List<String> BUFFERS = List.of("momentum_buffer");

  private double momentum;
  private double dampening;
  private double weightDecay;
  private boolean nesterov;

  /** With PyTorch's default learning rate, 0.001. */
  public SGD(Iterable<Tensor> params) {
    this(params, 1e-3);
  }

  public SGD(Iterable<Tensor> params, double lr) {
    super(params, lr);
  }

  /** Sets the momentum factor μ (default 0); returns this. */
  public SGD momentum(double momentum) {
    requireNonNegative("momentum", momentum);
    this.momentum = momentum;
    return this;
  }

  /** Sets the dampening τ applied to the gradient in the momentum update (default 0); returns this. */
  public SGD dampening(double dampening) {
    this.dampening = dampening;
    return this;
  }

  /** Sets the L2 penalty λ added to the gradient (default 0); returns this. */
  public SGD weightDecay(double weightDecay) {
    requireNonNegative("weight_decay", weightDecay);
    this.weightDecay = weightDecay;
    return this;
  }

  /** Enables Nesterov momentum (needs momentum &gt; 0 and dampening 0); returns this. */
  public SGD nesterov(boolean nesterov) {
    this.nesterov = nesterov;
    return this;
  }

  public double momentum() {
    return momentum;
  }

  public double dampening() {
    return dampening;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  protected void checkSettings() {
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalStateException(
          "SGD: Nesterov momentum requires a momentum > 0 and zero dampening, but momentum is " + momentum
              + " and dampening is " + dampening + "; call .momentum(0.9) (for example) and .dampening(0)");
    }
  }

  @Override
  protected List<String> bufferNames() {
    return BUFFERS;
  }

  @Override
  protected void update(ParamState state, double[] w, int wOff, double[] g, int gOff, int n) {
    double lr = lr();
    double wd = weightDecay;
    if (momentum == 0) {
      for (int k = 0; k < n; k++) {
        w[wOff + k] -= lr * (g[gOff + k] + wd * w[wOff + k]);
      }
      return;
    }
    double[] buf = state.bufferOrNull(0);
    boolean first = buf == null;
    if (first) {
      buf = state.buffer(0, n);
    }
    double mu = momentum;
    double keep = 1 - dampening;
    for (int k = 0; k < n; k++) {
      double d = g[gOff + k] + wd * w[wOff + k];
      double b = first ? d : mu * buf[k] + keep * d;
      buf[k] = b;
      w[wOff + k] -= lr * (nesterov ? d + mu * b : b);
    }
  }

  @Override
  protected boolean updatesInFloat() {
    return true;
  }

  /** {@link #update}'s step in float, PyTorch's order of operations, on the vector kernels when present. */
  @Override
  protected void updateFloat(ParamState state, float[] w, int wOff, float[] g, int gOff, int n) {
    float[] buf = null;
    boolean first = false;
    if (momentum != 0) {
      buf = state.floatBufferOrNull(0);
      first = buf == null;
      if (first) {
        buf = state.floatBuffer(0, n);
      }
    }
    OptimizerSteps.sgd(w, wOff, g, gOff, buf, n, lr(), weightDecay, momentum, dampening, first, nesterov);
  }

  @Override
  protected void hyperparameters(Map<String, double[]> out) {
    out.put("momentum", new double[] {momentum});
    out.put("dampening", new double[] {dampening});
    out.put("weight_decay", new double[] {weightDecay});
    out.put("nesterov", new double[] {flag(nesterov)});
  }

  @Override
  protected void setHyperparameter(String name, double[] v) {
    switch (name) {
      case "momentum": momentum(v[0]); break;
      case "dampening": dampening(v[0]); break;
      case "weight_decay": weightDecay(v[0]); break;
      case "nesterov": nesterov(v[0] != 0); break;
      default: throw new IllegalArgumentException("SGD has no hyperparameter " + name);
    }
  }
}
