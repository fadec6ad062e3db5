package dev.flint.benchmarks.models;

import dev.flint.autograd.GradMode;
import dev.flint.nn.F;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding state for {@link GptSmall} with a KV cache, Flint's own (pytorch_bench.py has no such row): each
 * layer keeps the keys and values of the positions read so far in buffers {@code [1, 4, 64, 32]} allocated once, so
 * the next token runs one row through the model's own modules (eager, over the same weights in {@code GptSmall} and
 * {@code CompiledGptSmall}) and attends to the stored keys. The context must fit in the block of 64 positions:
 * the position table has no row beyond it (nanoGPT's sliding window would move every stored key). The examples'
 * {@code KvCache} is the user-facing form; this is the same computation on the benchmark's model, which the
 * benchmarks module cannot import from the examples.
 */
public final class GptSmallKv {
  private final GptSmall model;
  private final Tensor[] keys = new Tensor[GptSmall.LAYERS];
  private final Tensor[] values = new Tensor[GptSmall.LAYERS];
  private int length;

  public GptSmallKv(GptSmall model) {
    this.model = model;
    DType dtype = model.tok.weight.dtype();
    for (int i = 0; i < keys.length; i++) {
      keys[i] = Tensor.zeros(dtype, 1, GptSmallBlock.HEADS, GptSmall.BLOCK, GptSmallBlock.WIDTH / GptSmallBlock.HEADS);
      values[i] = Tensor.zeros(dtype, 1, GptSmallBlock.HEADS, GptSmall.BLOCK, GptSmallBlock.WIDTH / GptSmallBlock.HEADS);
    }
  }

  /** The positions read so far. */
  public int length() {
    return length;
  }

  /** Forgets the positions read (the buffers stay). */
  public void clear() {
    length = 0;
  }

  /** The logits {@code [1, 65]} after reading one more token {@code idx: INT64 [1, 1]} at position {@link #length()}. */
  public Tensor next(Tensor idx) {
    if (GradMode.isEnabled()) {
      throw new IllegalStateException("GptSmallKv.next is for inference: call it inside Autograd.noGrad()");
    }
    if (idx.dim() != 2 || idx.size(0) != 1 || idx.size(1) != 1) {
      throw new IllegalArgumentException("GptSmallKv.next expects one token id [1, 1], but got " + Arrays.toString(idx.shape()));
    }
    if (length == GptSmall.BLOCK) {
      throw new IllegalStateException("GptSmallKv: the context is full (" + GptSmall.BLOCK + " positions); clear() it");
    }
    Tensor x = model.tok.forward(idx).add(model.pos.weight.narrow(0, length, 1));   // [1, 1, 128]
    int layer = 0;
    for (GptSmallBlock b : model.blocks) {
      x = block(b, x, layer++);
    }
    length++;
    return model.lnF.forward(x).matmul(model.tok.weight.t()).select(1, 0);
  }

  /** {@link GptSmallBlock#forward} of the newest position: its query attends to every stored key and its own. */
  private Tensor block(GptSmallBlock b, Tensor x, int layer) {
    int hs = GptSmallBlock.WIDTH / GptSmallBlock.HEADS;
    List<Tensor> parts = b.qkv.forward(b.ln1.forward(x)).split(GptSmallBlock.WIDTH, 2);
    Tensor q = parts.get(0).reshape(1, 1, GptSmallBlock.HEADS, hs).transpose(1, 2);   // [1, 4, 1, 32]
    keys[layer].narrow(2, length, 1).copyFrom(parts.get(1).reshape(1, 1, GptSmallBlock.HEADS, hs).transpose(1, 2));
    values[layer].narrow(2, length, 1).copyFrom(parts.get(2).reshape(1, 1, GptSmallBlock.HEADS, hs).transpose(1, 2));
    Tensor y = F.scaledDotProductAttention(q, keys[layer].narrow(2, 0, length + 1), values[layer].narrow(2, 0, length + 1),
        false);
    x = x.add(b.proj.forward(y.transpose(1, 2).contiguous().view(1, 1, GptSmallBlock.WIDTH)));
    return x.add(b.fc2.forward(F.gelu(b.fc.forward(b.ln2.forward(x)))));
  }
}
