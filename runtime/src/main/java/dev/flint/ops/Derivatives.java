package dev.flint.ops;

import java.util.ArrayList;
import java.util.List;

/** Derivative rules too long for an {@link Op} row's body, written against {@link Algebra} like the rows. */
final class Derivatives {
  private Derivatives() {}

  /** CAT: each input's gradient is its slice of {@code g} along the concatenation dim. */
  static <T> List<T> cat(Algebra<T> a, T g, Call<T> c) {
    int d = c.dim();
    List<T> grads = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < c.arity(); i++) {
      int size = c.inShape(i)[d];
      grads.add(c.needsGrad(i) ? a.narrow(g, d, start, size) : null);
      start += size;
    }
    return grads;
  }

  /** MAX/MIN along a dim: {@code g} goes to the selected element ({@code index}, kept dims) of each slice. */
  static <T> T toIndex(Algebra<T> a, T g, Call<T> c, T index) {
    int[] in = c.inShape(0);
    int[] kept = Shapes.keepDims(in, in.length == 0 ? new int[0] : new int[] {c.dim()});
    T gk = c.attrs().bool(Attrs.KEEP_DIM) ? g : a.reshape(g, kept);
    if (in.length == 0) {
      return gk;
    }
    return a.scatterAdd(gk, c.dim(), index, in);
  }
}
