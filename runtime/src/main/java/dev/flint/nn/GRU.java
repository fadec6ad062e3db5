package dev.flint.nn;

import dev.flint.layers.Composites;
import dev.flint.layers.Sizes;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * A multi-layer gated recurrent unit ({@code torch.nn.GRU} with {@code batch_first=True}). Per step, with
 * PyTorch's gate order {@code r, z, n}: {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)}, {@code z = σ(…)},
 * {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))}, {@code h' = (1 − z)·n + z·h}.
 *
 * <p>Shapes: {@code x [B, T, inputSize]} → output {@code [B, T, H]}; state {@code h [numLayers, B, H]} (an
 * unbatched {@code [T, inputSize]} uses {@code [numLayers, H]}). Parameters {@code weight_ih_l0 [3H, in]},
 * {@code weight_hh_l0 [3H, H]}, {@code bias_ih_l0}, {@code bias_hh_l0 [3H]}, … as PyTorch's. Each layer is
 * one product for the input projections of all steps and one fused op for the step loop
 * ({@code Op.GRU_SCAN}, BPTT in its backward).
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
    Tensor h = state(unbatched && h0 != null ? h0.unsqueeze(1) : h0, "h0", batch, in);
    List<Tensor> outs = Composites.recurrentWithStates(F.OPS, Sizes.EAGER, false, in, parameters4(), h, null,
        () -> Tensor.zeros(in.dtype(), batch, hiddenSize), in.shape(), hiddenSize);
    Tensor out = outs.get(0);
    Tensor hOut = outs.get(1);
    return unbatched ? new Output(out.squeeze(0), hOut.squeeze(1)) : new Output(out, hOut);
  }
}
