package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * Fused kernels for compiled backward passes: ReLU's backward {@code dY * sign(y)} in one pass.
 * (Products with a transposed operand are {@code MatMul.matmulTransposed}.)
 */
final class Fused {
  private Fused() {}

  /** {@code out = a * sign(s)}, elementwise over same-shape operands. */
  static Tensor mulSign(Tensor a, Tensor s, Tensor out) {
    if (!Arrays.equals(Internals.shapeRef(a), Internals.shapeRef(s))) {
      throw new IllegalArgumentException("mulSign: expected operands of the same shape, but got "
          + Arrays.toString(Internals.shapeRef(a)) + " and " + Arrays.toString(Internals.shapeRef(s)));
    }
    DType t = a.dim() > 0 ? DType.promote(a.dtype(), s.dtype()) : DTypes.promote(a, s);
    Tensor o = Elementwise.prepare(out, t, Internals.shapeRef(a), "mulSign");
    boolean dense = a.isContiguous() && s.isContiguous() && a.dtype() == t && s.dtype() == t;
    int n = o.numel();
    if (dense && t == DType.FLOAT32) {
      float[] av = a.storage().floats();
      float[] sv = s.storage().floats();
      float[] ov = o.storage().floats();
      int ao = a.offset();
      int so = s.offset();
      int oo = o.offset();
      if (VectorTier.active()) {
        // signum's branches mispredict on ReLU outputs (half zeros): blends on the vector tier
        VectorRows.mulSign(av, ao, sv, so, ov, oo, n);
        return o;
      }
      for (int i = 0; i < n; i++) {
        ov[oo + i] = av[ao + i] * signum(sv[so + i]);
      }
      return o;
    }
    if (dense && t == DType.FLOAT64) {
      double[] av = a.storage().doubles();
      double[] sv = s.storage().doubles();
      double[] ov = o.storage().doubles();
      int ao = a.offset();
      int so = s.offset();
      int oo = o.offset();
      for (int i = 0; i < n; i++) {
        ov[oo + i] = av[ao + i] * signum(sv[so + i]);
      }
      return o;
    }
    // other dtypes and layouts: the two kernels it fuses
    return Elementwise.binary(Binary.MUL, "mulSign", a, Kernels.sign(s), o);
  }

  /**
   * {@link Math#signum(float)}, bit for bit (±0, NaN and infinities included), without its branches:
   * scaled by 2^200 every nonzero float is at least 1 in magnitude, and the clamp to [-1, 1] keeps
   * zeros' signs and NaN. C2 vectorizes a loop of these (min/max of vectors) where it leaves
   * {@code signum}'s branches scalar, and those mispredict on ReLU outputs, half of them zero: the
   * pure-Java ReLU backward over [256, 64] ran 16 us, now 3.2 us (-XX:-UseSuperWord: 24 us, so it is
   * the vectorization that pays).
   */
  static float signum(float s) {
    return Math.min(Math.max(s * 0x1p100f * 0x1p100f, -1f), 1f);
  }

  /** {@link Math#signum(double)} without branches, as {@link #signum(float)} (2^1200 covers the smallest subnormal). */
  static double signum(double s) {
    return Math.min(Math.max(s * 0x1p600 * 0x1p600, -1.0), 1.0);
  }
}
