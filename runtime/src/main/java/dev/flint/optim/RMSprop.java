package dev.flint.optim;

import dev.flint.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, as {@code torch.optim.RMSprop}: per step, with gradient g and parameter θ,
 * <pre>
 *   g ← g + λθ                                  (weight decay λ ≠ 0)
 *   v ← αv + (1 − α)g²
 *   a ← √v + ε,  or, centered: ḡ ← αḡ + (1 − α)g,  a ← √(v − ḡ²) + ε
 *   b ← μb + g/a, θ ← θ − γb   (momentum μ &gt; 0),   else θ ← θ − γg/a
 * </pre>
 * Defaults: alpha 0.99, eps 1e-8, weight decay 0, momentum 0, centered off. State buffers:
 * {@code square_avg}, {@code momentum_buffer} (momentum &gt; 0), {@code grad_avg} (centered).
 */
public final class RMSprop extends Optimizer {
  private static final List<String> BUFFERS = List.of("square_avg", "momentum_buffer", "grad_avg");

  private double alpha = 0.99;
  private double eps = 1e-8;
  private double weightDecay;
  private double momentum;
  private boolean centered;

  /** With PyTorch's default learning rate, 0.01. */
  public RMSprop(Iterable<Tensor> params) {
    this(params, 1e-2);
  }

  public RMSprop(Iterable<Tensor> params, double lr) {
    super(params, lr);
  }

  /** Sets the smoothing constant α of the squared-gradient average (default 0.99); returns this. */
  public RMSprop alpha(double alpha) {
    requireNonNegative("alpha", alpha);
    this.alpha = alpha;
    return this;
  }

  /** Sets ε, added to the denominator (default 1e-8); returns this. */
  public RMSprop eps(double eps) {
    requireNonNegative("epsilon", eps);
    this.eps = eps;
    return this;
  }

  /** Sets the L2 penalty λ added to the gradient (default 0); returns this. */
  public RMSprop weightDecay(double weightDecay) {
    requireNonNegative("weight_decay", weightDecay);
    this.weightDecay = weightDecay;
    return this;
  }

  /** Sets the momentum factor μ (default 0); returns this. */
  public RMSprop momentum(double momentum) {
    requireNonNegative("momentum", momentum);
    this.momentum = momentum;
    return this;
  }

  /** Normalizes by an estimate of the gradient's variance instead of its second moment; returns this. */
  public RMSprop centered(boolean centered) {
    this.centered = centered;
    return this;
  }

  public double alpha() {
    return alpha;
  }

  public double eps() {
    return eps;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public double momentum() {
    return momentum;
  }

  public boolean centered() {
    return centered;
  }

  @Override
  protected List<String> bufferNames() {
    return BUFFERS;
  }

  @Override
  protected void update(ParamState state, double[] w, int wOff, double[] g, int gOff, int n) {
    double lr = lr();
    double[] sq = state.buffer(0, n);
    double[] buf = momentum > 0 ? state.buffer(1, n) : null;
    double[] avg = centered ? state.buffer(2, n) : null;
    double a1 = 1 - alpha;
    for (int k = 0; k < n; k++) {
      double d = g[gOff + k] + weightDecay * w[wOff + k];
      double s = sq[k] = alpha * sq[k] + a1 * d * d;
      double denom;
      if (avg != null) {
        double ga = avg[k] = avg[k] + a1 * (d - avg[k]); // lerp, as PyTorch computes it
        denom = Math.sqrt(s - ga * ga) + eps;
      } else {
        denom = Math.sqrt(s) + eps;
      }
      if (buf != null) {
        double b = buf[k] = momentum * buf[k] + d / denom;
        w[wOff + k] -= lr * b;
      } else {
        w[wOff + k] -= lr * d / denom;
      }
    }
  }

  @Override
  protected void hyperparameters(Map<String, double[]> out) {
    out.put("alpha", new double[] {alpha});
    out.put("eps", new double[] {eps});
    out.put("weight_decay", new double[] {weightDecay});
    out.put("momentum", new double[] {momentum});
    out.put("centered", new double[] {flag(centered)});
  }

  @Override
  protected void setHyperparameter(String name, double[] v) {
    switch (name) {
      case "alpha": alpha(v[0]); break;
      case "eps": eps(v[0]); break;
      case "weight_decay": weightDecay(v[0]); break;
      case "momentum": momentum(v[0]); break;
      case "centered": centered(v[0] != 0); break;
      default: throw new IllegalArgumentException("RMSprop has no hyperparameter " + name);
    }
  }
}
