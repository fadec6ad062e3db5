package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.EnumMap;
import java.util.Map;

/**
 * A tensor with another's shape, dtype and {@code gradFn} but none of its data (all strides 0 over one
 * shared element): what an eager node keeps of an input its derivative rule reads only for its shape
 * or dtype, so the input's storage can be freed (Note [Saved values] in {@link OpNode}).
 */
final class StandIn {
  private static final Map<DType, Storage> ONE_ELEMENT = new EnumMap<>(DType.class);

  static {
    for (DType t : DType.values()) {
      ONE_ELEMENT.put(t, Storage.allocate(t, 1));
    }
  }

  private StandIn() {}

  static Tensor of(Tensor t) {
    Tensor s = Internals.view(ONE_ELEMENT.get(t.dtype()), 0, t.shape(), new int[t.dim()]);
    if (t.gradFn() != null) {
      Internals.setGradFn(s, t.gradFn());
    }
    return s;
  }
}
