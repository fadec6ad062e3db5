package dev.flint.benchmarks;

/**
 * One workload's measured time per call: median, 10th and 90th percentile over timed blocks (in ms
 * per call), how many blocks and calls per block were timed, and how much CPU other processes took
 * meanwhile ({@code foreignCpus}, NaN if unknown; {@code contaminated} when above the threshold), and
 * the mean process CPU time per timed call ({@code cpuMsPerCall}: all of this JVM's threads, GC and JIT included).
 */
public record Timing(
    double msMedian,
    double msP10,
    double msP90,
    int nBlocks,
    int itersPerBlock,
    double foreignCpus,
    int attempt,
    boolean contaminated,
    double cpuMsPerCall) {

  /** This timing with the foreign-load verdict of its window. */
  Timing withLoad(double foreign, int attemptNo, double threshold) {
    return new Timing(msMedian, msP10, msP90, nBlocks, itersPerBlock, foreign, attemptNo, foreign > threshold,
        cpuMsPerCall);
  }
}
