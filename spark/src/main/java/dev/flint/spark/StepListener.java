package dev.flint.spark;

/** Called on the driver after every optimizer step (in local SGD: after every averaging round). */
@FunctionalInterface
public interface StepListener {
  /**
   * @param step the number of steps done so far (1 after the first)
   * @param epoch the epoch of that step (0-based)
   * @param loss the mean loss over the step's global batch (local SGD: over the round)
   */
  void afterStep(long step, int epoch, double loss);
}
