package dev.flint.nn;

import dev.flint.compiled.LayerKernels;
import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-head attention ({@code torch.nn.MultiheadAttention} with {@code batch_first=True}): the inputs are
 * projected to queries, keys and values, split into {@code numHeads} heads of {@code embedDim / numHeads},
 * attended with {@link F#scaledDotProductAttention} and projected back.
 *
 * <p>Shapes: query {@code [B, T, E]}, key and value {@code [B, S, E]} → {@code [B, T, E]}; an unbatched
 * {@code [T, E]} gives {@code [T, E]}. Parameters as PyTorch names them: {@code in_proj_weight [3E, E]}
 * (xavier-uniform), {@code in_proj_bias [3E]} (zeros), {@code out_proj.weight [E, E]} (Linear's init),
 * {@code out_proj.bias [E]} (zeros); a PyTorch state dict loads as it is. The attention weights are not
 * returned (PyTorch's {@code need_weights=False}); a query whose keys are all masked gives the output
 * projection's bias, where PyTorch's explicit-softmax path gives NaN (see F.scaledDotProductAttention).
 */
public class MultiheadAttention extends Module {
  /** The stacked query, key and value projections {@code [3E, E]}. */
  public final Tensor inProjWeight;
  /** Their biases {@code [3E]}. */
  public final Tensor inProjBias;
  /** The output projection {@code E -> E}. */
  public final Linear outProj;
  private final int embedDim;
  private final int numHeads;

  public MultiheadAttention(int embedDim, int numHeads) {
    if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
      throw new IllegalArgumentException("MultiheadAttention: embed_dim (" + embedDim + ") must be divisible by "
          + "num_heads (" + numHeads + "), both positive");
    }
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.inProjWeight = registerParameter("in_proj_weight", xavierUniform(3 * embedDim, embedDim));
    this.inProjBias = registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim));
    this.outProj = new Linear(embedDim, embedDim);
    Tensor bias = outProj.bias;
    bias.storage().fill(bias.offset(), bias.offset() + embedDim, 0);   // PyTorch zeroes it after Linear's init
  }

  /** The output projection as PyTorch names it ({@code out_proj}), then any module fields of a subclass. */
  @Override
  protected Map<String, Module> declaredLayers() {
    Map<String, Module> out = new LinkedHashMap<>();
    out.put("out_proj", outProj);
    super.declaredLayers().forEach((name, m) -> {
      if (m != outProj) {
        out.put(name, m);
      }
    });
    return out;
  }

  /** Uniform in ±√(6 / (fanIn + fanOut)) ({@code nn.init.xavier_uniform_}). */
  private static Tensor xavierUniform(int rows, int cols) {
    double bound = Math.sqrt(6.0 / (rows + cols));
    Tensor t = Tensor.empty(DType.FLOAT32, rows, cols);
    float[] v = t.storage().floats();
    Generator g = Generator.defaultGenerator();
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((2 * g.nextDouble() - 1) * bound);
    }
    return t;
  }

  public int embedDim() {
    return embedDim;
  }

  public int numHeads() {
    return numHeads;
  }

  /** Self-attention of {@code x} over itself, without a mask. */
  @Override
  public Tensor forward(Tensor x) {
    return attend(x, x, x, null, null, false);
  }

  /**
   * Attention of {@code query} over {@code key}/{@code value} with {@code attnMask} ({@code [T, S]} or
   * {@code [B·numHeads, T, S]}): BOOL true where a query may <em>not</em> attend (as PyTorch's module, the
   * opposite of the functional form), or floating values added to the scores; null for none.
   */
  public Tensor forward(Tensor query, Tensor key, Tensor value, Tensor attnMask) {
    return attend(query, key, value, null, attnMask, false);
  }

  /**
   * As {@link #forward(Tensor, Tensor, Tensor, Tensor)}, also ignoring the keys that {@code keyPaddingMask}
   * ({@code [B, S]}, PyTorch's {@code key_padding_mask}) marks: BOOL true for a padding key, or floating values
   * added to the scores of each key; null for none. A query whose keys are all masked gives the output
   * projection's bias here (the fused kernel's zeros); compiled models give NaN there, as PyTorch's
   * explicit-softmax path.
   */
  public Tensor forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask) {
    return attend(query, key, value, keyPaddingMask, attnMask, false);
  }

  /** Attention of {@code query} over {@code key}/{@code value}, causal (query i sees keys 0..i) when asked. */
  public Tensor forward(Tensor query, Tensor key, Tensor value, boolean isCausal) {
    return attend(query, key, value, null, null, isCausal);
  }

  private Tensor attend(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
      boolean isCausal) {
    boolean unbatched = query.dim() == 2;
    Tensor q3 = unbatched ? query.unsqueeze(0) : query;
    Tensor k3 = unbatched ? key.unsqueeze(0) : key;
    Tensor v3 = unbatched ? value.unsqueeze(0) : value;
    checkShapes(q3, k3, v3);
    Tensor q;
    Tensor k;
    Tensor v;
    if (query == key && key == value) {   // self-attention: one product for the three projections
      List<Tensor> qkv = F.linear(q3, inProjWeight, inProjBias).chunk(3, -1);
      q = qkv.get(0);
      k = qkv.get(1);
      v = qkv.get(2);
    } else {
      q = F.linear(q3, inProjWeight.narrow(0, 0, embedDim), inProjBias.narrow(0, 0, embedDim));
      k = F.linear(k3, inProjWeight.narrow(0, embedDim, embedDim), inProjBias.narrow(0, embedDim, embedDim));
      v = F.linear(v3, inProjWeight.narrow(0, 2 * embedDim, embedDim), inProjBias.narrow(0, 2 * embedDim, embedDim));
    }
    int b = q3.size(0);
    int t = q3.size(1);
    int s = k3.size(1);
    Tensor mask = attnMask == null ? null : scoreMask(attnMask, b, t, s, q.dtype());
    if (keyPaddingMask != null) {
      int[] m = Internals.shapeRef(keyPaddingMask);
      if (m.length != 2 || m[0] != b || m[1] != s) {
        throw new IllegalArgumentException("MultiheadAttention: keyPaddingMask must be [B, S] = [" + b + ", " + s
            + "], but got " + Arrays.toString(m));
      }
      Tensor pad = LayerKernels.attentionBias(keyPaddingMask, q.dtype()).reshape(b, 1, 1, s);
      mask = mask == null ? pad : mask.add(pad);
    }
    Tensor heads = F.scaledDotProductAttention(split(q, b, t), split(k, b, s), split(v, b, s), mask, 0, isCausal);
    Tensor out = outProj.forward(heads.transpose(1, 2).reshape(b, t, embedDim));
    return unbatched ? out.squeeze(0) : out;
  }

  /** {@code [B, L, E] -> [B, H, L, E / H]}. */
  private Tensor split(Tensor x, int b, int len) {
    return x.reshape(b, len, numHeads, embedDim / numHeads).transpose(1, 2);
  }

  /** The module's mask as the functional form's: BOOL inverted into an additive -∞, batch masks split by head. */
  private Tensor scoreMask(Tensor mask, int b, int t, int s, DType dtype) {
    int[] m = Internals.shapeRef(mask);
    boolean twoD = m.length == 2 && m[0] == t && m[1] == s;
    boolean threeD = m.length == 3 && m[0] == b * numHeads && m[1] == t && m[2] == s;
    if (!twoD && !threeD) {
      throw new IllegalArgumentException("MultiheadAttention: attnMask must be [T, S] = [" + t + ", " + s
          + "] or [B*num_heads, T, S] = [" + b * numHeads + ", " + t + ", " + s + "], but got "
          + Arrays.toString(m));
    }
    Tensor additive = LayerKernels.attentionBias(mask, dtype);
    return threeD ? additive.reshape(b, numHeads, t, s) : additive;
  }

  private void checkShapes(Tensor q, Tensor k, Tensor v) {
    boolean ok = q.dim() == 3 && k.dim() == 3 && v.dim() == 3 && q.size(2) == embedDim && k.size(2) == embedDim
        && v.size(2) == embedDim && k.size(0) == q.size(0) && v.size(0) == q.size(0) && k.size(1) == v.size(1);
    if (!ok) {
      throw new IllegalArgumentException(this + " expects query [B, T, " + embedDim + "] and key, value [B, S, "
          + embedDim + "] (or all without B), but got " + Arrays.toString(Internals.shapeRef(q)) + ", "
          + Arrays.toString(Internals.shapeRef(k)) + " and " + Arrays.toString(Internals.shapeRef(v)));
    }
  }

  @Override
  protected String extraRepr() {
    return "embed_dim=" + embedDim + ", num_heads=" + numHeads;
  }
}
