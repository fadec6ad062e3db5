package dev.flint.layers;

import dev.flint.ops.DimAlgebra;

/**
 * The size arithmetic of the composites: products of dims through a {@link DimAlgebra} (sizes may be
 * the compiler's symbolic codes, Note [Dimension algebra]) and a mean's factor {@code 1/n} as the
 * scalar attribute its op carries.
 */
public interface Sizes {
  /** Plain int sizes, as eager tensors have. */
  Sizes EAGER = new Sizes() {
    @Override
    public DimAlgebra dims() {
      return DimAlgebra.EAGER;
    }

    @Override
    public double reciprocal(int n) {
      return 1.0 / n;
    }
  };

  DimAlgebra dims();

  /** {@code 1 / n} as a scalar attribute. */
  double reciprocal(int n);
}
