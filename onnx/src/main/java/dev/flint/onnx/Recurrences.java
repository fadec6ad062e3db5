package dev.flint.onnx;

import dev.flint.compiled.ForwardGraph.Elem;
import dev.flint.compiled.ForwardGraph.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The fused step loops of LSTM and GRU ({@code LSTM_SCAN}, {@code GRU_SCAN}, see {@code kernel.Recurrence})
 * as ONNX {@code Scan} over the time axis of the batch-first input projections. The body computes one
 * step as the kernel does (PyTorch's gate order and formulas) and emits the row's packed slots, so the
 * result is the row's {@code [B, T, slots, H]} tensor and the layer's narrows read it unchanged. ONNX's
 * own LSTM and GRU ops are not used: they keep neither every step's cell state nor the gates.
 */
final class Recurrences {
  private Recurrences() {}

  /** LSTM: inputs gx {@code [B, T, 4H]}, whh {@code [4H, H]}, h0, c0 {@code [B, H]}; slots (h_{t−1}, c_{t−1}, h_t, c_t, i, f, g, o). */
  static void lstm(GraphTranslation t, Node n) {
    Elem elem = n.output().elem();
    int type = t.onnxType(elem);
    String gx = t.input(n, 0, elem);
    String whhT = t.temp("whh_t", "Transpose", List.of(t.input(n, 1, elem)), elem, List.of(),
        OnnxProto.intsAttr("perm", 1, 0));
    String h0 = t.input(n, 2, elem);
    String c0 = t.input(n, 3, elem);
    String axis = t.ints("slot_axis", 1);
    Body b = new Body(t);
    String h = b.input("h", type);
    String c = b.input("c", type);
    String x = b.input("gx", type);
    String pre = b.op("Add", x, b.op("MatMul", h, whhT));
    List<String> gates = b.split(pre, 4);
    String i = b.op("Sigmoid", gates.get(0));
    String f = b.op("Sigmoid", gates.get(1));
    String g = b.op("Tanh", gates.get(2));
    String o = b.op("Sigmoid", gates.get(3));
    String c2 = b.op("Add", b.op("Mul", f, c), b.op("Mul", i, g));
    String h2 = b.op("Mul", o, b.op("Tanh", c2));
    String slots = b.stack(axis, h, c, h2, c2, i, f, g, o);
    b.output(h2, type);
    b.output(c2, type);
    b.output(slots, type);
    t.addMulti("Scan", List.of(h0, c0, gx), List.of(t.name("h_last"), t.name("c_last"), n.output().name()),
        b.scanAttributes(t, n));
  }

  /** GRU: inputs gx {@code [B, T, 3H]}, whh {@code [3H, H]}, bhh {@code [3H]}, h0; slots (h_{t−1}, h_t, r, z, n, W_hn·h + b_hn). */
  static void gru(GraphTranslation t, Node n) {
    Elem elem = n.output().elem();
    int type = t.onnxType(elem);
    String gx = t.input(n, 0, elem);
    String whhT = t.temp("whh_t", "Transpose", List.of(t.input(n, 1, elem)), elem, List.of(),
        OnnxProto.intsAttr("perm", 1, 0));
    String bhh = t.input(n, 2, elem);
    String h0 = t.input(n, 3, elem);
    String axis = t.ints("slot_axis", 1);
    String one = t.scalar("one", 1, elem);
    Body b = new Body(t);
    String h = b.input("h", type);
    String x = b.input("gx", type);
    List<String> xs = b.split(x, 3);
    List<String> rs = b.split(b.op("Add", b.op("MatMul", h, whhT), bhh), 3);
    String r = b.op("Sigmoid", b.op("Add", xs.get(0), rs.get(0)));
    String z = b.op("Sigmoid", b.op("Add", xs.get(1), rs.get(1)));
    String hn = rs.get(2);
    String nn = b.op("Tanh", b.op("Add", xs.get(2), b.op("Mul", r, hn)));
    String h2 = b.op("Add", b.op("Mul", b.op("Sub", one, z), nn), b.op("Mul", z, h));
    String slots = b.stack(axis, h, h2, r, z, nn, hn);
    b.output(h2, type);
    b.output(slots, type);
    t.addMulti("Scan", List.of(h0, gx), List.of(t.name("h_last"), n.output().name()), b.scanAttributes(t, n));
  }

  /** A Scan body under construction: its nodes read the outer graph's values by name (whh, constants). */
  private static final class Body {
    private final GraphTranslation t;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();

    Body(GraphTranslation t) {
      this.t = t;
    }

    String input(String purpose, int type) {
      String name = t.name(purpose);
      inputs.add(OnnxProto.valueInfo(name, type));
      return name;
    }

    void output(String name, int type) {
      outputs.add(OnnxProto.valueInfo(name, type));
    }

    String op(String opType, String... in) {
      String out = t.name(opType.toLowerCase(java.util.Locale.ROOT));
      nodes.add(OnnxProto.node(opType, List.of(in), List.of(out), out, "", List.of()));
      return out;
    }

    /** Equal parts along the last axis (opset 13–17 Split: as many parts as outputs). */
    List<String> split(String x, int parts) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        out.add(t.name("part"));
      }
      nodes.add(OnnxProto.node("Split", List.of(x), out, out.get(0), "", List.of(OnnxProto.intAttr("axis", 1))));
      return out;
    }

    /** {@code [B, H]} values stacked as slots: {@code [B, slots, H]}. */
    String stack(String axis, String... values) {
      List<String> columns = new ArrayList<>();
      for (String v : values) {
        columns.add(op("Unsqueeze", v, axis));
      }
      String out = t.name("slots");
      nodes.add(OnnxProto.node("Concat", columns, List.of(out), out, "", List.of(OnnxProto.intAttr("axis", 1))));
      return out;
    }

    /** Scan over axis 1 (time) of the one scan input, stacking the slots along axis 1. */
    ProtoWriter[] scanAttributes(GraphTranslation t, Node n) {
      ProtoWriter graph = OnnxProto.graph(n.output().name() + "/step", "one step of " + n.op(), nodes, List.of(),
          inputs, outputs);
      return new ProtoWriter[] {OnnxProto.graphAttr("body", graph), OnnxProto.intAttr("num_scan_inputs", 1),
          OnnxProto.intsAttr("scan_input_axes", 1), OnnxProto.intsAttr("scan_output_axes", 1)};
    }
  }
}
