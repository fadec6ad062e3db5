package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.flint.autograd.Autograd;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Runs an exported file in ONNX Runtime and compares its output with the Flint model's evaluation forward. */
final class OnnxRuntimeCheck {
  static final double TOLERANCE = 1e-5;   // FLOAT32; FLOAT64 models are held to 1e-12

  private static double tolerance(Tensor expected) {
    return expected.dtype() == DType.FLOAT64 ? 1e-12 : TOLERANCE;
  }

  private OnnxRuntimeCheck() {}

  /** The model's eval output on {@code x} and ONNX Runtime's on the same values agree within 1e-5 elementwise. */
  static void assertSameOutputs(Module model, Path file, String inputName, Tensor x) throws OrtException {
    model.eval();
    Tensor expected = Autograd.noGrad(() -> model.forward(x));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    if (x.dtype() == DType.FLOAT64) {
      // ORT's CPU graph optimizations fuse Transpose + MatMul into FusedMatMul, which has float kernels only
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
    }
    try (OrtSession session = env.createSession(file.toString(), options);
        OnnxTensor input = toOrt(env, x);
        OrtSession.Result result = session.run(Map.of(inputName, input))) {
      assertEquals(1, result.size(), "one output");
      OnnxTensor out = (OnnxTensor) result.get(0);
      long[] shape = out.getInfo().getShape();
      assertArrayEquals(Arrays.stream(expected.shape()).asLongStream().toArray(), shape,
          "output shape for input " + Arrays.toString(x.shape()));
      double[] actual;
      if (expected.dtype() == DType.FLOAT64) {
        DoubleBuffer buffer = out.getDoubleBuffer();
        actual = new double[buffer.remaining()];
        buffer.get(actual);
      } else {
        FloatBuffer buffer = out.getFloatBuffer();
        actual = new double[buffer.remaining()];
        for (int i = 0; i < actual.length; i++) {
          actual[i] = buffer.get();
        }
      }
      double[] want = expected.toDoubleArray();
      assertEquals(want.length, actual.length, "output size");
      double worst = 0;
      int at = -1;
      for (int i = 0; i < want.length; i++) {
        double d = Math.abs(want[i] - actual[i]);
        if (!(d <= worst)) {
          worst = d;
          at = i;
        }
      }
      if (!(worst <= tolerance(expected))) {
        fail("ONNX Runtime differs from Flint by " + worst + " at flat index " + at + " (Flint " + want[at] + ", ORT "
            + actual[at] + ") for input " + Arrays.toString(x.shape()));
      }
    }
  }

  private static OnnxTensor toOrt(OrtEnvironment env, Tensor x) throws OrtException {
    long[] shape = Arrays.stream(x.shape()).asLongStream().toArray();
    if (x.dtype() == DType.INT64) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(x.toLongArray()), shape);
    }
    if (x.dtype() == DType.FLOAT64) {
      return OnnxTensor.createTensor(env, DoubleBuffer.wrap(x.toDoubleArray()), shape);
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape);
  }
}
