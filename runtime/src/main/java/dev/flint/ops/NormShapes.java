package dev.flint.ops;

import java.util.List;

/** Shape rules of the layer-norm rows: rows of the last dim of x, and per-column weight and bias {@code [n]}. */
final class NormShapes {
  private NormShapes() {}

  /** Two inputs of one shape (the gradient and x): that shape. */
  static int[] sameShapes(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    sameShape(d, op, in.get(0), in.get(1));
    return in.get(1).clone();
  }

  /** LAYER_NORM_AFFINE's (x, w, b): x's shape, with w and b {@code [n]} for x's last dim n. */
  static int[] affine(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    int[] x = in.get(0);
    perColumn(d, op, x, in.get(1), "weight");
    perColumn(d, op, x, in.get(2), "bias");
    return x.clone();
  }

  /** LAYER_NORM_AFFINE_BACKWARD's (g, x, w): x's shape. */
  static int[] affineBackward(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    sameShape(d, op, in.get(0), in.get(1));
    perColumn(d, op, in.get(1), in.get(2), "weight");
    return in.get(1).clone();
  }

  /** LAYER_NORM_WEIGHT_GRAD's (g, x): {@code [n]}, x's last dim. */
  static int[] weightGrad(DimAlgebra d, String op, List<int[]> in, Attrs attrs) {
    sameShape(d, op, in.get(0), in.get(1));
    int[] x = in.get(1);
    if (x.length == 0) {
      throw new ShapeError(op + ": expected an input with at least one dim, but got a scalar");
    }
    return new int[] {x[x.length - 1]};
  }

  private static void sameShape(DimAlgebra d, String op, int[] g, int[] x) {
    if (!java.util.Arrays.equals(g, x)) {
      throw new ShapeError(op + ": expected the gradient and the input of one shape, but got " + d.str(g) + " and "
          + d.str(x));
    }
  }

  private static void perColumn(DimAlgebra d, String op, int[] x, int[] w, String what) {
    if (x.length == 0 || w.length != 1 || w[0] != x[x.length - 1]) {
      throw new ShapeError(op + ": expected a " + what + " of shape [n] for an input of shape [*, n], but got "
          + d.str(w) + " for " + d.str(x));
    }
  }
}
