package dev.flint.spark;

import dev.flint.nn.Loss;
import dev.flint.nn.Reduction;
import java.io.Serializable;

/**
 * Creates the loss with a given reduction, e.g. {@code CrossEntropyLoss::new} or {@code MSELoss::new}.
 * The trainer asks for {@link Reduction#SUM} on the workers and divides the summed gradients by the
 * number of loss elements in the global batch, which is {@link Reduction#MEAN} over the global batch.
 */
@FunctionalInterface
public interface LossFactory extends Serializable {
  Loss create(Reduction reduction);
}
