package dev.flint.spark;

import dev.flint.tensor.DType;
import java.io.Serializable;

/** What every worker task of a training run needs to know, shipped with each task. */
final class TrainingJob implements Serializable {
  private static final long serialVersionUID = 1L;

  final String run;
  final ModelFactory model;
  final OptimizerFactory optimizer;
  final LossFactory loss;
  final LabelColumn label;
  final DType dtype;
  final int batches;
  final boolean audit;

  TrainingJob(String run, ModelFactory model, OptimizerFactory optimizer, LossFactory loss, LabelColumn label,
      DType dtype, int batches, boolean audit) {
    this.run = run;
    this.model = model;
    this.optimizer = optimizer;
    this.loss = loss;
    this.label = label;
    this.dtype = dtype;
    this.batches = batches;
    this.audit = audit;
  }
}
