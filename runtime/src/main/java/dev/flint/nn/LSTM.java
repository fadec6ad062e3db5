package dev.flint.nn;

import dev.flint.autograd.GradMode;
import dev.flint.autograd.Node;
import dev.flint.internal.Internals;
import dev.flint.kernel.Recurrence;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;

/**
 * A multi-layer long short-term memory ({@code torch.nn.LSTM} with {@code batch_first=True}). Per step,
 * with PyTorch's gate order {@code i, f, g, o}: {@code i = σ(W_ii x + b_ii + W_hi h + b_hi)},
 * {@code f = σ(…)}, {@code g = tanh(…)}, {@code o = σ(…)}, {@code c' = f·c + i·g}, {@code h' = o·tanh(c')}.
 *
 * <p>Shapes: {@code x [B, T, inputSize]} → output {@code [B, T, H]} (the last layer's h of every step);
 * states {@code h, c [numLayers, B, H]}; an unbatched {@code [T, inputSize]} takes and gives states
 * {@code [numLayers, H]}. Parameters {@code weight_ih_l0 [4H, in]}, {@code weight_hh_l0 [4H, H]},
 * {@code bias_ih_l0}, {@code bias_hh_l0 [4H]}, … as PyTorch names them, so its state dicts load as they
 * are. Each layer is one product for the input projections of all steps and one fused node for the
 * step loop, whose backward runs through time (BPTT); the arithmetic is in double precision.
 */
public class LSTM extends RNNBase {
  /** The output sequence and the final states ({@code output, (h_n, c_n)} in PyTorch). */
  public record Output(Tensor output, Tensor hn, Tensor cn) {}

  public LSTM(int inputSize, int hiddenSize, int numLayers) {
    super("LSTM", 4, inputSize, hiddenSize, numLayers);
  }

  /** A one-layer LSTM. */
  public LSTM(int inputSize, int hiddenSize) {
    this(inputSize, hiddenSize, 1);
  }

  /** The output sequence {@code [B, T, H]}, from zero initial states. */
  @Override
  public Tensor forward(Tensor x) {
    return forward(x, null, null).output();
  }

  /** The output sequence and final states from initial states {@code h0}, {@code c0} (null: zeros). */
  public Output forward(Tensor x, Tensor h0, Tensor c0) {
    checkInput(x);
    boolean unbatched = x.dim() == 2;
    Tensor in = unbatched ? x.unsqueeze(0) : x;
    int batch = in.size(0);
    int steps = in.size(1);
    Tensor h = state(unbatched && h0 != null ? h0.unsqueeze(1) : h0, "h0", batch, in);
    Tensor c = state(unbatched && c0 != null ? c0.unsqueeze(1) : c0, "c0", batch, in);
    Tensor[] hn = new Tensor[numLayers];
    Tensor[] cn = new Tensor[numLayers];
    for (int k = 0; k < numLayers; k++) {
      Tensor gx = F.linear(in, weightIh[k], biasIh[k].add(biasHh[k]));   // [B, T, 4H], all steps at once
      Tensor hc = layer(gx, weightHh[k], h.select(0, k), c.select(0, k));   // [B, T, 2, H]
      in = hc.select(2, 0);
      Tensor last = hc.select(1, steps - 1);
      hn[k] = last.select(1, 0);
      cn[k] = last.select(1, 1);
    }
    Tensor hOut = Tensor.stack(0, hn);
    Tensor cOut = Tensor.stack(0, cn);
    if (unbatched) {
      return new Output(in.squeeze(0), hOut.squeeze(1), cOut.squeeze(1));
    }
    return new Output(in, hOut, cOut);
  }

  /** One layer's step loop as one node: h_t and c_t of every step, {@code [B, T, 2, H]}. */
  private Tensor layer(Tensor gx, Tensor whh, Tensor h0, Tensor c0) {
    int batch = gx.size(0);
    int steps = gx.size(1);
    int hidden = hiddenSize;
    double[] hc = new double[batch * steps * 2 * hidden];
    double[] acts = new double[batch * steps * 4 * hidden];
    double[] w = DoubleArrays.copyOf(whh);
    double[] h = DoubleArrays.copyOf(h0);
    double[] c = DoubleArrays.copyOf(c0);
    Recurrence.lstmForward(batch, steps, hidden, DoubleArrays.of(gx), w, h, c, hc, acts);
    Tensor out = DoubleArrays.toTensor(hc, new int[] {batch, steps, 2, hidden}, gx.dtype());
    if (GradMode.isEnabled() && (gx.requiresGrad() || whh.requiresGrad() || h0.requiresGrad() || c0.requiresGrad())) {
      Internals.setGradFn(out, new Backward(new Tensor[] {gx, whh, h0, c0}, batch, steps, hidden, w, h, c, hc, acts));
    }
    return out;
  }

  /** The backward through time of one layer's step loop. */
  private static final class Backward extends Node {
    private final Tensor[] inputs;
    private final int batch;
    private final int steps;
    private final int hidden;
    private double[] whh;
    private double[] h0;
    private double[] c0;
    private double[] hc;
    private double[] acts;

    Backward(Tensor[] inputs, int batch, int steps, int hidden, double[] whh, double[] h0, double[] c0, double[] hc,
        double[] acts) {
      this.inputs = inputs;
      this.batch = batch;
      this.steps = steps;
      this.hidden = hidden;
      this.whh = whh;
      this.h0 = h0;
      this.c0 = c0;
      this.hc = hc;
      this.acts = acts;
    }

    @Override
    public Tensor[] inputs() {
      return inputs;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
      double[] dgx = new double[batch * steps * 4 * hidden];
      double[] dwhh = new double[4 * hidden * hidden];
      double[] dh0 = new double[batch * hidden];
      double[] dc0 = new double[batch * hidden];
      Recurrence.lstmBackward(batch, steps, hidden, whh, h0, c0, hc, acts, DoubleArrays.of(grad), dgx, dwhh, dh0, dc0);
      DType t = inputs[0].dtype();
      return new Tensor[] {
          inputs[0].requiresGrad() ? DoubleArrays.toTensor(dgx, inputs[0].shape(), t) : null,
          inputs[1].requiresGrad() ? DoubleArrays.toTensor(dwhh, inputs[1].shape(), t) : null,
          inputs[2].requiresGrad() ? DoubleArrays.toTensor(dh0, inputs[2].shape(), t) : null,
          inputs[3].requiresGrad() ? DoubleArrays.toTensor(dc0, inputs[3].shape(), t) : null};
    }

    @Override
    protected void releaseSaved() {
      whh = h0 = c0 = hc = acts = null;
    }

    @Override
    public String name() {
      return "LstmBackward";
    }
  }
}
