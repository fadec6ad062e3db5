package dev.flint.processor.emit;

import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward graph as the user wrote it: the input, one box per layer call ({@code fc1: Linear 784→128},
 * all the kernel nodes it lowers to) and per call in {@code @Forward} ({@code F.gelu}, its five nodes), and
 * the output, in forward order, with the edges between them. The picture ({@link GraphPicture}) draws
 * these boxes and the summary table lists them.
 *
 * <p>A layer's box is the node that carries its origin plus the nodes before it lowered from the same
 * call (same source text and line) and used only inside the box; the other nodes group alike around
 * the last node of each call.
 */
public final class ForwardBoxes {

  /** What a box stands for. */
  public enum Kind { INPUT, LAYER, OP, OUTPUT }

  /**
   * One box.
   *
   * @param title the layer ({@code conv1: Conv2d 1→4 k3}) or the call ({@code F.relu}, {@code matmul})
   * @param shape the output's shape text, {@code [B, T, 128]}
   * @param variable the user's variable that holds the output ({@code h}), {@code return}, or empty
   * @param location where it is in the source ({@code Cnn.java:24}), or empty
   * @param parameters the trainable elements it reads first (a tied weight counts in its first box)
   * @param nodes the kernel nodes it stands for, in forward order
   */
  public record Box(Kind kind, String title, String shape, String variable, String location, long parameters,
      List<Node> nodes) {
    /** Forward FLOPs per sample (see {@link SummaryWriter#flops}). */
    public Dim flops() {
      return SummaryWriter.flops(nodes);
    }
  }

  /** An edge: the output of box {@code from} is an input of box {@code to} (indices into {@link #boxes}). */
  public record Edge(int from, int to) {}

  private static final int UNGROUPED = -1;
  private static final int PARAMETER_ONLY = -2;

  private final List<Box> boxes;
  private final List<Edge> edges;

  private ForwardBoxes(List<Box> boxes, List<Edge> edges) {
    this.boxes = List.copyOf(boxes);
    this.edges = List.copyOf(edges);
  }

  public List<Box> boxes() {
    return boxes;
  }

  public List<Edge> edges() {
    return edges;
  }

  /** The boxes of {@code g}: the input first, the output last, the rest in the order their results appear. */
  public static ForwardBoxes of(Graph g) {
    List<Node> nodes = g.nodes();
    Map<Value, Integer> producer = new HashMap<>();
    List<List<Integer>> consumers = new ArrayList<>();
    Leaf input = g.leaves().stream().filter(l -> l.role() == Leaf.Role.INPUT).findFirst().orElse(null);
    Set<Value> data = new HashSet<>();   // values computed from the input; the rest only from parameters
    if (input != null) {
      data.add(input.value());
    }
    for (int i = 0; i < nodes.size(); i++) {
      producer.put(nodes.get(i).out(), i);
      consumers.add(new ArrayList<>());
      for (Value v : nodes.get(i).inputs()) {
        Integer p = producer.get(v);
        if (p != null) {
          consumers.get(p).add(i);
        }
        if (data.contains(v)) {
          data.add(nodes.get(i).out());
        }
      }
    }
    boolean anyData = nodes.stream().anyMatch(n -> data.contains(n.out()));
    int[] groupOf = new int[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      groupOf[i] = anyData && !data.contains(nodes.get(i).out()) ? PARAMETER_ONLY : UNGROUPED;
    }
    List<List<Integer>> groups = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (groupOf[i] == UNGROUPED && !nodes.get(i).out().origin().isEmpty()) {
        groups.add(grow(i, nodes, consumers, groupOf, groups.size()));
      }
    }
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (groupOf[i] == UNGROUPED) {
        groups.add(grow(i, nodes, consumers, groupOf, groups.size()));
      }
    }
    // a node on parameters only (a weight's transpose) belongs to the first box that uses it, drawn as no box
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (groupOf[i] == PARAMETER_ONLY) {
        int first = consumers.get(i).stream().filter(c -> groupOf[c] >= 0).findFirst().orElse(-1);
        if (first >= 0) {
          groupOf[i] = groupOf[first];
          groups.get(groupOf[i]).add(i);
        }
      }
    }
    groups.forEach(grp -> grp.sort(null));
    // forward order: by each group's last node
    groups.sort(Comparator.comparing(grp -> grp.get(grp.size() - 1)));

    List<Box> boxes = new ArrayList<>();
    Map<Value, Integer> boxOf = new HashMap<>();
    if (input != null) {
      boxes.add(new Box(Kind.INPUT, "input", input.value().type().shapeText(), input.access(), "", 0, List.of()));
      boxOf.put(input.value(), 0);
    }
    Set<Value> params = new HashSet<>();
    g.leaves().stream().filter(l -> l.role() == Leaf.Role.PARAM).forEach(l -> params.add(l.value()));
    Set<Value> counted = new HashSet<>();
    for (List<Integer> grp : groups) {
      List<Node> members = grp.stream().map(nodes::get).toList();
      Node root = members.get(members.size() - 1);
      long p = 0;
      for (Node n : members) {
        for (Value v : n.inputs()) {
          if (params.contains(v) && counted.add(v)) {
            p += v.type().numel().constantValue();
          }
        }
      }
      boolean layer = !root.out().origin().isEmpty();
      String variable = root.out().hint().equals("t") ? "" : root.out().equals(g.output())
          && root.out().hint().equals("out") ? "return" : root.out().hint();
      boxes.add(new Box(layer ? Kind.LAYER : Kind.OP, layer ? root.out().origin() : callName(root),
          root.out().type().shapeText(), variable, root.where() == null || root.where().line() == 0 ? ""
              : root.where().location(), p, members));
      members.forEach(n -> boxOf.put(n.out(), boxes.size() - 1));
    }
    boxes.add(new Box(Kind.OUTPUT, "output", g.output().type().shapeText(), "", "", 0, List.of()));

    Set<Edge> edges = new LinkedHashSet<>();
    for (int b = 0; b < boxes.size() - 1; b++) {
      for (Node n : boxes.get(b).nodes()) {
        for (Value v : n.inputs()) {
          Integer from = boxOf.get(v);
          if (from != null && from != b && (data.contains(v) || !anyData)) {
            edges.add(new Edge(from, b));
          }
        }
      }
    }
    Integer last = boxOf.get(g.output());
    if (last != null) {
      edges.add(new Edge(last, boxes.size() - 1));
    }
    return new ForwardBoxes(boxes, new ArrayList<>(edges));
  }

  /**
   * The nodes of one box: {@code root} and the nodes before it, without an origin, lowered from the same
   * call and used only inside the box (a nested model called twice runs the same source twice).
   */
  private static List<Integer> grow(int root, List<Node> nodes, List<List<Integer>> consumers, int[] groupOf, int id) {
    groupOf[root] = id;
    List<Integer> members = new ArrayList<>(List.of(root));
    for (int p = root - 1; p >= 0; p--) {
      if (groupOf[p] == UNGROUPED && nodes.get(p).out().origin().isEmpty() && sameCall(nodes.get(p).where(), nodes.get(root).where())
          && !consumers.get(p).isEmpty() && consumers.get(p).stream().allMatch(c -> groupOf[c] == id)) {
        groupOf[p] = id;
        members.add(p);
      }
    }
    members.sort(null);
    return members;
  }

  private static boolean sameCall(SourceRef a, SourceRef b) {
    return a != null && b != null && a.line() == b.line() && a.file().equals(b.file()) && a.text().equals(b.text())
        && a.iteration().equals(b.iteration());
  }

  /**
   * The outermost call of the node's source expression: {@code F.gelu} for {@code F.gelu(fc.forward(h))},
   * {@code transpose} for {@code a.reshape(b, t, 4).transpose(1, 2)}, {@code gru.forward} for a layer
   * call whose lowering names no layer; the kernel's name when the source is not a call.
   */
  static String callName(Node n) {
    String text = n.where() == null ? "" : n.where().text().strip();
    if (!text.endsWith(")")) {
      return n.name();
    }
    int depth = 0;
    int open = -1;
    for (int i = text.length() - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == ')' || c == ']' || c == '}') {
        depth++;
      } else if ((c == '(' || c == '[' || c == '{') && --depth == 0) {
        open = i;
        break;
      }
    }
    int start = open;
    while (start > 0 && Character.isJavaIdentifierPart(text.charAt(start - 1))) {
      start--;
    }
    if (open <= 0 || start == open) {
      return n.name();
    }
    String method = text.substring(start, open);
    int qualifier = start - 1;
    if (qualifier > 0 && text.charAt(qualifier) == '.') {
      int q = qualifier;
      while (q > 0 && Character.isJavaIdentifierPart(text.charAt(q - 1))) {
        q--;
      }
      String receiver = text.substring(q, qualifier);
      // a static call on a class (F.relu, Tensor.cat) keeps its class, as does a layer's forward without
      // a layer origin (gru.forward); another instance call shows the method
      boolean onClass = !receiver.isEmpty() && Character.isUpperCase(receiver.charAt(0));
      if (!receiver.isEmpty() && (q == 0 || text.charAt(q - 1) != '.') && (onClass || method.equals("forward"))) {
        return receiver + "." + method;
      }
    }
    return method;
  }
}
