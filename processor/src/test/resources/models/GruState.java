package models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Input;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.*;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A two-layer GRU whose initial state is computed from a context input ([B, 3] → [2, B, 5]); its output and final
 * state run the GRU again (a record read inline and through var), and a third run starts from zeros (null).
 */
@Model(inputDims = {"T", "4"})
public class GruState extends Module {
  @Layer Linear init = new Linear(3, 10);
  @Layer GRU gru = new GRU(4, 5, 2);
  @Layer GRU again = new GRU(5, 5, 2);
  @Layer Linear head = new Linear(5, 2);

  public Tensor forward(Tensor x) {
    throw new UnsupportedOperationException("GruState takes a context too");
  }

  @Forward
  public Tensor forward(Tensor x, @Input({"B", "3"}) Tensor ctx) {
    Tensor h0 = F.tanh(init.forward(ctx)).reshape(-1, 2, 5).permute(1, 0, 2);
    var o = gru.forward(x, h0);
    GRU.Output p = again.forward(o.output(), o.hn());
    Tensor fromZeros = gru.forward(x, null).hn().narrow(0, 1, 1).squeeze(0);
    return head.forward(p.output().mean(1)).add(head.forward(p.hn().sum(0).add(fromZeros)));
  }
}
