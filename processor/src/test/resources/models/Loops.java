package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** Counted for loops, unrolled: a layer applied N times with residuals, a loop down over chunks, a step of 2. */
@Model(input = {6})
public class Loops extends Module {
  static final int N = 3;
  @Layer Linear fc = new Linear(6, 6);
  @Layer Linear out = new Linear(6, 2);

  @Forward
  public Tensor forward(Tensor x) {
    Tensor h = x;
    for (int i = 0; i < N; i++) {
      h = h.add(F.tanh(fc.forward(h)).mul(1.0 / (i + 1)));
    }
    var parts = h.chunk(3, 1);
    Tensor acc = parts.get(0);
    for (int j = parts.size() - 1; j >= 1; j -= 1) {
      acc = acc.mul(parts.get(j));
    }
    for (int k = 2; k <= 4; k += 2) {
      h = h.mul(k);
    }
    return out.forward(h).add(acc.sum(1, true));
  }
}
