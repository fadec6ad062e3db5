package dev.flint.nn;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.internal.Internals;
import dev.flint.kernel.Recurrence;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/**
 * A multi-layer gated recurrent unit ({@code torch.nn.GRU} with {@code batch_first=True}). Per step, with
 * PyTorch's gate order {@code r, z, n}: {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z = σ(…)},
 * {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))}, {@code h' = (1 − z)·n + z·h}.
 *
 * <p>Shapes: {@code x [B, T, inputSize]} → output {@code [B, T, H]}; state {@code h [numLayers, B, H]} (an
 * unbatched {@code [T, inputSize]} uses {@code [numLayers, H]}). Parameters {@code weight_ih_l0 [3H, in]},
 * {@code weight_hh_l0 [3H, H]}, {@code bias_ih_l0}, {@code bias_hh_l0 [3H]}, … as PyTorch's. Each layer is
 * one product for the input projections of all steps and one fused node for the step loop (BPTT in its
 * backward); the arithmetic is in double precision.
 */
public class GRU extends RNNBase {
  /** The output sequence and the final state ({@code output, h_n} in PyTorch). */
  public record Output(Tensor output, Tensor hn) {}

  public GRU(int inputSize, int hiddenSize, int numLayers) {
    super("GRU", 3, inputSize, hiddenSize, numLayers);
  }

  /** A one-layer GRU. */
  public GRU(int inputSize, int hiddenSize) {
    this(inputSize, hiddenSize, 1);
  }

  /** The output sequence {@code [B, T, H]}, from a zero initial state. */
  @Override
  public Tensor forward(Tensor x) {
    return forward(x, null).output();
  }

  /** The output sequence and final state from the initial state {@code h0} (null: zeros). */
  public Output forward(Tensor x, Tensor h0) {
    checkInput(x);
    boolean unbatched = x.dim() == 2;
    Tensor in = unbatched ? x.unsqueeze(0) : x;
    int batch = in.size(0);
    int steps = in.size(1);
    Tensor h = state(unbatched && h0 != null ? h0.unsqueeze(1) : h0, "h0", batch, in);
    Tensor[] hn = new Tensor[numLayers];
    for (int k = 0; k < numLayers; k++) {
      Tensor gx = F.linear(in, weightIh[k], biasIh[k]);   // [B, T, 3H], all steps at once
      in = layer(gx, weightHh[k], biasHh[k], h.select(0, k));
      hn[k] = in.select(1, steps - 1);
    }
    Tensor hOut = Tensor.stack(0, hn);
    return unbatched ? new Output(in.squeeze(0), hOut.squeeze(1)) : new Output(in, hOut);
  }

  /** One layer's step loop as one node: h of every step, {@code [B, T, H]}. */
  private Tensor layer(Tensor gx, Tensor whh, Tensor bhh, Tensor h0) {
    int batch = gx.size(0);
    int steps = gx.size(1);
    int hidden = hiddenSize;
    double[] out = new double[batch * steps * hidden];
    double[] saved = new double[batch * steps * 4 * hidden];
    double[] w = DoubleArrays.copyOf(whh);
    double[] h = DoubleArrays.copyOf(h0);
    Recurrence.gruForward(batch, steps, hidden, DoubleArrays.of(gx), w, DoubleArrays.of(bhh), h, out, saved);
    Tensor result = DoubleArrays.toTensor(out, new int[] {batch, steps, hidden}, gx.dtype());
    if (GradMode.isEnabled() && (gx.requiresGrad() || whh.requiresGrad() || bhh.requiresGrad() || h0.requiresGrad())) {
      Internals.setGradFn(result, new Backward(new Tensor[] {gx, whh, bhh, h0}, batch, steps, hidden, w, h, out, saved));
    }
    return result;
  }

  /** The backward through time of one layer's step loop. */
  private static final class Backward extends Node {
    private final Tensor[] inputs;
    private final int batch;
    private final int steps;
    private final int hidden;
    private double[] whh;
    private double[] h0;
    private double[] out;
    private double[] saved;

    Backward(Tensor[] inputs, int batch, int steps, int hidden, double[] whh, double[] h0, double[] out,
        double[] saved) {
      this.inputs = inputs;
      this.batch = batch;
      this.steps = steps;
      this.hidden = hidden;
      this.whh = whh;
      this.h0 = h0;
      this.out = out;
      this.saved = saved;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      double[] dgx = new double[batch * steps * 3 * hidden];
      double[] dwhh = new double[3 * hidden * hidden];
      double[] dbhh = new double[3 * hidden];
      double[] dh0 = new double[batch * hidden];
      Recurrence.gruBackward(batch, steps, hidden, whh, h0, out, saved, DoubleArrays.of(grad), dgx, dwhh, dbhh, dh0);
      DType t = inputs[0].dtype();
      return new Tensor[] {
          inputs[0].requiresGrad() ? DoubleArrays.toTensor(dgx, inputs[0].shape(), t) : null,
          inputs[1].requiresGrad() ? DoubleArrays.toTensor(dwhh, inputs[1].shape(), t) : null,
          inputs[2].requiresGrad() ? DoubleArrays.toTensor(dbhh, inputs[2].shape(), t) : null,
          inputs[3].requiresGrad() ? DoubleArrays.toTensor(dh0, inputs[3].shape(), t) : null};
    }

    @Override
    protected void releaseSaved() {
      whh = h0 = out = saved = null;
    }

    @Override
    public String name() {
      return "GruBackward";
    }
  }
}
