package dev.flint.nn;

import dev.flint.internal.Internals;
import dev.flint.tensor.Tensor;
import dev.flint.layers.Composites;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What LSTM and GRU share (PyTorch's {@code RNNBase}): per layer {@code k} the parameters
 * {@code weight_ih_l<k> [G·H, in]}, {@code weight_hh_l<k> [G·H, H]}, {@code bias_ih_l<k>} and
 * {@code bias_hh_l<k> [G·H]} (G gates), all initialised uniform in {@code ±1/√H}, read with {@link #weightIh}
 * and the other accessors; batch-first inputs. Each layer is one product for the input projections of all
 * steps and one fused step-loop op ({@code Op.LSTM_SCAN}, {@code Op.GRU_SCAN}, whose backward runs through
 * time), the math of {@code Composites.recurrent} that compiled models run too; in double precision.
 */
abstract class RNNBase extends Module {
  final int inputSize;
  final int hiddenSize;
  final int numLayers;
  final Tensor[] weightIh;
  final Tensor[] weightHh;
  final Tensor[] biasIh;
  final Tensor[] biasHh;

  RNNBase(String name, int gates, int inputSize, int hiddenSize, int numLayers) {
    if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
      throw new IllegalArgumentException(name + ": input_size, hidden_size and num_layers must be positive, but got "
          + inputSize + ", " + hiddenSize + " and " + numLayers);
    }
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    weightIh = new Tensor[numLayers];
    weightHh = new Tensor[numLayers];
    biasIh = new Tensor[numLayers];
    biasHh = new Tensor[numLayers];
    double bound = 1 / Math.sqrt(hiddenSize);
    for (int k = 0; k < numLayers; k++) {
      int in = k == 0 ? inputSize : hiddenSize;
      weightIh[k] = registerParameter("weight_ih_l" + k, Init.uniform(bound, gates * hiddenSize, in));
      weightHh[k] = registerParameter("weight_hh_l" + k, Init.uniform(bound, gates * hiddenSize, hiddenSize));
      biasIh[k] = registerParameter("bias_ih_l" + k, Init.uniform(bound, gates * hiddenSize));
      biasHh[k] = registerParameter("bias_hh_l" + k, Init.uniform(bound, gates * hiddenSize));
    }
  }

  /** {@code weight_ih_l<layer>}: the input projections of layer {@code layer}, {@code [G·H, in]}. */
  public Tensor weightIh(int layer) {
    return weightIh[layer];
  }

  /** {@code weight_hh_l<layer>}, {@code [G·H, H]}. */
  public Tensor weightHh(int layer) {
    return weightHh[layer];
  }

  /** {@code bias_ih_l<layer>}, {@code [G·H]}. */
  public Tensor biasIh(int layer) {
    return biasIh[layer];
  }

  /** {@code bias_hh_l<layer>}, {@code [G·H]}. */
  public Tensor biasHh(int layer) {
    return biasHh[layer];
  }

  /** Every layer's {@code W_ih, W_hh, b_ih, b_hh} in turn, as {@code Composites.recurrent} takes them. */
  List<Tensor> parameters4() {
    List<Tensor> out = new ArrayList<>();
    for (int k = 0; k < numLayers; k++) {
      out.addAll(List.of(weightIh[k], weightHh[k], biasIh[k], biasHh[k]));
    }
    return out;
  }

  public int inputSize() {
    return inputSize;
  }

  public int hiddenSize() {
    return hiddenSize;
  }

  public int numLayers() {
    return numLayers;
  }

  /** Checks {@code x} is {@code [B, T, in]} (or {@code [T, in]}) with T >= 1 and floating. */
  void checkInput(Tensor x) {
    boolean ok = (x.dim() == 3 || x.dim() == 2) && x.size(-1) == inputSize && x.size(-2) > 0
        && x.dtype().isFloatingPoint();
    if (!ok) {
      throw new IllegalArgumentException(this + " expects a floating input [B, T, " + inputSize + "] (batch first) or ["
          + "T, " + inputSize + "] with T >= 1, but got " + x.dtype() + " " + Arrays.toString(Internals.shapeRef(x)));
    }
  }

  /** An initial state {@code [numLayers, B, H]}, checked (null stays null: zeros). */
  Tensor state(Tensor given, String name, int batch, Tensor x) {
    if (given == null) {
      return null;
    }
    if (given.dim() != 3 || given.size(0) != numLayers || given.size(1) != batch || given.size(2) != hiddenSize
        || given.dtype() != x.dtype()) {
      throw new IllegalArgumentException(this + ": expected " + name + " of shape [" + numLayers + ", " + batch + ", "
          + hiddenSize + "] ([num_layers, B, H]) and dtype " + x.dtype() + ", but got " + given.dtype() + " "
          + Arrays.toString(Internals.shapeRef(given)));
    }
    return given;
  }

  @Override
  protected String extraRepr() {
    return inputSize + ", " + hiddenSize + (numLayers != 1 ? ", num_layers=" + numLayers : "") + ", batch_first=True";
  }
}
