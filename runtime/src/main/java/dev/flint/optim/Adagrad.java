package dev.flint.optim;

import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, as {@code torch.optim.Adagrad}: per step t, with gradient g and parameter θ,
 * <pre>
 *   γ̃ ← γ / (1 + (t − 1)η)        (learning-rate decay η)
 *   g ← g + λθ                     (weight decay λ ≠ 0)
 *   s ← s + g²                     (s starts at the initial accumulator value)
 *   θ ← θ − γ̃ g / (√s + ε)
 * </pre>
 * Defaults: lr_decay 0, weight decay 0, initial accumulator value 0, eps 1e-10. State buffer:
 * {@code sum}.
 */
public final class Adagrad extends Optimizer {
  private static final List<String> BUFFERS = List.of("sum");

  private double lrDecay;
  private double weightDecay;
  private double initialAccumulatorValue;
  private double eps = 1e-10;

  /** With PyTorch's default learning rate, 0.01. */
  public Adagrad(Iterable<Tensor> params) {
    this(params, 1e-2);
  }

  public Adagrad(Iterable<Tensor> params, double lr) {
    super(params, lr);
  }

  /** Sets the learning-rate decay η (default 0); returns this. */
  public Adagrad lrDecay(double lrDecay) {
    requireNonNegative("lr_decay", lrDecay);
    this.lrDecay = lrDecay;
    return this;
  }

  /** Sets the L2 penalty λ added to the gradient (default 0); returns this. */
  public Adagrad weightDecay(double weightDecay) {
    requireNonNegative("weight_decay", weightDecay);
    this.weightDecay = weightDecay;
    return this;
  }

  /** Sets the starting value of the squared-gradient sum (default 0); returns this. */
  public Adagrad initialAccumulatorValue(double value) {
    requireNonNegative("initial_accumulator_value", value);
    this.initialAccumulatorValue = value;
    return this;
  }

  /** Sets ε, added to the denominator (default 1e-10); returns this. */
  public Adagrad eps(double eps) {
    requireNonNegative("epsilon", eps);
    this.eps = eps;
    return this;
  }

  public double lrDecay() {
    return lrDecay;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public double initialAccumulatorValue() {
    return initialAccumulatorValue;
  }

  public double eps() {
    return eps;
  }

  @Override
  protected List<String> bufferNames() {
    return BUFFERS;
  }

  @Override
  protected void update(ParamState state, double[] w, int wOff, double[] g, int gOff, int n) {
    double[] sum = state.bufferOrNull(0);
    if (sum == null) {
      sum = state.buffer(0, n);
      Arrays.fill(sum, initialAccumulatorValue);
    }
    double clr = lr() / (1 + (state.step() - 1) * lrDecay);
    for (int k = 0; k < n; k++) {
      double d = g[gOff + k] + weightDecay * w[wOff + k];
      double s = sum[k] += d * d;
      w[wOff + k] -= clr * d / (Math.sqrt(s) + eps);
    }
  }

  @Override
  protected void hyperparameters(Map<String, double[]> out) {
    out.put("lr_decay", new double[] {lrDecay});
    out.put("weight_decay", new double[] {weightDecay});
    out.put("initial_accumulator_value", new double[] {initialAccumulatorValue});
    out.put("eps", new double[] {eps});
  }

  @Override
  protected void setHyperparameter(String name, double[] v) {
    switch (name) {
      case "lr_decay": lrDecay(v[0]); break;
      case "weight_decay": weightDecay(v[0]); break;
      case "initial_accumulator_value": initialAccumulatorValue(v[0]); break;
      case "eps": eps(v[0]); break;
      default: throw new IllegalArgumentException("Adagrad has no hyperparameter " + name);
    }
  }
}
