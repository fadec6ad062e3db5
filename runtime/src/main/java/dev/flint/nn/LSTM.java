package dev.flint.nn;

import dev.flint.layers.Composites;
import dev.flint.layers.Sizes;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * A multi-layer long short-term memory ({@code torch.nn.LSTM} with {@code batch_first=True}). Per step,
 * with PyTorch's gate order {@code i, f, g, o}: {@code i = σ(W_ii x + b_ii + W_hi h + b_hi)},
 * {@code f = σ(…)}, {@code g = tanh(…)}, {@code o = σ(…)}, {@code c' = f·c + i·g}, {@code h' = o·tanh(c')}.
 *
 * <p>Shapes: {@code x [B, T, inputSize]} → output {@code [B, T, H]} (the last layer's h of every step);
 * states {@code h, c [numLayers, B, H]}; an unbatched {@code [T, inputSize]} takes and gives states
 * {@code [numLayers, H]}. Parameters {@code weight_ih_l0 [4H, in]}, {@code weight_hh_l0 [4H, H]},
 * {@code bias_ih_l0}, {@code bias_hh_l0 [4H]}, … as PyTorch names them, so its state dicts load as they
 * are. Each layer is one product for the input projections of all steps and one fused op for the step
 * loop ({@code Op.LSTM_SCAN}), whose backward runs through time (BPTT).
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
    Tensor h = state(unbatched && h0 != null ? h0.unsqueeze(1) : h0, "h0", batch, in);
    Tensor c = state(unbatched && c0 != null ? c0.unsqueeze(1) : c0, "c0", batch, in);
    List<Tensor> outs = Composites.recurrentWithStates(F.OPS, Sizes.EAGER, true, in, parameters4(), h, c,
        () -> Tensor.zeros(in.dtype(), batch, hiddenSize), in.shape(), hiddenSize);
    Tensor out = outs.get(0);
    Tensor hOut = outs.get(1);
    Tensor cOut = outs.get(2);
    if (unbatched) {
      return new Output(out.squeeze(0), hOut.squeeze(1), cOut.squeeze(1));
    }
    return new Output(out, hOut, cOut);
  }
}
