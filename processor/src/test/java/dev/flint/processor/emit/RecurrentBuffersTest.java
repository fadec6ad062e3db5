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
