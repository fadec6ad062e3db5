package dev.flint.optim;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
  private GradClip() {}

  /** {@link #clipGradNorm(Iterable, double, double)} with the 2-norm. */
  public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
    return clipGradNorm(params, maxNorm, 2);
  }

  /**
   * Scales the gradients of {@code params} (those not null) in place so that their total norm — the
   * {@code normType}-norm of all gradient elements together; {@code Double.POSITIVE_INFINITY} for the
   * largest magnitude — is at most {@code maxNorm}: each is multiplied by
   * {@code maxNorm / (total + 1e-6)} when that is below 1. Returns the total norm before clipping.
   */
  public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
    if (!(normType > 0)) {
      throw new IllegalArgumentException("clipGradNorm: normType must be > 0 or infinity, but got " + normType);
    }
    List<Tensor> owners = new ArrayList<>();
    for (Tensor p : params) {
      if (Internals.gradForUpdate(p) != null) {
        owners.add(p);
      }
    }
    double total = 0;
    boolean inf = normType == Double.POSITIVE_INFINITY;
    for (Tensor p : owners) {
      Tensor g = Internals.gradForUpdate(p);
      // Contiguous gradients are read in place; others through one row-major copy.
      Storage s = g.isContiguous() ? g.storage() : Storage.of(g.toDoubleArray());
      int off = g.isContiguous() ? g.offset() : 0;
      int n = g.numel();
      for (int k = 0; k < n; k++) {
        double a = Math.abs(s.getDouble(off + k));
        if (inf) {
          total = Double.isNaN(a) || Double.isNaN(total) ? Double.NaN : Math.max(total, a);
        } else {
          total += normType == 2 ? a * a : Math.pow(a, normType);
        }
      }
    }
    if (!inf) {
      total = normType == 2 ? Math.sqrt(total) : Math.pow(total, 1 / normType);
    }
    double coef = maxNorm / (total + 1e-6);
    if (coef < 1 || Double.isNaN(coef)) {
      scale(owners, coef);
    }
    return total;
  }

  /** Multiplies each gradient by {@code c}: in place, unless its storage is shared or strided. */
  private static void scale(List<Tensor> owners, double c) {
    Map<Storage, Integer> uses = new IdentityHashMap<>();
    for (Tensor p : owners) {
      uses.merge(Internals.gradForUpdate(p).storage(), 1, Integer::sum);
    }
    for (Tensor p : owners) {
      Tensor g = Internals.gradForUpdate(p);
      int n = g.numel();
      if (!g.isContiguous() || uses.get(g.storage()) > 1) {
        double[] v = g.toDoubleArray();
        for (int k = 0; k < n; k++) {
          v[k] *= c;
        }
        Tensor copy = Tensor.of(v, g.shape());
        p.setGrad(g.dtype() == DType.FLOAT64 ? copy : convert(copy, g.dtype()));
        continue;
      }
      Storage s = g.storage();
      int off = g.offset();
      if (g.dtype() == DType.FLOAT64) {
        double[] a = s.doubles();
        for (int k = 0; k < n; k++) {
          a[off + k] *= c;
        }
      } else if (g.dtype() == DType.FLOAT32) {
        float[] a = s.floats();
        for (int k = 0; k < n; k++) {
          a[off + k] = (float) (a[off + k] * c);
        }
      }
    }
  }

  private static Tensor convert(Tensor t, DType dtype) {
    Tensor out = Tensor.empty(dtype, t.shape());
    double[] v = t.toDoubleArray();
    for (int k = 0; k < v.length; k++) {
      out.storage().setDouble(k, v[k]);
    }
    return out;
  }
}
