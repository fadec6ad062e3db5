package dev.flint.processor.emit;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.flint.nn.Module;
import dev.flint.processor.Compile;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recurrence rows (LSTM_SCAN, GRU_SCAN and their backwards) write into planned buffers: compiled
 * recurrent classifiers agree with eager mode when two forwards share one backward and the second
 * forward reuses the pooled buffers. (What a warm call of the scan kernels allocates is checked in the
 * runtime's RecurrenceAllocationTest.)
 */
class RecurrentBuffersTest {
  private static final String[] MODELS = {"LstmClassifier", "GruClassifier"};

  @Test
  void twoForwardsThenOneBackwardMatchEager() throws Exception {
    for (String name : MODELS) {
      Class<?>[] types = compile(name);
      for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
        Module eager = (Module) types[0].getConstructor().newInstance();
        Module compiled = (Module) types[1].getConstructor().newInstance();
        compiled.loadStateDict(eager.stateDict());
        eager.to(dtype);
        compiled.to(dtype);
        for (int step = 0; step < 3; step++) {
          Tensor x1 = randn(dtype, 10 + step, 4, 7, 5);
          Tensor x2 = randn(dtype, 20 + step, 3, 7, 5);
          if (name.equals("GruClassifier")) {
            x1 = randn(dtype, 10 + step, 4, 6, 4);
            x2 = randn(dtype, 20 + step, 3, 6, 4);
          }
          double[] first = null;
          for (Module m : new Module[] {eager, compiled}) {
            m.zeroGrad();
            Tensor y1 = m.forward(x1);
            Tensor y2 = m.forward(x2);   // y1's graph still holds the first step's buffers
            y1.pow(2.0).mean().add(y2.mul(y2.add(1.0)).sum()).backward();
            if (first == null) {
              first = y1.toDoubleArray();
            } else {
              assertClose(first, y1.toDoubleArray(), dtype, name + " " + dtype + " step " + step + ": first output");
            }
          }
          Map<String, Tensor> pe = eager.namedParameters();
          Map<String, Tensor> pc = compiled.namedParameters();
          for (String k : pe.keySet()) {
            assertClose(pe.get(k).grad().toDoubleArray(), pc.get(k).grad().toDoubleArray(), dtype,
                name + " " + dtype + " step " + step + ": gradient of " + k);
          }
        }
      }
    }
  }

  /**
   * The state forms keep warm steps free of per-batch allocation: a compiled Seq2Seq step (two-layer LSTMs whose
   * h_n and c_n stack both layers' last steps, the decoder started from the encoder's) allocates the same at
   * batch 8 and 64 in forward and in backward; a state or gradient allocated per step would differ by at least
   * 4·2·56·6 bytes. Measured 2026-12-07 03:19 UTC: before CAT wrote into a planned buffer, 11216 then 21456 bytes
   * per forward; after, 8624 then 7088 (backward about 7 KB at both).
   */
  @Test
  void aWarmStepWithStatesAllocatesTheSameAtAnyBatchSize() throws Exception {
    // the vector kernels, once warm, take over from the pure-Java ones mid-run otherwise (other paths, other allocations)
    assertTrue(dev.flint.Flint.awaitKernelWarmUp(), "the vector kernels' warm-up took over 10 s");
    Class<?>[] types = compile("Seq2Seq");
    int threads = dev.flint.Flint.getNumThreads();
    dev.flint.Flint.setNumThreads(1);
    try {
      allocatedPerStep(types[1], 8);
      allocatedPerStep(types[1], 64);
      long[] small = allocatedPerStep(types[1], 8);
      long[] large = allocatedPerStep(types[1], 64);
      System.out.printf("Seq2Seq compiled step, bytes per forward / backward: batch 8: %d / %d, batch 64: %d / %d%n",
          small[0], small[1], large[0], large[1]);
      // one-sided: small batches take other product paths, which may allocate a little more
      assertTrue(large[0] <= small[0] + 1024, "forward bytes grow with the batch: " + small[0] + " then " + large[0]);
      assertTrue(large[1] <= small[1] + 1024, "backward bytes grow with the batch: " + small[1] + " then " + large[1]);
    } finally {
      dev.flint.Flint.setNumThreads(threads);
    }
  }

  /** Median bytes this thread allocates in forward and in backward over warm steps. */
  private static long[] allocatedPerStep(Class<?> compiledType, int batch) throws Exception {
    Module model = (Module) compiledType.getConstructor().newInstance();
    Tensor[] in = {randn(DType.FLOAT32, 1, batch, 5, 4), randn(DType.FLOAT32, 2, batch, 3, 3),
        randn(DType.FLOAT32, 3, 2, batch, 6).requiresGrad(true), randn(DType.FLOAT32, 4, 2, batch, 6).requiresGrad(true)};
    java.lang.reflect.Method forward = compiledType.getMethod("forward", Tensor.class, Tensor.class, Tensor.class,
        Tensor.class);
    Tensor dOut = randn(DType.FLOAT32, 5, batch, 2).mul(1e-3);
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int steps = 1000;
    long[] fw = new long[steps];
    long[] bw = new long[steps];
    for (int i = 0; i < steps; i++) {
      model.zeroGrad();
      in[2].setGrad(null);
      in[3].setGrad(null);
      long a = bean.getThreadAllocatedBytes(id);
      Tensor y = (Tensor) forward.invoke(model, (Object[]) in);
      long b = bean.getThreadAllocatedBytes(id);
      y.backward(dOut);
      long c = bean.getThreadAllocatedBytes(id);
      fw[i] = b - a;
      bw[i] = c - b;
    }
    long[] f = java.util.Arrays.copyOfRange(fw, steps / 2, steps);
    long[] g = java.util.Arrays.copyOfRange(bw, steps / 2, steps);
    java.util.Arrays.sort(f);
    java.util.Arrays.sort(g);
    return new long[] {f[f.length / 2], g[g.length / 2]};
  }

  private static Class<?>[] compile(String name) throws Exception {
    Compilation c = Compile.models(name);
    assertThat(c).succeeded();
    ClassLoader loader = Compile.loader(c);
    return new Class<?>[] {loader.loadClass("models." + name), loader.loadClass("models.Compiled" + name)};
  }

  private static Tensor randn(DType dtype, long seed, int... shape) {
    Generator.seedAll(seed);
    return Tensor.randn(shape).to(dtype);
  }

  private static void assertClose(double[] e, double[] a, DType dtype, String what) {
    assertEquals(e.length, a.length, what + ": size");
    double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-4;
    for (int i = 0; i < e.length; i++) {
      assertTrue(Math.abs(e[i] - a[i]) <= tol * Math.max(1, Math.abs(e[i])),
          what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
    }
  }
}
