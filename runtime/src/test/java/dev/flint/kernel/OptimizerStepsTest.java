package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.tensor.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FLOAT32 optimizer updates (surefire runs this class with the Vector API tier and without the
 * module) against two references written here element by element: PyTorch's float operations in its
 * order ({@code torch.optim.Adam}'s {@code lerp_}, {@code mul_(β₂).addcmul_}, {@code sqrt / √bc2 + eps},
 * {@code addcdiv_}; SGD's {@code add(param, alpha=λ)}, {@code mul_(μ).add_(d, alpha=1−τ)},
 * {@code add_(d, alpha=−lr)}), which they must match bit for bit, and the same steps in double, which
 * they must match to float rounding. Sizes cover the vector body, the tail, and a split over threads.
 */
class OptimizerStepsTest {
  @BeforeAll
  static void vectorKernelsWarm() {
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
  }

  private static final int[] SIZES = {1, 7, 16, 37, 1000, 70_001};

  @Test
  void adamMatchesPyTorchsFloatOperationsAndTheDoubleSteps() {
    // (lr, β₁, β₂, eps, λ, decoupled, amsgrad): plain, L2 decay, AdamW, amsgrad with β₁ >= 0.5 (lerp's other form)
    Object[][] settings = {
      {1e-3, 0.9, 0.999, 1e-8, 0.0, false, false},
      {0.05, 0.8, 0.99, 1e-6, 0.1, false, false},
      {0.1, 0.85, 0.995, 1e-8, 0.2, true, false},
      {0.1, 0.3, 0.6, 1e-8, 0.0, false, true},
    };
    for (Object[] c : settings) {
      for (int n : SIZES) {
        adamCase(n, (double) c[0], (double) c[1], (double) c[2], (double) c[3], (double) c[4], (boolean) c[5],
            (boolean) c[6]);
      }
    }
  }

  private static void adamCase(int n, double lr, double b1, double b2, double eps, double wd, boolean decoupled,
      boolean amsgrad) {
    String what = "adam n=" + n + " lr=" + lr + " betas=(" + b1 + ", " + b2 + ") wd=" + wd
        + (decoupled ? " decoupled" : "") + (amsgrad ? " amsgrad" : "");
    Generator gen = new Generator(n);
    float[] w = gaussian(gen, n, 1);
    float[] wRef = w.clone();
    double[] wD = widen(w);
    float[] m = new float[n];
    float[] v = new float[n];
    float[] vMax = amsgrad ? new float[n] : null;
    float[] mRef = new float[n];
    float[] vRef = new float[n];
    float[] vMaxRef = new float[n];
    double[] mD = new double[n];
    double[] vD = new double[n];
    double[] vMaxD = new double[n];
    for (int t = 1; t <= 3; t++) {
      float[] g = gaussian(gen, n, 0.5);
      double stepSize = lr / (1 - Math.pow(b1, t));
      double bias2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
      OptimizerSteps.adam(w, 0, g, 0, m, v, vMax, n, decoupled ? 1 - lr * wd : 1, decoupled ? 0 : wd, b1, b2,
          stepSize, bias2Sqrt, eps);
      float weight = (float) (1 - b1);
      for (int k = 0; k < n; k++) {
        // PyTorch, float: param.mul_(1 - lr·λ); grad.add(param, alpha=λ); exp_avg.lerp_(grad, 1 - β₁)
        float p = decoupled ? wRef[k] * (float) (1 - lr * wd) : wRef[k];
        float d = !decoupled && wd != 0 ? g[k] + (float) wd * p : g[k];
        mRef[k] = Math.abs(weight) < 0.5f ? mRef[k] + weight * (d - mRef[k]) : d - (d - mRef[k]) * (1f - weight);
        vRef[k] = vRef[k] * (float) b2 + (float) (1 - b2) * d * d;
        float second = vRef[k];
        if (amsgrad) {
          second = vMaxRef[k] = Math.max(vMaxRef[k], vRef[k]);
        }
        float denom = (float) Math.sqrt(second) / (float) bias2Sqrt + (float) eps;
        wRef[k] = p + (float) -stepSize * mRef[k] / denom;

        // the documentation's pseudo-code in double: m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
        double pd = decoupled ? wD[k] - lr * wd * wD[k] : wD[k];
        double dd = decoupled ? g[k] : g[k] + wd * pd;
        mD[k] = b1 * mD[k] + (1 - b1) * dd;
        vD[k] = b2 * vD[k] + (1 - b2) * dd * dd;
        vMaxD[k] = Math.max(vMaxD[k], vD[k]);
        double vHat = (amsgrad ? vMaxD[k] : vD[k]) / (1 - Math.pow(b2, t));
        wD[k] = pd - lr * (mD[k] / (1 - Math.pow(b1, t))) / (Math.sqrt(vHat) + eps);
      }
      for (int k = 0; k < n; k++) {
        assertEquals(wRef[k], w[k], 0f, what + ", step " + t + ", w[" + k + "] (PyTorch's float operations)");
        assertEquals(mRef[k], m[k], 0f, what + ", step " + t + ", m[" + k + "]");
        assertEquals(vRef[k], v[k], 0f, what + ", step " + t + ", v[" + k + "]");
        if (amsgrad) {
          assertEquals(vMaxRef[k], vMax[k], 0f, what + ", step " + t + ", vMax[" + k + "]");
        }
        // each step moves w by about lr; float rounding of w and of the step stays far below 1e-5·lr
        assertEquals(wD[k], w[k], 2e-6 * Math.max(1, Math.abs(wD[k])),
            what + ", step " + t + ", w[" + k + "] (double steps)");
      }
    }
  }

  @Test
  void sgdMatchesPyTorchsFloatOperationsAndTheDoubleSteps() {
    // (lr, μ, τ, λ, nesterov)
    double[][] settings = {{0.1, 0, 0, 0, 0}, {0.05, 0, 0, 0.1, 0}, {0.01, 0.9, 0, 0, 0}, {0.05, 0.8, 0.3, 0.1, 0},
      {0.05, 0.8, 0, 0.1, 1}};
    for (double[] c : settings) {
      for (int n : SIZES) {
        sgdCase(n, c[0], c[1], c[2], c[3], c[4] != 0);
      }
    }
  }

  private static void sgdCase(int n, double lr, double mu, double damp, double wd, boolean nesterov) {
    String what = "sgd n=" + n + " lr=" + lr + " momentum=" + mu + " dampening=" + damp + " wd=" + wd
        + (nesterov ? " nesterov" : "");
    Generator gen = new Generator(n + 1);
    float[] w = gaussian(gen, n, 1);
    float[] wRef = w.clone();
    double[] wD = widen(w);
    float[] buf = mu != 0 ? new float[n] : null;
    float[] bufRef = new float[n];
    double[] bufD = new double[n];
    for (int t = 1; t <= 3; t++) {
      float[] g = gaussian(gen, n, 0.5);
      OptimizerSteps.sgd(w, 0, g, 0, buf, n, lr, wd, mu, damp, t == 1, nesterov);
      for (int k = 0; k < n; k++) {
        float d = wd != 0 ? g[k] + (float) wd * wRef[k] : g[k];
        double dd = g[k] + wd * wD[k];
        if (mu != 0) {
          bufRef[k] = t == 1 ? d : bufRef[k] * (float) mu + (float) (1 - damp) * d;
          d = nesterov ? d + (float) mu * bufRef[k] : bufRef[k];
          bufD[k] = t == 1 ? dd : mu * bufD[k] + (1 - damp) * dd;
          dd = nesterov ? dd + mu * bufD[k] : bufD[k];
        }
        wRef[k] = wRef[k] + (float) -lr * d;
        wD[k] = wD[k] - lr * dd;
      }
      for (int k = 0; k < n; k++) {
        assertEquals(wRef[k], w[k], 0f, what + ", step " + t + ", w[" + k + "] (PyTorch's float operations)");
        if (buf != null) {
          assertEquals(bufRef[k], buf[k], 0f, what + ", step " + t + ", buf[" + k + "]");
        }
        assertEquals(wD[k], w[k], 1e-6 * Math.max(1, Math.abs(wD[k])), what + ", step " + t + ", w[" + k + "] (double steps)");
      }
    }
  }

  @Test
  void offsetsIntoLargerArraysAreHonoured() {
    // a parameter and a gradient that start inside their arrays (views of a flat buffer)
    int n = 41;
    float[] w = new float[n + 5];
    float[] g = new float[n + 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = i;
    }
    for (int i = 0; i < g.length; i++) {
      g[i] = -1;
    }
    OptimizerSteps.sgd(w, 5, g, 3, null, n, 0.5, 0, 0, 0, true, false);
    for (int i = 0; i < 5; i++) {
      assertEquals(i, w[i], 0f, "w[" + i + "] before the parameter is untouched");
    }
    for (int k = 0; k < n; k++) {
      assertEquals(5 + k + 0.5f, w[5 + k], 0f, "w[" + (5 + k) + "]");
    }
  }

  private static float[] gaussian(Generator gen, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (gen.nextGaussian() * scale);
    }
    return a;
  }

  private static double[] widen(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
