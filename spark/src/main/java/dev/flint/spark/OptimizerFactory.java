package dev.flint.spark;

import dev.flint.optim.Optimizer;
import dev.flint.tensor.Tensor;
import java.io.Serializable;
import java.util.List;

/** Creates an optimizer over a model's parameters, e.g. {@code params -> new Adam(params, 1e-3)}. */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
  Optimizer create(List<Tensor> params);
}
