package dev.flint.optim;

import dev.flint.kernel.OptimizerSteps;
import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam, as {@code torch.optim.Adam}: per step t, with gradient g and parameter θ,
 * <pre>
 *   g ← g + λθ                         (L2 weight decay λ ≠ 0; AdamW instead decays θ by (1 − γλ))
 *   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
 *   v̂max ← max(v̂max, v)                (amsgrad)
 *   θ ← θ − (γ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)   (√v̂max in place of √v with amsgrad)
 * </pre>
 * Defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0, amsgrad off. State buffers:
 * {@code exp_avg} (m), {@code exp_avg_sq} (v) and, with amsgrad, {@code max_exp_avg_sq}.
 *
 * <p>FLOAT32 parameters are updated in float with float buffers, in the order of PyTorch's float
 * kernels (the lerp, then {@code v·β₂ + (1 − β₂)·g·g}, then {@code θ + (−stepSize·m) / (√v / √(1 − β₂ᵗ) + ε)}),
 * on the Vector API tier when present; FLOAT64 parameters in double.
 */
public class Adam extends Optimizer {
  private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");

  private final boolean decoupled;
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double eps = 1e-8;
  private double weightDecay;
  private boolean amsgrad;

  /** With PyTorch's default learning rate, 0.001. */
  public Adam(Iterable<Tensor> params) {
    this(params, 1e-3);
  }

  public Adam(Iterable<Tensor> params, double lr) {
    this(params, lr, false, 0);
  }

  Adam(Iterable<Tensor> params, double lr, boolean decoupled, double weightDecay) {
    super(params, lr);
    this.decoupled = decoupled;
    this.weightDecay = weightDecay;
  }

  /** Sets the decay rates β₁, β₂ of the first and second moment estimates; returns this. */
  public Adam betas(double beta1, double beta2) {
    requireUnitInterval("beta parameter at index 0", beta1);
    requireUnitInterval("beta parameter at index 1", beta2);
    this.beta1 = beta1;
    this.beta2 = beta2;
    return this;
  }

  /** Sets ε, added to the denominator for numerical stability; returns this. */
  public Adam eps(double eps) {
    requireNonNegative("epsilon", eps);
    this.eps = eps;
    return this;
  }

  /** Sets the weight decay λ; returns this. */
  public Adam weightDecay(double weightDecay) {
    requireNonNegative("weight_decay", weightDecay);
    this.weightDecay = weightDecay;
    return this;
  }

  /** Enables the AMSGrad variant (the maximum of past second moments); returns this. */
  public Adam amsgrad(boolean amsgrad) {
    this.amsgrad = amsgrad;
    return this;
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double eps() {
    return eps;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  protected List<String> bufferNames() {
    return BUFFERS;
  }

  @Override
  protected void update(ParamState state, double[] w, int wOff, double[] g, int gOff, int n) {
    double lr = lr();
    double[] m = state.buffer(0, n);
    double[] v = state.buffer(1, n);
    double[] vMax = amsgrad ? state.buffer(2, n) : null;
    double t = state.step();
    double stepSize = lr / (1 - Math.pow(beta1, t));
    double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    double l2 = decoupled ? 0 : weightDecay;
    double shrink = decoupled ? 1 - lr * weightDecay : 1;
    double a1 = 1 - beta1;
    double a2 = 1 - beta2;
    for (int k = 0; k < n; k++) {
      double wk = w[wOff + k] * shrink;
      double d = g[gOff + k] + l2 * wk;
      double mk = m[k] + a1 * (d - m[k]); // lerp, as PyTorch computes it
      double vk = beta2 * v[k] + a2 * d * d;
      m[k] = mk;
      v[k] = vk;
      if (vMax != null) {
        vk = vMax[k] = Math.max(vMax[k], vk);
      }
      w[wOff + k] = wk - stepSize * mk / (Math.sqrt(vk) / bias2Sqrt + eps);
    }
  }

  @Override
  protected boolean updatesInFloat() {
    return true;
  }

  /** {@link #update}'s step in float, PyTorch's order of operations, on the vector kernels when present. */
  @Override
  protected void updateFloat(ParamState state, float[] w, int wOff, float[] g, int gOff, int n) {
    double lr = lr();
    double t = state.step();
    OptimizerSteps.adam(w, wOff, g, gOff, state.floatBuffer(0, n), state.floatBuffer(1, n),
        amsgrad ? state.floatBuffer(2, n) : null, n, decoupled ? 1 - lr * weightDecay : 1, decoupled ? 0 : weightDecay,
        beta1, beta2, lr / (1 - Math.pow(beta1, t)), Math.sqrt(1 - Math.pow(beta2, t)), eps);
  }

  @Override
  protected void hyperparameters(Map<String, double[]> out) {
    out.put("betas", new double[] {beta1, beta2});
    out.put("eps", new double[] {eps});
    out.put("weight_decay", new double[] {weightDecay});
    out.put("amsgrad", new double[] {flag(amsgrad)});
  }

  @Override
  protected void setHyperparameter(String name, double[] v) {
    switch (name) {
      case "betas": betas(v[0], v[1]); break;
      case "eps": eps(v[0]); break;
      case "weight_decay": weightDecay(v[0]); break;
      case "amsgrad": amsgrad(v[0] != 0); break;
      default: throw new IllegalArgumentException(name() + " has no hyperparameter " + name);
    }
  }
}
