package dev.flint.processor.ir;

/**
 * Sizes that depend on the batch size. Note [Symbolic sizes]: the op table's shape and derivative
 * rules compute with plain ints, so the processor lowers each model twice, with the batch size set to
 * two different primes ({@link #FIRST} and {@link #SECOND}). A size or attribute that is equal in both
 * runs is a constant; one that differs is {@code B * k} (or, for doubles, {@code 1.0 / (B * k)} as in a
 * mean over the batch), where {@code B} is the batch size at run time. Anything else is refused.
 */
public final class Symbolic {
  /** The batch size of the first run, whose graph is emitted. */
  public static final int FIRST = 1009;
  /** The batch size of the second run, only compared with the first. */
  public static final int SECOND = 1013;
  /** The name of the batch size in generated code and messages. */
  public static final String BATCH = "B";

  private Symbolic() {}

  /** The multiple {@code k} with {@code first = k * FIRST} and {@code second = k * SECOND}, 0 if constant, -1 if neither. */
  public static int batchMultiple(int first, int second) {
    if (first == second) {
      return 0;
    }
    if (first % FIRST == 0 && second % SECOND == 0 && first / FIRST == second / SECOND) {
      return first / FIRST;
    }
    return -1;
  }

  /** A size as users read it: {@code 784}, {@code B}, {@code B*16}. */
  public static String size(int first, int second) {
    int k = batchMultiple(first, second);
    return k == 0 ? Integer.toString(first) : k == 1 ? BATCH : k > 0 ? BATCH + "*" + k : "?";
  }

  /** A shape as users read it, from both runs' shapes: exact where the guess from one run could mistake a size of 1009. */
  public static String shape(int[] first, int[] second) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < first.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(size(first[i], second[i]));
    }
    return sb.append(']').toString();
  }

  /** A shape as users read it, assuming only the first run's shape: batch-sized dims show as B. */
  public static String shape(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(size(shape[i]));
    }
    return sb.append(']').toString();
  }

  /** A size of the first run as users read it, guessing from divisibility (for messages only). */
  public static String size(int first) {
    if (first != 0 && first % FIRST == 0) {
      int k = first / FIRST;
      return k == 1 ? BATCH : BATCH + "*" + k;
    }
    return Integer.toString(first);
  }

  /** {@code k} when {@code first = 1 / (k * FIRST)} and {@code second = 1 / (k * SECOND)}, 0 if constant, -1 if neither. */
  public static long inverseBatchMultiple(double first, double second) {
    if (Double.compare(first, second) == 0) {
      return 0;
    }
    double k1 = 1.0 / (first * FIRST);
    double k2 = 1.0 / (second * SECOND);
    long k = Math.round(k1);
    return k >= 1 && Math.abs(k1 - k) < 1e-6 * k && Math.abs(k2 - k) < 1e-6 * k ? k : -1;
  }
}
