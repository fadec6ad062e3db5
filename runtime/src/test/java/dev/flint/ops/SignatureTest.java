package dev.flint.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.kernel.Kernels;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each row's {@link Signature} against the kernels and the derivative rules: the declared argument
 * order calls the kernel that computes the sample, the out variant exists exactly where declared and
 * writes the same values, a fresh result shares no input's storage, and the saved values are exactly
 * those the rule reads (so an eager node keeps nothing more, and nothing less).
 */
class SignatureTest {

  @ParameterizedTest
  @EnumSource(Op.class)
  void everyRowHasASignatureCoveringItsInputsAndAttributes(Op op) {
    Signature sig = op.signature();
    assertNotNull(sig, op + " has no signature");
    OpSamples.Sample s = OpSamples.ALL.get(op);
    Set<Integer> inputs = new TreeSet<>();
    Set<String> attrs = new TreeSet<>();
    for (Signature.Arg a : sig.kernelArgs()) {
      switch (a.kind()) {
        case INPUT -> assertTrue(inputs.add(a.index()), op + ": input " + a.index() + " twice");
        case INPUTS -> {
          for (int i = 0; i < s.inputs().length; i++) {
            inputs.add(i);
          }
        }
        case ATTR -> assertTrue(attrs.add(a.attr()), op + ": attribute " + a.attr() + " twice");
        case OUTPUT -> throw new AssertionError(op + ": the output is not a kernel argument");
      }
    }
    Set<Integer> expected = new TreeSet<>();
    for (int i = 0; i < s.inputs().length; i++) {
      expected.add(i);
    }
    assertEquals(expected, inputs, op + ": kernel arguments " + sig.kernelArgs() + " must name every input once");
    assertEquals(new TreeSet<>(s.attrs().keys()), attrs, op + ": kernel arguments " + sig.kernelArgs()
        + " must name every attribute of the sample once");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void kernelCalledInTheDeclaredOrderComputesTheSample(Op op) throws Exception {
    OpSamples.Sample s = OpSamples.ALL.get(op);
    Object[] args = arguments(op, s, null);
    Method m = kernel(op, args.length, false);
    assertNotNull(m, "Kernels has no " + op.opName() + " taking " + op.signature().kernelArgs());
    Tensor out = (Tensor) m.invoke(null, args);
    assertArrayEquals(s.shape(), out.shape(), op + " shape");
    assertArrayEquals(s.expected(), out.toDoubleArray(), 1e-12, op + " values");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void outVariantExistsExactlyWhereDeclaredAndWritesTheResult(Op op) throws Exception {
    OpSamples.Sample s = OpSamples.ALL.get(op);
    int n = op.signature().kernelArgs().size();
    Method m = kernel(op, n + 1, true);
    assertEquals(op.signature().outVariant(), m != null, op + ": out variant declared " + op.signature().outVariant()
        + " but Kernels." + op.opName() + "(..., Tensor out) " + (m == null ? "is missing" : "exists"));
    if (m == null) {
      return;
    }
    Tensor reference = Kernels.forward(op, s.attrs(), s.inputs());
    Tensor out = Tensor.empty(reference.dtype(), reference.shape());
    Object result = m.invoke(null, arguments(op, s, out));
    assertSame(out, result, op + ": the out variant returns out");
    assertArrayEquals(s.expected(), out.toDoubleArray(), 1e-12, op + " values written into out");
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void freshResultsShareNoInputStorage(Op op) {
    if (!op.signature().fresh()) {
      return;
    }
    OpSamples.Sample s = OpSamples.ALL.get(op);
    for (Tensor[] in : List.of(s.inputs(), Arrays.stream(s.inputs()).map(OpTableTest::nonContiguous).toArray(Tensor[]::new))) {
      Tensor out = Kernels.forward(op, s.attrs(), in);
      for (Tensor t : in) {
        assertNotSame(t.storage(), out.storage(), op + " is declared fresh but returned an input's storage");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Op.class)
  void savedValuesAreExactlyWhatTheRuleReads(Op op) {
    OpSamples.Sample s = OpSamples.ALL.get(op);
    int n = s.inputs().length;
    Set<String> read = new LinkedHashSet<>();
    for (int mask = 0; mask < (1 << n); mask++) {
      boolean[] needs = new boolean[n];
      for (int i = 0; i < n; i++) {
        needs[i] = (mask & (1 << i)) != 0;
      }
      read.addAll(reads(op, s, needs));
    }
    Set<String> declared = new HashSet<>();
    op.signature().saves().forEach(a -> declared.add(a.toString()));
    assertEquals(new TreeSet<>(declared), new TreeSet<>(read), op + ": the rule reads " + read + ", the signature saves "
        + op.signature().saves());
  }

  /** The values {@code op}'s rule reads when the inputs in {@code needs} need gradients: traced with a probe. */
  private static Set<String> reads(Op op, OpSamples.Sample s, boolean[] needs) {
    Set<String> read = new HashSet<>();
    @SuppressWarnings("unchecked")
    Algebra<Object> probe = (Algebra<Object>) Proxy.newProxyInstance(Algebra.class.getClassLoader(),
        new Class<?>[] {Algebra.class}, (proxy, method, args) -> {
          // sumTo's and cast's second argument gives only a shape or a dtype
          boolean likeOnly = method.getName().equals("sumTo") || method.getName().equals("cast");
          for (int i = 0; i < args.length; i++) {
            if (likeOnly && i == 1) {
              continue;
            }
            if (args[i] instanceof Probe p) {
              read.add(p.name());
            } else if (args[i] instanceof List<?> list) {
              list.forEach(v -> read.add(((Probe) v).name()));
            }
          }
          return new Probe("intermediate");
        });
    List<Object> inputs = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    for (int i = 0; i < s.inputs().length; i++) {
      inputs.add(new Probe("in" + i));
      shapes.add(s.inputs()[i].shape());
    }
    Call<Object> call = new Call<>(op, inputs, new Probe("out"), shapes, s.shape(), s.attrs(), needs);
    op.backward(probe, new Probe("g"), call);
    read.remove("g");
    read.remove("intermediate");
    return read;
  }

  private record Probe(String name) {}

  /** The kernel arguments of the sample call in the signature's order, plus {@code out} if not null. */
  private static Object[] arguments(Op op, OpSamples.Sample s, Tensor out) {
    List<Object> args = new ArrayList<>();
    for (Signature.Arg a : op.signature().kernelArgs()) {
      switch (a.kind()) {
        case INPUT -> args.add(s.inputs()[a.index()]);
        case INPUTS -> args.add(Arrays.asList(s.inputs()));
        case ATTR -> {
          Object v = s.attrs().get(a.attr());
          args.add(a.attr().equals(Attrs.DTYPE) ? DType.valueOf((String) v) : v);
        }
        default -> throw new AssertionError(a);
      }
    }
    if (out != null) {
      args.add(out);
    }
    return args.toArray();
  }

  private static Method kernel(Op op, int parameters, boolean withOut) {
    for (Method m : Kernels.class.getMethods()) {
      if (m.getName().equals(op.opName()) && m.getParameterCount() == parameters
          && (withOut ? m.getParameterTypes()[parameters - 1] == Tensor.class && lastIsNotAnInput(op, parameters)
              : !outInPlaceOfAnAttribute(op, m))) {
        return m;
      }
    }
    return null;
  }

  /**
   * Whether {@code m} is the out variant of a shorter signature ({@code sumTo(x, out)} beside
   * {@code sumTo(x, shape)}): its last parameter is a tensor where the signature has an attribute.
   * Without this check the lookup took whichever of the two {@code getMethods()} listed first.
   */
  private static boolean outInPlaceOfAnAttribute(Op op, Method m) {
    List<Signature.Arg> args = op.signature().kernelArgs();
    int n = m.getParameterCount();
    return n > 0 && n == args.size() && m.getParameterTypes()[n - 1] == Tensor.class
        && args.get(n - 1).kind() == Signature.Arg.Kind.ATTR;
  }

  /** A method with one more parameter than the signature's arguments: its last is the out tensor. */
  private static boolean lastIsNotAnInput(Op op, int parameters) {
    return parameters == op.signature().kernelArgs().size() + 1;
  }
}
