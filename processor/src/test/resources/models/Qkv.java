package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;
import java.util.List;

/**
 * nanoGPT's attention with one projection split into q, k, v ({@code List<Tensor>} from split),
 * a chunk read through {@code var}, and a split with sizes given as an array.
 */
@Model(inputDims = {"T", "12"})
public class Qkv extends Module {
  static final int C = 12;
  static final int NH = 2;
  @Layer Linear attn = new Linear(C, 3 * C);
  @Layer Linear proj = new Linear(C, C);

  @Forward
  public Tensor forward(Tensor x) {
    int b = x.size(0);
    int t = x.size(1);
    List<Tensor> qkv = attn.forward(x).split(C, 2);
    Tensor q = qkv.get(0).reshape(b, t, NH, C / NH).transpose(1, 2);
    Tensor k = qkv.get(1).reshape(b, t, NH, C / NH).transpose(1, 2);
    Tensor v = qkv.get(2).reshape(b, t, NH, C / NH).transpose(1, 2);
    Tensor y = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(C / NH)).softmax(-1).matmul(v);
    y = y.transpose(1, 2).reshape(b, t, C);
    var halves = y.chunk(2, -1);
    List<Tensor> parts = y.split(new int[] {C / 3, C - C / 3}, 2);
    Tensor swapped = Tensor.cat(2, parts.get(parts.size() - 1), parts.get(0));
    return proj.forward(Tensor.cat(2, halves.get(1), halves.get(0))).add(swapped);
  }
}
