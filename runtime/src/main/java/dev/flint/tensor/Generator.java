package dev.flint.tensor;

/**
 * A seedable pseudo-random number generator ({@code torch.Generator}). Its whole state is one
 * {@code long} plus a cached normal sample, so a checkpoint can save and restore it exactly.
 * SplitMix64 drives it: fast, statistically sound for ML, and trivially serializable.
 */
public final class Generator {
  private static final Generator DEFAULT = new Generator(0x5DEECE66DL);

  private long state;
  private double cachedGaussian;
  private boolean hasCachedGaussian;

  public Generator(long seed) {
    manualSeed(seed);
  }

  /** The process-wide generator that creation ops, layer initialisation and dropout use by default. */
  public static Generator defaultGenerator() {
    return DEFAULT;
  }

  /** Seeds the default generator, as {@code torch.manual_seed}. */
  public static void seedAll(long seed) {
    DEFAULT.manualSeed(seed);
  }

  /** Re-seeds this generator; the same seed gives the same sequence. */
  public synchronized Generator manualSeed(long seed) {
    state = seed;
    hasCachedGaussian = false;
    return this;
  }

  /** A uniformly distributed 64-bit value. */
  public synchronized long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniform double in {@code [0, 1)}. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A uniform integer in {@code [0, bound)}. */
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, but got " + bound);
    }
    long r = nextLong() >>> 1;
    long m = bound - 1;
    if ((bound & m) == 0) {
      return r & m;
    }
    long u = r;
    while (u - (r = u % bound) + m < 0) {
      u = nextLong() >>> 1;
    }
    return r;
  }

  /** A standard normal sample (Box–Muller, caching the second value). */
  public synchronized double nextGaussian() {
    if (hasCachedGaussian) {
      hasCachedGaussian = false;
      return cachedGaussian;
    }
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 <= Double.MIN_NORMAL);
    double u2 = nextDouble();
    double r = Math.sqrt(-2 * Math.log(u1));
    cachedGaussian = r * Math.sin(2 * Math.PI * u2);
    hasCachedGaussian = true;
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** The generator's full state, for checkpoints: {@code [state, hasCached, cachedBits]}. */
  public synchronized long[] getState() {
    return new long[] {state, hasCachedGaussian ? 1 : 0, Double.doubleToRawLongBits(cachedGaussian)};
  }

  /** Restores a state from {@link #getState()}. */
  public synchronized void setState(long[] saved) {
    if (saved.length != 3) {
      throw new IllegalArgumentException("a generator state has 3 longs, but got " + saved.length);
    }
    state = saved[0];
    hasCachedGaussian = saved[1] != 0;
    cachedGaussian = Double.longBitsToDouble(saved[2]);
  }
}
