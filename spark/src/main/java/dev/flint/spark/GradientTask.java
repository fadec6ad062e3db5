package dev.flint.spark;

import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.nn.Reduction;
import dev.flint.tensor.Tensor;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One worker's part of a synchronous step: the gradient of the summed loss over its samples of the
 * step's global batch, computed on a replica that holds the driver's current weights.
 */
final class GradientTask implements FlatMapFunction<Iterator<Shard>, GradientSum> {
  private static final long serialVersionUID = 1L;

  private final TrainingJob job;
  // The weights travel inside the task: Spark broadcasts each stage's task binary anyway, so a
  // broadcast of their own would cost a second one per step.
  private final StateVector weights;
  private final Broadcast<int[]> batchOfId;
  private final int epoch;
  private final int batch;

  GradientTask(TrainingJob job, StateVector weights, Broadcast<int[]> batchOfId, int epoch, int batch) {
    this.job = job;
    this.weights = weights;
    this.batchOfId = batchOfId;
    this.epoch = epoch;
    this.batch = batch;
  }

  @Override
  public Iterator<GradientSum> call(Iterator<Shard> shards) {
    GradientSum out = GradientSum.empty();
    while (shards.hasNext()) {
      out.add(compute(shards.next()));
    }
    return List.of(out).iterator();
  }

  private GradientSum compute(Shard shard) {
    GradientSum sum = GradientSum.empty();
    int[] rows = shard.rowsOf(epoch, batch, batchOfId.value(), job.batches);
    if (rows.length == 0) {
      return sum;
    }
    long start = System.nanoTime();
    Module model = Replicas.borrow(job.run, job.model);
    try {
      model.loadStateDict(weights.toTensors());
      model.train();
      model.zeroGrad();
      Tensor target = shard.labels(rows, job.label, job.dtype);
      Loss loss = job.loss.create(Reduction.SUM);
      Tensor value = loss.forward(model.forward(shard.features(rows, job.dtype)), target);
      value.backward();
      sum.gradient = StateVector.gradients(model.parameters());
      sum.loss = value.item();
      sum.elements = target.numel();
      sum.samples = rows.length;
      if (!model.namedBuffers().isEmpty()) {
        sum.buffers = StateVector.of(model.namedBuffers());
        sum.buffersFrom = TaskContext.getPartitionId();
      }
      model.zeroGrad();
    } finally {
      Replicas.giveBack(job.run, model);
    }
    sum.maxComputeNanos = System.nanoTime() - start;
    if (job.audit) {
      sum.ids = shard.idsOf(rows);
    }
    return sum;
  }
}
