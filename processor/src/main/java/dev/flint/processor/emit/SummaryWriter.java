package dev.flint.processor.emit;

import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Value;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model summary, computed at compile time from the training-mode graphs, as an aligned table like
 * torchinfo's: a row per box of {@link ForwardBoxes} (the input, each layer call, each call in
 * {@code @Forward}) with its output shape, parameters, forward FLOPs per sample and their share, and
 * its source line; then the totals: parameters, FLOPs per sample for the forward and backward passes,
 * and the bytes of activations the backward pass keeps per sample (at 4 bytes per element, FLOAT32).
 *
 * <p>FLOPs count a multiply-add as 2 ({@link #flops}); torchinfo's "Mult-Adds" and fvcore count it as
 * 1, so their figures for products and convolutions are half of these. The budget
 * {@code @Model(maxFlopsPerSample)} uses the same count.
 */
public final class SummaryWriter {
  static final String FLOP_CONVENTION = "FLOPs per sample: a multiply-add counts as 2 (torchinfo's Mult-Adds and"
      + " fvcore count it as 1);\nother ops 1 per output element, views 0; work that does not grow with the batch"
      + " is left out.";

  private SummaryWriter() {}

  public static String write(ModelSource model, CompiledMode training) {
    Graph g = training.forward();
    ForwardBoxes boxes = ForwardBoxes.of(g);
    Dim forward = flops(g.nodes());
    Long total = forward.constantValue();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Layer (type)", "Output shape", "Param #", "FLOPs/sample", "FLOPs %", "Source"});
    for (ForwardBoxes.Box b : boxes.boxes()) {
      if (b.kind() == ForwardBoxes.Kind.OUTPUT) {
        continue;
      }
      Dim f = b.flops();
      Long c = f.constantValue();
      String share = c == null || total == null || total == 0 ? "" : c == 0 ? "--"
          : 2000 * c < total ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", 100.0 * c / total);
      rows.add(new String[] {b.kind() == ForwardBoxes.Kind.INPUT ? "input " + b.variable() : b.title(), b.shape(),
          b.kind() == ForwardBoxes.Kind.INPUT ? "" : b.parameters() == 0 ? "--" : count(b.parameters()),
          b.kind() == ForwardBoxes.Kind.INPUT ? "" : c != null && c == 0 ? "--" : figure(f),
          b.kind() == ForwardBoxes.Kind.INPUT ? "" : share,
          b.location() + (b.variable().isEmpty() || b.kind() == ForwardBoxes.Kind.INPUT ? "" : " \u2192 " + b.variable())});
    }
    String table = table(rows);
    int width = table.lines().mapToInt(String::length).max().orElse(0);
    String rule = "=".repeat(width) + "\n";
    StringBuilder sb = new StringBuilder();
    sb.append(model.compiledName()).append(" (compiled from ").append(model.qualifiedName()).append(")\n");
    List<String> lines = table.lines().toList();
    sb.append(rule).append(lines.get(0)).append('\n').append(rule);
    lines.subList(1, lines.size()).forEach(l -> sb.append(l).append('\n'));
    sb.append(rule);

    Dim params = Dim.constant(0);
    for (Leaf l : g.leaves()) {
      if (l.role() == Leaf.Role.PARAM) {
        params = params.plus(l.value().type().numel());
      }
    }
    long buffers = 0;
    Map<String, StateSchema.Entry> schema = StateSchema.of(model);
    if (schema != null) {
      long p = 0;
      for (StateSchema.Entry e : schema.values()) {
        long n = 1;
        for (int d : e.shape()) {
          n *= d;
        }
        if (e.buffer()) {
          buffers += n;
        } else {
          p += n;
        }
      }
      params = Dim.constant(p);   // every layer's, also one that forward does not call, as state_dict holds them
    }
    sb.append("Total params: ").append(figure(params)).append('\n');
    sb.append("Trainable params: ").append(figure(params)).append('\n');
    if (buffers > 0) {
      sb.append("Buffers (not trained: running statistics, counters): ").append(count(buffers)).append(" elements\n");
    }
    sb.append("Forward FLOPs per sample: ").append(figure(forward)).append('\n');
    sb.append("Backward FLOPs per sample: ").append(figure(flops(training.backward().nodes()))).append('\n');
    Dim saved = Dim.constant(0);
    for (Value v : training.saved()) {
      saved = saved.plus(v.type().numel());
    }
    sb.append("Saved activations per sample: ").append(figure(perSample(saved.times(Dim.constant(4)))))
        .append(" bytes (FLOAT32)\n");
    sb.append(rule);
    sb.append(FLOP_CONVENTION).append('\n');
    if (total == null) {
      sb.append("The FLOPs depend on the input's named sizes, so no shares are given.\n");
    }
    return sb.toString();
  }

  /** The rows as aligned columns: text left, numbers (columns 2 to 4) right; trailing blanks trimmed. */
  private static String table(List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        String cell = i >= 2 && i <= 4 ? " ".repeat(width[i] - r[i].length()) + r[i]
            : r[i] + " ".repeat(width[i] - r[i].length());
        line.append(i == 0 ? "" : "   ").append(cell);
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** A figure with thousands separators: {@code 401,920}; a symbolic one as it is: {@code T*264}. */
  static String figure(Dim d) {
    Long c = d.constantValue();
    return c == null ? d.toString() : count(c);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
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
      } else if (n.op().name().startsWith("LSTM_SCAN") || n.op().name().startsWith("GRU_SCAN")) {
        // per step and batch row a product with W_hh (G·H × H multiply-adds), then one pass over the result
        Dim steps = n.out().type().dim(0).times(n.out().type().dim(1));
        Dim whh = n.inputs().get(n.op().name().endsWith("BACKWARD") ? 2 : 1).type().numel();
        total = total.plus(steps.times(whh).times(Dim.constant(2))).plus(out);
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
