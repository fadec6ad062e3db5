package dev.flint.spark;

import dev.flint.nn.Loss;
import dev.flint.nn.Module;
import dev.flint.nn.Reduction;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One worker's part of a local-SGD round: starting from the averaged model and optimizer state, it
 * takes one optimizer step on its own samples of each of the round's global batches (the mean loss
 * over those samples), then sends back its model and optimizer state for averaging.
 */
final class LocalSgdTask implements FlatMapFunction<Iterator<Shard>, ReplicaSum> {
  private static final long serialVersionUID = 1L;

  private final TrainingJob job;
  private final StateVector[] start;   // model and optimizer state, inside the task as in GradientTask
  private final Broadcast<int[]> batchOfId;
  private final int epoch;
  private final int firstBatch;
  private final int batches;

  LocalSgdTask(TrainingJob job, StateVector[] start, Broadcast<int[]> batchOfId, int epoch, int firstBatch,
      int batches) {
    this.job = job;
    this.start = start;
    this.batchOfId = batchOfId;
    this.epoch = epoch;
    this.firstBatch = firstBatch;
    this.batches = batches;
  }

  @Override
  public Iterator<ReplicaSum> call(Iterator<Shard> shards) {
    ReplicaSum out = ReplicaSum.empty();
    while (shards.hasNext()) {
      out.add(round(shards.next()));
    }
    return List.of(out).iterator();
  }

  private ReplicaSum round(Shard shard) {
    ReplicaSum sum = ReplicaSum.empty();
    long begin = System.nanoTime();
    Module model = Replicas.borrow(job.run, job.model);
    try {
      StateVector[] state = start;
      model.loadStateDict(state[0].toTensors());
      model.train();
      model.zeroGrad();
      Optimizer optimizer = job.optimizer.create(model.parameters());
      if (state[1] != null) {
        optimizer.loadStateDict(state[1].toTensors());
      }
      Loss loss = job.loss.create(Reduction.MEAN);
      long[] ids = new long[0];
      int steps = 0;
      for (int b = firstBatch; b < firstBatch + batches; b++) {
        int[] rows = shard.rowsOf(epoch, b, batchOfId.value(), job.batches);
        if (rows.length == 0) {
          continue;
        }
        Tensor target = shard.labels(rows, job.label, job.dtype);
        Tensor value = loss.forward(model.forward(shard.features(rows, job.dtype)), target);
        optimizer.zeroGrad();
        value.backward();
        optimizer.step();
        sum.loss += value.item() * target.numel();
        sum.elements += target.numel();
        sum.samples += rows.length;
        steps++;
        if (job.audit) {
          long[] more = shard.idsOf(rows);
          ids = Arrays.copyOf(ids, ids.length + more.length);
          System.arraycopy(more, 0, ids, ids.length - more.length, more.length);
        }
      }
      optimizer.zeroGrad();
      if (steps > 0) {
        sum.workers = 1;
        sum.model = StateVector.of(model.stateDict());
        sum.optimizer = StateVector.of(optimizer.stateDict());
      }
      sum.ids = ids;
    } finally {
      Replicas.giveBack(job.run, model);
    }
    sum.maxComputeNanos = System.nanoTime() - begin;
    return sum;
  }
}
