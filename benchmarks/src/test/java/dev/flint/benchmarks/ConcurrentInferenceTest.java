package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.Flint;
import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.MlpSmall;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Threads sharing one compiled model for inference: each concurrent forward claims its own buffer
 * set from the model's pool (BufferPool), so no thread sees another's intermediate values.
 */
class ConcurrentInferenceTest {
  @Test
  void fourThreadsPredictingWithOneCompiledModelGetTheSequentialResults() throws Exception {
    // the sequential results and the threads' must come from one kernel tier: the pure-Java loops that run
    // while the vector kernels warm up round differently in the last bit
    assertTrue(Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
    Generator.seedAll(0);
    MlpSmall model = Models.create(MlpSmall.class, Models.COMPILED);
    model.eval();
    Generator gen = new Generator(5);
    int inputs = 16;
    Tensor[] xs = new Tensor[inputs];
    float[][] expected = new float[inputs][];
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      for (int i = 0; i < inputs; i++) {
        xs[i] = Tensor.randn(gen, 64, 117);
        expected[i] = model.forward(xs[i]).toFloatArray();
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        Callable<float[][]> job = () -> {
          float[][] got = new float[inputs * 25][];
          try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int k = 0; k < got.length; k++) {
              got[k] = model.forward(xs[(first + k) % inputs]).toFloatArray();
            }
          }
          return got;
        };
        results.add(pool.submit(job));
      }
      for (int t = 0; t < 4; t++) {
        float[][] got = results.get(t).get();
        for (int k = 0; k < got.length; k++) {
          assertArrayEquals(expected[(t + k) % inputs], got[k], "thread " + t + ", call " + k);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
