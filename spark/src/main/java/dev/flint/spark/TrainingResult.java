package dev.flint.spark;

import dev.flint.optim.Optimizer;
import java.util.List;

/**
 * What {@link SparkTrainer#fit} did.
 *
 * @param optimizer the driver's optimizer, holding the state the training ended with
 * @param resumedFromStep the step of the checkpoint training resumed from, or 0 when it started afresh
 * @param steps the number of optimizer steps done in all (including those before a resume)
 * @param epochLosses the mean training loss of each epoch completed by this call, in order
 * @param samples the number of training samples
 * @param seconds the wall time of the training loop
 * @param stepMillis the mean wall time of a step (local SGD: of a round) on the driver
 * @param coordinationMillis the mean part of a step (round) not spent computing on the slowest
 *     worker: scheduling, shipping weights, gathering results and the driver's optimizer step
 * @param sampleCounts with {@code recordSampleIds(true)}: for each epoch of this call, how often each
 *     sample id was used; otherwise empty
 */
public record TrainingResult(Optimizer optimizer, long resumedFromStep, long steps, List<Double> epochLosses,
    long samples, double seconds, double stepMillis, double coordinationMillis, List<int[]> sampleCounts) {}
