package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision 2×2 max pooling with stride 2 and no padding (a CNN's {@code MaxPool2d(2)}) on the
 * incubating Vector API, a block of windows at a time: a block is one vector of each of the window
 * pair's two input rows, i.e. {@link #windowsPerBlock()} windows side by side. Within a vector, even
 * lanes hold each window's left column and the next lane its right one, so loading each row again one
 * element further on puts all four values of a window in its even lane; the first maximum in window
 * order (a NaN winning, the first of equal values, so a zero keeps its sign) is then three
 * compare-and-blend steps, as PyTorch's {@code val > max || isnan(val)} loop picks it.
 *
 * <p>The species is the preferred one, as in every vector kernel: a second species in the same JVM
 * (a 256-bit one here, tried for rows of 7 to 14 windows) made C2 stop intrinsifying the shared
 * {@code FloatVector} code, and the convolution products fell from about 70 to 2 GFLOP/s. Rows
 * shorter than a block run window by window. Load this class only when {@code jdk.incubator.vector}
 * is in the boot layer, after {@link #warmUp(long)}.
 */
public final class VectorPool {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int HALF = L / 2;
  /** Lane t takes lane 2t: the windows' even lanes packed to the front (the back half is filler). */
  private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> (2 * i) % L);
  /** Lane l takes lane l / 2: one value per window spread over both its columns. */
  private static final VectorShuffle<Float> SPREAD = VectorShuffle.fromOp(S, i -> i / 2);
  /** Lane l takes lane l rounded down to even: a window's result copied to its right column. */
  private static final VectorShuffle<Float> PAIR = VectorShuffle.fromOp(S, i -> i & ~1);
  /** 0, 1, 0, 1, ...: the window position of each lane in the top row (add 2 for the bottom row). */
  private static final FloatVector TOP = FloatVector.fromArray(S, parity(0), 0);
  private static final FloatVector BOTTOM = FloatVector.fromArray(S, parity(2), 0);

  private VectorPool() {}

  private static float[] parity(int base) {
    float[] p = new float[L];
    for (int i = 0; i < L; i++) {
      p[i] = base + (i & 1);
    }
    return p;
  }

  /** Windows per block (half the vector's lanes). */
  public static int windowsPerBlock() {
    return HALF;
  }

  /**
   * The maxima of {@code blocks} blocks of windows whose top row starts at {@code in[r0]} (the bottom
   * row {@code w} further on) into {@code out[at ..]}. Each block stores a whole vector, so it writes
   * {@link #windowsPerBlock()} filler values past its windows, which the caller must overwrite
   * afterwards (or own); it reads {@code in} up to {@code r0 + w + 2·blocks·HALF} inclusive.
   */
  public static void max(float[] in, int r0, int w, float[] out, int at, int blocks) {
    for (int b = 0; b < blocks; b++) {
      int x = r0 + b * L;
      FloatVector m = FloatVector.fromArray(S, in, x);
      for (int k = 1; k < 4; k++) {
        FloatVector v = FloatVector.fromArray(S, in, x + (k >> 1) * w + (k & 1));
        m = m.blend(v, takes(m, v));
      }
      m.rearrange(EVENS).intoArray(out, at + b * HALF);
    }
  }

  /**
   * The gradient of {@link #max} for the same blocks: {@code g[gAt ..]} (one value per window, read up
   * to {@code gAt + (blocks + 1)·HALF}) goes to each window's first maximum, and every other element
   * of the blocks' two rows of {@code dx} (at {@code d0}, the bottom row {@code w} further on) gets 0.
   * Blocks run last to first, so a last block that reaches past the top row's end (a partial one, with
   * {@code w} = 2 × the windows of a row) writes its extra lanes into the bottom row before the first
   * block's bottom store rewrites them; its bottom store's extra lanes land on the next row pair.
   */
  public static void maxBackward(float[] in, int r0, int w, float[] g, int gAt, float[] dx, int d0, int blocks) {
    FloatVector zero = FloatVector.zero(S);
    for (int b = blocks - 1; b >= 0; b--) {
      int x = r0 + b * L;
      FloatVector m = FloatVector.fromArray(S, in, x);
      FloatVector pos = zero;
      for (int k = 1; k < 4; k++) {
        FloatVector v = FloatVector.fromArray(S, in, x + (k >> 1) * w + (k & 1));
        VectorMask<Float> take = takes(m, v);
        m = m.blend(v, take);
        pos = pos.blend(k, take);
      }
      FloatVector where = pos.rearrange(PAIR);
      FloatVector gv = FloatVector.fromArray(S, g, gAt + b * HALF).rearrange(SPREAD);
      int d = d0 + b * L;
      zero.blend(gv, where.compare(VectorOperators.EQ, TOP)).intoArray(dx, d);
      zero.blend(gv, where.compare(VectorOperators.EQ, BOTTOM)).intoArray(dx, d + w);
    }
  }

  /**
   * Runs both kernels on a tiny plane until C2 has compiled them (a fixed number of rounds, bounded
   * by {@code maxMillis}).
   */
  public static void warmUp(long maxMillis) {
    int w = 2 * L;
    float[] in = new float[2 * w + 1];
    for (int i = 0; i < in.length; i++) {
      in[i] = i % 7 == 3 ? Float.NaN : (i * 37 % 11) - 5;
    }
    float[] out = new float[2 * L];
    float[] g = new float[2 * L];
    float[] dx = new float[2 * w];
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    for (int round = 0; round < 12_000; round++) {
      if ((round & 255) == 0 && System.nanoTime() > deadline) {
        return;
      }
      int blocks = round % 3;   // none, one and two: every loop entered and skipped (see VectorOptimizers.warmUp)
      max(in, 0, w, out, 0, blocks);
      maxBackward(in, 0, w, g, 0, dx, 0, blocks);
    }
  }

  /** Where v replaces the running maximum m: v is greater, or v is the first NaN. */
  private static VectorMask<Float> takes(FloatVector m, FloatVector v) {
    VectorMask<Float> vNaN = v.compare(VectorOperators.NE, v);
    VectorMask<Float> mNaN = m.compare(VectorOperators.NE, m);
    return v.compare(VectorOperators.GT, m).or(vNaN.andNot(mNaN));
  }
}
