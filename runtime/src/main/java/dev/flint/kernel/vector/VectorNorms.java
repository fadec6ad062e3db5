package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalization's FLOAT32 rows on the Vector API ({@code kernel.LayerNorm} holds the scalar loops and
 * the FLOAT64 ones): the forward {@code (x − μ)·σ⁻¹} (then {@code ·w + b}), the input gradient
 * {@code (g − mean(g) − (x − μ)·mean(g·(x − μ))·σ⁻²)·σ⁻¹} (of {@code g·w} for the affine form) and the weight
 * gradient {@code Σ_rows g·x̂}, with μ and σ recomputed from x. Sums run on float
 * lanes of the GEMM's species, each lane summing at most {@link #BLOCK}{@code /L} elements; a block's lanes
 * are added in float and the blocks in double, so a long row loses no more than a short one. The mean is
 * summed from {@code x − x₀} and rows are centred on it as a float pair, so rows far from zero agree with
 * the scalar loops to a few float ulps too (see {@code kernel.LayerNorm}). Each method is flat loops over arrays for many rows (no vector crosses a call), and
 * {@link #warmUp()} runs every loop, vector part and tail, on small rows.
 */
public final class VectorNorms {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Elements per block of lane sums, added into a double. */
  private static final int BLOCK = 64 * L;

  private VectorNorms() {}

  /**
   * {@code o = (x − μ)·σ⁻¹}, or {@code (x − μ)·σ⁻¹·w + b} when w (and b) are given, for {@code rows} contiguous rows
   * of {@code n} from {@code x[xi]} into {@code o[oi]}; w and b hold n values from {@code wi}, {@code bi}.
   */
  public static void layerNorm(float[] x, int xi, float[] w, int wi, float[] b, int bi, float[] o, int oi, int rows,
      int n, double eps) {
    int nv = n - n % L;
    for (int r = 0; r < rows; r++, xi += n, oi += n) {
      double mu = rowMean(x, xi, n);
      float mean = (float) mu;
      float meanLo = (float) (mu - mean);   // μ = mean + meanLo: x − μ keeps its own precision, not μ's
      FloatVector m = FloatVector.broadcast(S, mean);
      FloatVector mLo = FloatVector.broadcast(S, meanLo);
      float rstd = invStd(x, xi, n, mean, meanLo, eps);
      FloatVector rs = FloatVector.broadcast(S, rstd);
      if (w == null) {
        for (int j = 0; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo).mul(rs).intoArray(o, oi + j);
        }
        for (int j = nv; j < n; j++) {
          o[oi + j] = (x[xi + j] - mean - meanLo) * rstd;
        }
      } else {
        for (int j = 0; j < nv; j += L) {
          FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo).mul(rs)
              .fma(FloatVector.fromArray(S, w, wi + j), FloatVector.fromArray(S, b, bi + j)).intoArray(o, oi + j);
        }
        for (int j = nv; j < n; j++) {
          o[oi + j] = (x[xi + j] - mean - meanLo) * rstd * w[wi + j] + b[bi + j];
        }
      }
    }
  }

  /**
   * The input gradient of {@link #layerNorm} from the output gradient g (rows of {@code g[gi]}) and the input
   * (rows of {@code x[xi]}), into {@code o[oi]}; with w (n values from {@code wi}, or null) the gradient of the
   * affine form, i.e. that of x̂ for {@code g·w}.
   */
  public static void layerNormBackward(float[] g, int gi, float[] x, int xi, float[] w, int wi, float[] o, int oi,
      int rows, int n, double eps) {
    int nv = n - n % L;
    for (int r = 0; r < rows; r++, gi += n, xi += n, oi += n) {
      double mu = rowMean(x, xi, n);
      float mean = (float) mu;
      float meanLo = (float) (mu - mean);   // μ = mean + meanLo: x − μ keeps its own precision, not μ's
      FloatVector m = FloatVector.broadcast(S, mean);
      FloatVector mLo = FloatVector.broadcast(S, meanLo);
      double sq = 0;
      double sg = 0;
      double sgc = 0;   // Σ g'·(x − μ), g' = g·w or g
      for (int j0 = 0; j0 < nv; j0 += BLOCK) {
        int end = Math.min(nv, j0 + BLOCK);
        FloatVector accSq = FloatVector.zero(S);
        FloatVector accG = FloatVector.zero(S);
        FloatVector accGc = FloatVector.zero(S);
        if (w == null) {
          for (int j = j0; j < end; j += L) {
            FloatVector c = FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo);
            FloatVector gv = FloatVector.fromArray(S, g, gi + j);
            accSq = c.fma(c, accSq);
            accG = accG.add(gv);
            accGc = gv.fma(c, accGc);
          }
        } else {
          for (int j = j0; j < end; j += L) {
            FloatVector c = FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo);
            FloatVector gv = FloatVector.fromArray(S, g, gi + j).mul(FloatVector.fromArray(S, w, wi + j));
            accSq = c.fma(c, accSq);
            accG = accG.add(gv);
            accGc = gv.fma(c, accGc);
          }
        }
        sq += accSq.reduceLanes(VectorOperators.ADD);
        sg += accG.reduceLanes(VectorOperators.ADD);
        sgc += accGc.reduceLanes(VectorOperators.ADD);
      }
      for (int j = nv; j < n; j++) {
        float c = x[xi + j] - mean - meanLo;
        float gj = w == null ? g[gi + j] : g[gi + j] * w[wi + j];
        sq += c * c;
        sg += gj;
        sgc += gj * c;
      }
      double rstdD = 1 / Math.sqrt(sq / n + eps);
      float rstd = (float) rstdD;
      float meanG = (float) (sg / n);
      float slope = (float) (rstdD * rstdD * sgc / n);
      FloatVector rs = FloatVector.broadcast(S, rstd);
      FloatVector mg = FloatVector.broadcast(S, meanG);
      FloatVector negSlope = FloatVector.broadcast(S, -slope);
      if (w == null) {
        for (int j = 0; j < nv; j += L) {
          FloatVector c = FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo);
          FloatVector gv = FloatVector.fromArray(S, g, gi + j).sub(mg);
          c.fma(negSlope, gv).mul(rs).intoArray(o, oi + j);
        }
      } else {
        for (int j = 0; j < nv; j += L) {
          FloatVector c = FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo);
          FloatVector gv = FloatVector.fromArray(S, g, gi + j).mul(FloatVector.fromArray(S, w, wi + j)).sub(mg);
          c.fma(negSlope, gv).mul(rs).intoArray(o, oi + j);
        }
      }
      for (int j = nv; j < n; j++) {
        float c = x[xi + j] - mean - meanLo;
        float gj = w == null ? g[gi + j] : g[gi + j] * w[wi + j];
        o[oi + j] = (gj - meanG - c * slope) * rstd;
      }
    }
  }

  /**
   * {@code o[oi + k] += Σ_r g[r, k]·x̂[r, k]} over {@code rows} rows of {@code n}: the affine form's weight gradient
   * (o holds the sums so far: zero for a fresh one).
   */
  public static void layerNormWeightGrad(float[] g, int gi, float[] x, int xi, float[] o, int oi, int rows, int n,
      double eps) {
    int nv = n - n % L;
    for (int r = 0; r < rows; r++, gi += n, xi += n) {
      double mu = rowMean(x, xi, n);
      float mean = (float) mu;
      float meanLo = (float) (mu - mean);   // μ = mean + meanLo: x − μ keeps its own precision, not μ's
      FloatVector m = FloatVector.broadcast(S, mean);
      FloatVector mLo = FloatVector.broadcast(S, meanLo);
      float rstd = invStd(x, xi, n, mean, meanLo, eps);
      FloatVector rs = FloatVector.broadcast(S, rstd);
      for (int j = 0; j < nv; j += L) {
        FloatVector xh = FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo).mul(rs);
        FloatVector.fromArray(S, g, gi + j).fma(xh, FloatVector.fromArray(S, o, oi + j)).intoArray(o, oi + j);
      }
      for (int j = nv; j < n; j++) {
        o[oi + j] += g[gi + j] * ((x[xi + j] - mean - meanLo) * rstd);
      }
    }
  }

  /**
   * The mean of {@code x[xi .. xi + n)} (n ≥ 1), summed as {@code x − x₀} (x₀ the row's first element) so
   * that the float lanes add numbers about σ in size, not |μ|. Takes and returns no vector (C2 boxes those).
   */
  private static double rowMean(float[] x, int xi, int n) {
    int nv = n - n % L;
    float x0 = x[xi];
    FloatVector shift = FloatVector.broadcast(S, x0);
    double sum = 0;
    for (int j0 = 0; j0 < nv; j0 += BLOCK) {
      int end = Math.min(nv, j0 + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (int j = j0; j < end; j += L) {
        acc = acc.add(FloatVector.fromArray(S, x, xi + j).sub(shift));
      }
      sum += acc.reduceLanes(VectorOperators.ADD);
    }
    for (int j = nv; j < n; j++) {
      sum += x[xi + j] - x0;
    }
    return x0 + sum / n;
  }

  /** {@code 1/√(biased variance + eps)} of the row, its deviations taken from μ = mean + meanLo. */
  private static float invStd(float[] x, int xi, int n, float mean, float meanLo, double eps) {
    int nv = n - n % L;
    FloatVector m = FloatVector.broadcast(S, mean);
    FloatVector mLo = FloatVector.broadcast(S, meanLo);
    double sq = 0;
    for (int j0 = 0; j0 < nv; j0 += BLOCK) {
      int end = Math.min(nv, j0 + BLOCK);
      FloatVector acc = FloatVector.zero(S);
      for (int j = j0; j < end; j += L) {
        FloatVector c = FloatVector.fromArray(S, x, xi + j).sub(m).sub(mLo);
        acc = c.fma(c, acc);
      }
      sq += acc.reduceLanes(VectorOperators.ADD);
    }
    for (int j = nv; j < n; j++) {
      float c = x[xi + j] - mean - meanLo;
      sq += c * c;
    }
    return (float) (1 / Math.sqrt(sq / n + eps));
  }

  /** Rows for {@link #warmUp()}: a vector part and a tail, and two rows. */
  private static final int WARM = 2 * L + 3;
  private static final float[] WARM_X = new float[2 * WARM + 3];
  private static final float[] WARM_Y = new float[2 * WARM];

  /** One round of every loop on small rows, for the tier's warm-up (run single-threaded). */
  public static void warmUp() {
    for (int i = 0; i < WARM_X.length; i++) {
      WARM_X[i] = ((i * 37) % 101 - 50) * 0.07f;
    }
    layerNorm(WARM_X, 0, null, 0, null, 0, WARM_Y, 0, 2, WARM, 1e-5);
    layerNorm(WARM_X, 0, WARM_X, 1, WARM_X, 2, WARM_Y, 0, 2, WARM, 1e-5);
    layerNormBackward(WARM_X, 0, WARM_X, 1, null, 0, WARM_Y, 0, 1, WARM, 1e-5);
    layerNormBackward(WARM_X, 0, WARM_X, 1, WARM_X, 2, WARM_Y, 0, 1, WARM, 1e-5);
    layerNormWeightGrad(WARM_X, 0, WARM_X, 1, WARM_Y, 0, 2, WARM, 1e-5);
  }
}
