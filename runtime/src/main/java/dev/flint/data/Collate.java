package dev.flint.data;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Collate functions: they turn the samples of one batch into a {@link Batch}.
 * {@link #stack(List)} is the {@link DataLoader}'s default, as PyTorch's {@code default_collate}.
 */
public final class Collate {
  private Collate() {}

  /**
   * Stacks the samples' {@code x} and {@code y} along a new first dimension, copying each into one
   * contiguous array per batch: samples with {@code x: [4]} and 0-d {@code y} give
   * {@code x: [batch, 4]} and {@code y: [batch]}. All x must share shape and dtype, as must all y.
   */
  public static Batch stack(List<? extends Sample> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("collate: a batch needs at least one sample");
    }
    Tensor[] xs = new Tensor[samples.size()];
    Tensor[] ys = new Tensor[samples.size()];
    int withTarget = 0;
    for (int i = 0; i < xs.length; i++) {
      xs[i] = samples.get(i).x();
      ys[i] = samples.get(i).y();
      withTarget += ys[i] == null ? 0 : 1;
    }
    if (withTarget != 0 && withTarget != ys.length) {
      throw new IllegalArgumentException("collate: " + (ys.length - withTarget) + " of the " + ys.length
          + " samples in the batch have no target (y is null) and the others have one");
    }
    return new Batch(stackTensors("x", xs), withTarget == 0 ? null : stackTensors("y", ys));
  }

  /**
   * Stacks tensors of equal shape and dtype along a new first dimension into a new contiguous
   * tensor, without recording autograd history ({@code what} names them in errors).
   */
  public static Tensor stackTensors(String what, Tensor... tensors) {
    Tensor first = tensors[0];
    int[] shape = first.shape();
    DType dtype = first.dtype();
    int per = first.numel();
    for (int i = 1; i < tensors.length; i++) {
      Tensor t = tensors[i];
      if (!Arrays.equals(Internals.shapeRef(t), shape) || t.dtype() != dtype) {
        throw new IllegalArgumentException("collate: every " + what + " in a batch must have the same shape and dtype, but sample 0 has "
            + describe(first) + " and sample " + i + " has " + describe(t));
      }
    }
    Storage out = Storage.allocate(dtype, Math.multiplyExact(per, tensors.length));
    for (int i = 0; i < tensors.length; i++) {
      copy(tensors[i], out, i * per);
    }
    int[] batchShape = new int[shape.length + 1];
    batchShape[0] = tensors.length;
    System.arraycopy(shape, 0, batchShape, 1, shape.length);
    return Internals.wrap(out, batchShape);
  }

  /** Copies {@code src}'s elements in row-major order into {@code dst} from {@code at} (same dtype). */
  static void copy(Tensor src, Storage dst, int at) {
    Storage s = src.storage();
    int n = src.numel();
    if (src.isContiguous()) {
      int from = src.offset();
      switch (dst.dtype()) {
        case FLOAT32: System.arraycopy(s.floats(), from, dst.floats(), at, n); return;
        case FLOAT64: System.arraycopy(s.doubles(), from, dst.doubles(), at, n); return;
        case INT64: System.arraycopy(s.longs(), from, dst.longs(), at, n); return;
        case INT32: System.arraycopy(s.ints(), from, dst.ints(), at, n); return;
        default: System.arraycopy(s.bools(), from, dst.bools(), at, n); return;
      }
    }
    if (dst.dtype().isFloatingPoint()) {
      Layouts.forEachIndex(Internals.shapeRef(src), Internals.stridesRef(src), src.offset(), (i, k) -> dst.setDouble(at + i, s.getDouble(k)));
    } else {
      Layouts.forEachIndex(Internals.shapeRef(src), Internals.stridesRef(src), src.offset(), (i, k) -> dst.setLong(at + i, s.getLong(k)));
    }
  }

  private static String describe(Tensor t) {
    return t.dtype().shortName() + Arrays.toString(Internals.shapeRef(t));
  }
}
