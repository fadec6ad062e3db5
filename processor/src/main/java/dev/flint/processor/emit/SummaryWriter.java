package dev.flint.processor.emit;

import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Symbolic;
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
        .ifPresent(l -> sb.append(String.format("  %-28s %s%n", "input", Symbolic.shape(l.value().type().shape()))));
    for (Node n : g.nodes()) {
      if (!n.out().origin().isEmpty()) {
        sb.append(String.format("  %-28s %s%n", n.out().origin(), Symbolic.shape(n.out().type().shape())));
      }
    }
    sb.append(String.format("  %-28s %s%n", "output", Symbolic.shape(g.output().type().shape())));
    long params = 0;
    for (Leaf l : g.leaves()) {
      if (l.role() == Leaf.Role.PARAM) {
        params += numel(l.value().type().shape());
      }
    }
    sb.append("parameters: ").append(params).append('\n');
    sb.append("FLOPs per sample: forward ").append(flops(g.nodes()))
        .append(", backward ").append(flops(training.backward().nodes())).append('\n');
    long saved = 0;
    for (Value v : training.saved()) {
      saved += numel(v.type().shape());
    }
    sb.append("saved activations per sample: ").append(Math.round(4.0 * saved / Symbolic.FIRST))
        .append(" bytes (FLOAT32)\n");
    return sb.toString();
  }

  /**
   * Floating-point operations per sample: 2mnk for products and convolutions, one per element
   * otherwise (views are free); counted at the stand-in batch size and divided by it, so work that
   * does not grow with the batch (transposing a weight) is amortized away.
   */
  static long flops(List<Node> nodes) {
    double total = 0;
    for (Node n : nodes) {
      int[] out = n.out().type().shape();
      if (n.op() == dev.flint.ops.Op.MATMUL) {
        int[] a = n.inputs().get(0).type().shape();
        total += 2.0 * numel(out) * a[a.length - 1];
      } else if (n.op().name().startsWith("CONV2D")) {
        int[] gy = n.op() == dev.flint.ops.Op.CONV2D ? out : n.inputs().get(0).type().shape();
        total += 2.0 * numel(gy) * kernelVolume(n);   // one multiply-add per output element and kernel tap
      } else if (!isView(n.op())) {
        total += Math.max(numel(out), numel(n.inputs().get(0).type().shape()));
      }
    }
    return Math.round(total / Symbolic.FIRST);
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

  private static long numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
