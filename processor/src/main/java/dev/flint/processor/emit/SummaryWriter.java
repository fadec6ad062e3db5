package dev.flint.processor.emit;

import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Value;
import dev.flint.processor.parse.ModelSource;
import java.util.List;

/**
 * The model summary, computed at compile time from the training-mode graphs: each layer's output shape,
 * the parameter count, FLOPs per sample for the forward and backward passes, and the bytes of
 * activations the backward pass keeps per sample (at 4 bytes per element, FLOAT32).
 */
public final class SummaryWriter {
  private SummaryWriter() {}

  public static String write(ModelSource model, CompiledMode training) {
    StringBuilder sb = new StringBuilder();
    sb.append(model.compiledName()).append(" (compiled from ").append(model.qualifiedName()).append(")\n");
    Graph g = training.forward();
    g.leaves().stream().filter(l -> l.role() == Leaf.Role.INPUT).findFirst()
        .ifPresent(l -> sb.append(String.format("  %-28s %s%n", "input", l.value().type().shapeText())));
    for (Node n : g.nodes()) {
      if (!n.out().origin().isEmpty()) {
        sb.append(String.format("  %-28s %s%n", n.out().origin(), n.out().type().shapeText()));
      }
    }
    sb.append(String.format("  %-28s %s%n", "output", g.output().type().shapeText()));
    Dim params = Dim.constant(0);
    for (Leaf l : g.leaves()) {
      if (l.role() == Leaf.Role.PARAM) {
        params = params.plus(l.value().type().numel());
      }
    }
    sb.append("parameters: ").append(params).append('\n');
    sb.append("FLOPs per sample: forward ").append(flops(g.nodes()))
        .append(", backward ").append(flops(training.backward().nodes())).append('\n');
    Dim saved = Dim.constant(0);
    for (Value v : training.saved()) {
      saved = saved.plus(v.type().numel());
    }
    sb.append("saved activations per sample: ").append(perSample(saved.times(Dim.constant(4))))
        .append(" bytes (FLOAT32)\n");
    return sb.toString();
  }

  /**
   * Floating-point operations per sample: 2mnk for products and convolutions, one per element
   * otherwise (views are free); the part that grows with the batch, divided by it, so work that does
   * not (transposing a weight) is amortized away.
   */
  static Dim flops(List<Node> nodes) {
    Dim total = Dim.constant(0);
    for (Node n : nodes) {
      Dim out = n.out().type().numel();
      if (n.op() == dev.flint.ops.Op.MATMUL) {
        total = total.plus(out.times(n.inputs().get(0).type().dim(-1)).times(Dim.constant(2)));
      } else if (n.op().name().startsWith("CONV2D")) {
        Dim gy = n.op() == dev.flint.ops.Op.CONV2D ? out : n.inputs().get(0).type().numel();
        total = total.plus(gy.times(Dim.constant(2 * kernelVolume(n))));   // a multiply-add per output element and tap
      } else if (!isView(n.op())) {
        Dim in = n.inputs().get(0).type().numel();
        total = total.plus(in.atLeastForLargeSizes(out) ? in : out);
      }
    }
    return perSample(total);
  }

  /** The terms of {@code total} that grow with the batch {@code B}, per sample: {@code 645}, {@code T*645}. */
  static Dim perSample(Dim total) {
    Dim b = Dim.symbol(Dim.BATCH);
    Dim perSample = total.substitute(java.util.Map.of(Dim.BATCH, 0L)).minus(total).times(Dim.constant(-1));
    Dim q = perSample.dividedBy(b);
    return q == null ? perSample : q;
  }

  /** C·k·k: the taps of one output element of a convolution or its gradients. */
  private static long kernelVolume(Node n) {
    int[] w = n.op() == dev.flint.ops.Op.CONV2D_WEIGHT_GRAD ? n.attrs().ints(dev.flint.ops.Attrs.SHAPE)
        : n.inputs().get(1).type().shape();
    return (long) w[1] * w[2] * w[3];
  }

  private static boolean isView(dev.flint.ops.Op op) {
    return switch (op) {
      case RESHAPE, PERMUTE, EXPAND, NARROW -> true;
      default -> false;
    };
  }

}
