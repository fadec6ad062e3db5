package dev.flint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.GradCheck;
import dev.flint.autograd.OpNode;
import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.DTypes;
import dev.flint.tensor.Tensor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every row of the op table: forward against hand values, backward against finite differences, closure. */
class OpTableTest {

  private static OpSamples.Sample sample(Op op) {
    OpSamples.Sample s = OpSamples.ALL.get(op);
    assertNotNull(s, "no OpSamples row for " + op);
    return s;
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void forwardMatchesHandValues(Op op) {
    OpSamples.Sample s = sample(op);
    Tensor out = Kernels.forward(op, s.attrs(), s.inputs());
    assertArrayEquals(s.shape(), out.shape(), op + " shape");
    assertArrayEquals(s.expected(), out.toDoubleArray(), 1e-12, op + " values");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void shapeRuleAgreesWithKernel(Op op) {
    OpSamples.Sample s = sample(op);
    List<int[]> shapes = new ArrayList<>();
    for (Tensor t : s.inputs()) {
      shapes.add(t.shape());
    }
    assertArrayEquals(s.shape(), op.inferShape(shapes, s.attrs()), op + " shape rule");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void resultTypeRuleAgreesWithKernel(Op op) {
    OpSamples.Sample s = sample(op);
    for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tensor[] in = convertFloats(s.inputs(), t);
      Tensor out = Kernels.forward(op, s.attrs(), in);
      assertEquals(DTypes.result(op.resultType(), in, s.attrs()), out.dtype(), op + " result dtype on " + t);
    }
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void float32AndStridedInputsGiveTheSameValues(Op op) {
    OpSamples.Sample s = sample(op);
    Tensor f32 = Kernels.forward(op, s.attrs(), convertFloats(s.inputs(), DType.FLOAT32));
    assertArrayEquals(s.expected(), f32.toDoubleArray(), 1e-6, op + " on FLOAT32");
    Tensor[] strided = Arrays.stream(s.inputs()).map(OpTableTest::nonContiguous).toArray(Tensor[]::new);
    Tensor out = Kernels.forward(op, s.attrs(), strided);
    assertArrayEquals(s.expected(), out.toDoubleArray(), 1e-12, op + " on strided inputs");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void backwardMatchesFiniteDifferences(Op op) {
    if (!op.differentiable()) {
      return;
    }
    OpSamples.Sample s = sample(op);
    GradCheck.checkEach(xs -> OpNode.run(op, s.attrs(), xs), s.inputs());
    GradCheck.check(xs -> OpNode.run(op, s.attrs(), xs), s.inputs());
  }

  @Test
  void everyAlgebraMethodIsARow() {
    for (Method m : Algebra.class.getDeclaredMethods()) {
      String row = m.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
      Op op = Stream.of(Op.values()).filter(o -> o.name().equals(row)).findFirst().orElse(null);
      assertNotNull(op, "Algebra." + m.getName() + " has no op row " + row);
      assertEquals(m.getName(), op.opName());
    }
  }

  @Test
  void everyRowHasAKernelMethodNamedAfterIt() {
    for (Op op : Op.values()) {
      boolean found = Stream.of(Kernels.class.getMethods()).anyMatch(m -> m.getName().equals(op.opName()));
      assertTrue(found, "Kernels has no method " + op.opName() + " for row " + op);
    }
  }

  @Test
  void opsIsALeafPackage() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("src/main/java/dev/flint/ops");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir), "sources not found");
    try (Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
        String src = java.nio.file.Files.readString(f);
        String other = src.replace("dev.flint.ops", "");
        assertTrue(!other.contains("dev.flint."), f + " refers to a Flint package outside dev.flint.ops");
        for (String line : src.split("\n")) {
          assertTrue(!line.startsWith("import ") || line.startsWith("import java."), f + ": " + line);
        }
      }
    }
  }

  @Test
  void backwardNamesFollowPyTorch() {
    assertEquals("MulBackward", Op.MUL.backwardName());
    assertEquals("LogSoftmaxBackward", Op.LOG_SOFTMAX.backwardName());
    assertEquals("logSoftmax", Op.LOG_SOFTMAX.opName());
  }

  private static Tensor[] convertFloats(Tensor[] in, DType t) {
    Tensor[] out = new Tensor[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[i].dtype().isFloatingPoint() ? in[i].to(t) : in[i];
    }
    return out;
  }

  /** The same values in a non-contiguous layout (a strided view), to exercise the generic kernel paths. */
  static Tensor nonContiguous(Tensor x) {
    if (x.dim() == 0) {
      return x;
    }
    Tensor wide = Tensor.stack(-1, x, x);   // [..., 2]: every element twice
    return wide.select(-1, 1);               // stride 2 along the last dim
  }
}
