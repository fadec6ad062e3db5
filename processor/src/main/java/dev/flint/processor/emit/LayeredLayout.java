package dev.flint.processor.emit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered (Sugiyama-style) top-to-bottom layout of a small directed acyclic graph: each box goes on
 * the row after its deepest predecessor; an edge that skips rows gets a narrow dummy box on every row it
 * crosses, so it bends around boxes instead of through them; a few barycenter sweeps order each row to
 * avoid crossings and place boxes under their inputs. Boxes are given in topological order.
 */
final class LayeredLayout {
  static final double ROW_GAP = 34;
  static final double BOX_GAP = 24;
  private static final double DUMMY_WIDTH = 8;
  private static final int SWEEPS = 4;

  /** A box's top-left corner and size. */
  record Rect(double x, double y, double width, double height) {
    double centerX() {
      return x + width / 2;
    }
  }

  /** The laid-out boxes, each edge as the points it passes through (top to bottom), and the drawing's size. */
  record Result(List<Rect> boxes, List<List<double[]>> edges, double width, double height) {}

  private final List<double[]> sizes = new ArrayList<>();   // width, height; real boxes first, then dummies
  private final List<List<Integer>> preds = new ArrayList<>();
  private final List<List<Integer>> succs = new ArrayList<>();
  private final List<Integer> rank = new ArrayList<>();
  private final List<Double> x = new ArrayList<>();
  private int real;   // boxes 0 .. real-1 are the caller's; the rest are dummies

  private LayeredLayout() {}

  /** Lays out boxes of the given {@code widths} and {@code heights} joined by {@code edges} ({from, to}, from &lt; to). */
  static Result of(double[] widths, double[] heights, List<int[]> edges, double margin) {
    LayeredLayout l = new LayeredLayout();
    int real = widths.length;
    l.real = real;
    for (int i = 0; i < real; i++) {
      l.add(widths[i], heights[i], 0);
    }
    // each box one row below its deepest predecessor (backward edges, which a DAG lacks, are ignored)
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int[] e : edges) {
        if (e[0] < e[1] && l.rank.get(e[1]) <= l.rank.get(e[0])) {
          l.rank.set(e[1], l.rank.get(e[0]) + 1);
          changed = true;
        }
      }
    }
    List<List<Integer>> chains = new ArrayList<>();
    for (int[] e : edges) {
      List<Integer> chain = new ArrayList<>(List.of(e[0]));
      if (e[0] < e[1]) {
        for (int r = l.rank.get(e[0]) + 1; r < l.rank.get(e[1]); r++) {
          chain.add(l.add(DUMMY_WIDTH, 0, r));
        }
      }
      chain.add(e[1]);
      for (int i = 0; i + 1 < chain.size(); i++) {
        l.succs.get(chain.get(i)).add(chain.get(i + 1));
        l.preds.get(chain.get(i + 1)).add(chain.get(i));
      }
      chains.add(chain);
    }
    return l.place(real, chains, margin);
  }

  private int add(double width, double height, int r) {
    sizes.add(new double[] {width, height});
    preds.add(new ArrayList<>());
    succs.add(new ArrayList<>());
    rank.add(r);
    x.add(0.0);
    return sizes.size() - 1;
  }

  private Result place(int real, List<List<Integer>> chains, double margin) {
    int rows = rank.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    List<List<Integer>> row = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      row.add(new ArrayList<>());
    }
    for (int v = 0; v < sizes.size(); v++) {
      row.get(rank.get(v)).add(v);
    }
    double[] rowHeight = new double[rows];
    for (int v = 0; v < sizes.size(); v++) {
      rowHeight[rank.get(v)] = Math.max(rowHeight[rank.get(v)], sizes.get(v)[1]);
    }
    for (List<Integer> r : row) {
      pack(r, null);
    }
    for (int s = 0; s < SWEEPS; s++) {
      for (int r = 1; r < rows; r++) {
        sortAndPlace(row.get(r), preds);
      }
      for (int r = rows - 2; r >= 0; r--) {
        sortAndPlace(row.get(r), succs);
      }
    }
    for (int r = 1; r < rows; r++) {
      sortAndPlace(row.get(r), preds);   // finish under the inputs: a chain of boxes stands straight
    }
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    for (int v = 0; v < sizes.size(); v++) {
      minX = Math.min(minX, x.get(v));
      maxX = Math.max(maxX, x.get(v) + sizes.get(v)[0]);
    }
    double[] top = new double[rows + 1];
    top[0] = margin;
    for (int r = 0; r < rows; r++) {
      top[r + 1] = top[r] + rowHeight[r] + ROW_GAP;
    }
    List<Rect> rects = new ArrayList<>();
    for (int v = 0; v < sizes.size(); v++) {
      double h = v < real ? sizes.get(v)[1] : rowHeight[rank.get(v)];
      double y = top[rank.get(v)] + (rowHeight[rank.get(v)] - h) / 2;
      rects.add(new Rect(x.get(v) - minX + margin, y, sizes.get(v)[0], h));
    }
    double[] out = ports(chains, rects, true);
    double[] in = ports(chains, rects, false);
    List<List<double[]>> edges = new ArrayList<>();
    for (int c = 0; c < chains.size(); c++) {
      List<Integer> chain = chains.get(c);
      List<double[]> points = new ArrayList<>();
      Rect from = rects.get(chain.get(0));
      points.add(new double[] {out[c], from.y() + from.height()});
      for (int i = 1; i < chain.size() - 1; i++) {
        Rect d = rects.get(chain.get(i));
        points.add(new double[] {d.centerX(), d.y()});
        points.add(new double[] {d.centerX(), d.y() + d.height()});
      }
      Rect to = rects.get(chain.get(chain.size() - 1));
      points.add(new double[] {in[c], to.y()});
      edges.add(points);
    }
    return new Result(rects.subList(0, real), edges, maxX - minX + 2 * margin,
        rows == 0 ? 2 * margin : top[rows] - ROW_GAP + margin);
  }

  /**
   * Where each chain leaves its first box ({@code leaving}) or enters its last: the edges of one box side
   * by side across its middle, in the order of the boxes at their other ends, so they do not cross.
   */
  private double[] ports(List<List<Integer>> chains, List<Rect> rects, boolean leaving) {
    double[] at = new double[chains.size()];
    Map<Integer, List<Integer>> byBox = new HashMap<>();
    for (int c = 0; c < chains.size(); c++) {
      List<Integer> chain = chains.get(c);
      byBox.computeIfAbsent(leaving ? chain.get(0) : chain.get(chain.size() - 1), k -> new ArrayList<>()).add(c);
    }
    byBox.forEach((box, cs) -> {
      cs.sort(Comparator.comparingDouble(c -> {
        List<Integer> chain = chains.get(c);
        return rects.get(leaving ? chain.get(1) : chain.get(chain.size() - 2)).centerX();
      }));
      Rect r = rects.get(box);
      double step = Math.min(14, r.width() / (cs.size() + 1));
      for (int i = 0; i < cs.size(); i++) {
        at[cs.get(i)] = r.centerX() + (i - (cs.size() - 1) / 2.0) * step;
      }
    });
    return at;
  }

  /** Orders {@code r} by the mean position of each box's neighbours, then places the boxes under them. */
  private void sortAndPlace(List<Integer> r, List<List<Integer>> neighbours) {
    double[] wanted = new double[sizes.size()];
    for (int v : r) {
      // a box follows its real neighbours, not a skipping edge's dummies, so a residual's main path
      // stays straight and the skip bends around it
      List<Integer> n = neighbours.get(v).stream().anyMatch(u -> u < real)
          ? neighbours.get(v).stream().filter(u -> u < real).toList() : neighbours.get(v);
      wanted[v] = n.isEmpty() ? center(v) : n.stream().mapToDouble(this::center).average().orElseThrow();
    }
    r.sort(Comparator.comparingDouble(v -> wanted[v]));
    pack(r, wanted);
  }

  private double center(int v) {
    return x.get(v) + sizes.get(v)[0] / 2;
  }

  /**
   * Places the boxes of a row in order, each as near its wanted center as the boxes beside it allow.
   * The real boxes first: the mean of a placement pushed rightwards and one pushed leftwards (both keep
   * the gaps, so their mean does too), so a fan of boxes stays centered under its source. Then the
   * dummies, each at its wanted place or pushed right of the box before it, so a skipping edge makes
   * way for the boxes instead of shoving them aside. Without wanted centers the row is packed around 0.
   */
  private void pack(List<Integer> r, double[] wanted) {
    if (wanted == null) {
      double total = r.stream().mapToDouble(v -> sizes.get(v)[0]).sum() + BOX_GAP * (r.size() - 1);
      double at = -total / 2;
      for (int v : r) {
        x.set(v, at);
        at += sizes.get(v)[0] + BOX_GAP;
      }
      return;
    }
    List<Integer> boxes = r.stream().filter(v -> v < real).toList();
    int n = boxes.size();
    double[] left = new double[n];
    double[] right = new double[n];
    for (int i = 0; i < n; i++) {
      left[i] = wanted[boxes.get(i)] - sizes.get(boxes.get(i))[0] / 2;
      if (i > 0) {
        left[i] = Math.max(left[i], left[i - 1] + sizes.get(boxes.get(i - 1))[0] + BOX_GAP);
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      double w = sizes.get(boxes.get(i))[0];
      right[i] = wanted[boxes.get(i)] - w / 2;
      if (i < n - 1) {
        right[i] = Math.min(right[i], right[i + 1] - w - BOX_GAP);
      }
    }
    for (int i = 0; i < n; i++) {
      x.set(boxes.get(i), (left[i] + right[i]) / 2);
    }
    double end = -Double.MAX_VALUE;
    for (int v : r) {
      double at = Math.max(v < real ? x.get(v) : wanted[v] - sizes.get(v)[0] / 2, end + BOX_GAP);
      x.set(v, at);
      end = at + sizes.get(v)[0];
    }
  }

}
