package dev.flint.processor.emit;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * The reused backward buffers must never change what a compiled model computes: against the eager
 * model (the truth), with two forward passes before one backward, a shared non-leaf input whose
 * gradient the engine sums over both passes, outputs kept across calls, changing batch sizes and
 * dtypes, and gradients accumulated over several steps without zeroing.
 */
class BackwardBuffersTest {

  @Test
  void mlpReusesBuffersAndStillMatchesEager() throws Exception {
    Class<?>[] types = compile("Mlp");
    String source = Compile.generatedSource(Compile.models("Mlp"), "models.CompiledMlp");
    assertTrue(source.contains("Buffers.reuse("), "the generated backward reuses buffers:\n" + source);
    check(types, 10);
  }

  @Test
  void residualWithTanhAndSigmoid() throws Exception {
    check(compile("Residual"), 6);
  }

  /** The input's gradient is a reshape (a view) of a product: that product must not get a buffer. */
  @Test
  void inputGradientViewOfAProduct() throws Exception {
    check(compile("Reshaped"), 2, 5);
  }

  /** Image batches: ReLU's backward into rank-4 buffers read by convolution and pooling gradients. */
  @Test
  void convolutions() throws Exception {
    check(compile("CnnSmall"), 1, 28, 28);
  }

  @Test
  void sequenceShapes() throws Exception {
    check(compile("Shapes3d"), 4, 6);
  }

  private static Class<?>[] compile(String name) throws Exception {
    Compilation c = Compile.models(name);
    assertThat(c).succeeded();
    ClassLoader loader = Compile.loader(c);
    return new Class<?>[] {loader.loadClass("models." + name), loader.loadClass("models.Compiled" + name)};
  }

  private static void check(Class<?>[] types, int... sample) throws Exception {
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Module eager = (Module) types[0].getConstructor().newInstance();
      Module compiled = (Module) types[1].getConstructor().newInstance();
      compiled.loadStateDict(eager.stateDict());
      eager.to(dtype);
      compiled.to(dtype);
      // batch sizes change from step to step, so buffers are replaced and reused
      for (int batch : new int[] {4, 4, 1, 3, 4}) {
        step(eager, compiled, dtype, shape(batch, sample), dtype + " batch " + batch);
      }
    }
  }

  /**
   * Two forward passes whose inputs share one non-leaf tensor, outputs checked after the second
   * pass, one loss over both, then backward on each model; gradients compared.
   */
  private static int[] shape(int batch, int[] sample) {
    int[] s = new int[sample.length + 1];
    s[0] = batch;
    System.arraycopy(sample, 0, s, 1, sample.length);
    return s;
  }

  private static void step(Module eager, Module compiled, DType dtype, int[] inShape, String where) {
    int batch = inShape[0];
    Tensor a = randn(dtype, 1000 + batch, inShape).requiresGrad(true);
    Tensor ac = a.copyData().requiresGrad(true);
    Tensor b = randn(dtype, 2000 + batch, inShape);
    Tensor w1 = randn(dtype, 3000 + batch, outShape(eager, a));
    Tensor w2 = randn(dtype, 4000 + batch, outShape(eager, a));

    Tensor z = a.mul(2.0);
    Tensor ye1 = eager.forward(z);
    Tensor ye2 = eager.forward(z.add(b));
    Tensor zc = ac.mul(2.0);
    Tensor yc1 = compiled.forward(zc);
    double[] first = yc1.toDoubleArray();
    Tensor yc2 = compiled.forward(zc.add(b));
    assertArrayEquals(first, yc1.toDoubleArray(), where + ": the first output changed when forward ran again");
    assertClose(ye1, yc1, dtype, where + ": first output");
    assertClose(ye2, yc2, dtype, where + ": second output");

    ye1.mul(w1).sum().add(ye2.mul(w2).sum()).backward();
    yc1.mul(w1).sum().add(yc2.mul(w2).sum()).backward();
    assertClose(a.grad(), ac.grad(), dtype, where + ": gradient of the shared input");
    Map<String, Tensor> pe = eager.namedParameters();
    Map<String, Tensor> pc = compiled.namedParameters();
    for (String k : pe.keySet()) {
      assertClose(pe.get(k).grad(), pc.get(k).grad(), dtype, where + ": gradient of " + k);
    }
    // another pass accumulates into the same gradients (parameters are never zeroed here)
    compiled.forward(randn(dtype, 5000 + batch, inShape)).sum().backward();
    eager.forward(randn(dtype, 5000 + batch, inShape)).sum().backward();
    for (String k : pe.keySet()) {
      assertClose(pe.get(k).grad(), pc.get(k).grad(), dtype, where + ": gradient of " + k + " after a third pass");
    }
  }

  private static int[] outShape(Module eager, Tensor a) {
    try (dev.flint.autograd.Autograd.Scope ignored = dev.flint.autograd.Autograd.noGrad()) {
      return eager.forward(a).shape();
    }
  }

  private static Tensor randn(DType dtype, long seed, int... shape) {
    Generator.seedAll(seed);
    return Tensor.randn(shape).to(dtype);
  }

  private static void assertClose(Tensor expected, Tensor actual, DType dtype, String what) {
    assertNotNull(expected, what + ": no eager value");
    assertNotNull(actual, what + ": missing");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double[] e = expected.toDoubleArray();
    double[] x = actual.toDoubleArray();
    double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-4;
    for (int i = 0; i < e.length; i++) {
      assertTrue(Math.abs(e[i] - x[i]) <= tol * Math.max(1, Math.abs(e[i])),
          what + ": element " + i + " expected " + e[i] + " but was " + x[i]);
    }
  }
}
