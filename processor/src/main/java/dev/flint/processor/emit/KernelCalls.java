package dev.flint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel call that computes a node: {@code Kernels.<opName>(inputs and attributes)}, with the
 * arguments in the order of the row's {@code Algebra} method (which {@code Kernels} mirrors). Sizes are
 * {@link Dim} codes; symbolic ones are written over the int locals named after them ({@code B * T}).
 */
final class KernelCalls {
  static final String KERNEL_PACKAGE = "dev.flint.kernel";
  static final ClassName KERNELS = ClassName.get(KERNEL_PACKAGE, "Kernels");
  private static final Pattern TOKEN = Pattern.compile("\\{T:([\\w.$]+)}|%s");

  private final Constants constants;

  /** Calls whose constant {@code int[]} attributes become fields of {@code constants}. */
  KernelCalls(Constants constants) {
    this.constants = constants;
  }

  /** The call computing {@code n}, naming inputs with {@code names}; with {@code out}, the kernel writes into that tensor. */
  CodeBlock call(Node n, Function<Value, CodeBlock> names, CodeBlock out) {
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("$T.$N(", KERNELS, n.op().opName());
    List<CodeBlock> args = new ArrayList<>();
    for (String slot : slots(n)) {
      args.add(arg(slot, n, names));
    }
    if (out != null) {
      args.add(out);
    }
    b.add(CodeBlock.join(args, ", "));
    return b.add(")").build();
  }

  private CodeBlock arg(String slot, Node n, Function<Value, CodeBlock> names) {
    if (slot.equals("*")) {
      List<CodeBlock> items = new ArrayList<>();
      n.inputs().forEach(v -> items.add(names.apply(v)));
      return CodeBlock.of("$T.of($L)", List.class, CodeBlock.join(items, ", "));
    }
    if (slot.startsWith("@")) {
      String key = slot.substring(1);
      int index = -1;
      int bracket = key.indexOf('[');
      if (bracket >= 0) {
        index = Integer.parseInt(key.substring(bracket + 1, key.length() - 1));
        key = key.substring(0, bracket);
      }
      Object a = n.attrs().get(key);
      if (index >= 0) {
        return size(((int[]) a)[index]);
      }
      if (a instanceof int[] xs && allKnown(xs)) {
        return constants.intArray(key, xs);
      }
      return attr(a);
    }
    return names.apply(n.inputs().get(Integer.parseInt(slot)));
  }

  private static final ClassName DTYPE = ClassName.get("dev.flint.tensor", "DType");
  private static final ClassName DTYPES = ClassName.get("dev.flint.tensor", "DTypes");
  /** Ops whose kernel has an {@code out} variant that writes a contiguous result into a given buffer. */
  private static final Set<Op> OUT_VARIANT = EnumSet.of(Op.MATMUL, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.WHERE, Op.RELU,
      Op.NEG, Op.SIGN, Op.EXP, Op.LOG, Op.SQRT, Op.SIGMOID, Op.TANH, Op.SOFTMAX, Op.LOG_SOFTMAX, Op.ADD_SCALAR,
      Op.MUL_SCALAR, Op.SUM, Op.SUM_TO);

  /** Whether {@code op}'s kernel can write into a buffer the generated code passes as {@code out}. */
  static boolean hasOutVariant(Op op) {
    return OUT_VARIANT.contains(op);
  }

  /**
   * The dtype of {@code n}'s result as Java code, by the kernel's own rule, for the buffer passed as
   * {@code out}: operand dtypes are known only at run time (a model converted to FLOAT64). Avoids the
   * varargs {@code DTypes.promote} where both operands have dims, so no array is allocated per call.
   */
  CodeBlock resultDtype(Node n, Function<Value, CodeBlock> names) {
    List<Value> in = n.inputs();
    CodeBlock x = names.apply(in.get(0));
    return switch (n.op()) {
      case MATMUL, RELU, NEG, SIGN -> CodeBlock.of("$L.dtype()", x);
      case ADD, SUB, MUL -> promote(in.get(0), in.get(1), names);
      case DIV -> CodeBlock.of("$T.toFloat($L)", DTYPES, promote(in.get(0), in.get(1), names));
      case WHERE -> promote(in.get(1), in.get(2), names);
      case EXP, LOG, SQRT, SIGMOID, TANH, SOFTMAX, LOG_SOFTMAX -> CodeBlock.of("$T.toFloat($L.dtype())", DTYPES, x);
      case ADD_SCALAR, MUL_SCALAR -> CodeBlock.of("$T.scalarResult($L.dtype(), $L)", DTYPES, x,
          arg("@" + Attrs.VALUE, n, names));
      case SUM, SUM_TO -> in.get(0).type().elem() == dev.flint.processor.ir.TensorType.Elem.FLOAT
          ? CodeBlock.of("$L.dtype()", x)
          : CodeBlock.of("$L.dtype().isFloatingPoint() ? $L.dtype() : $T.INT64", x, x, DTYPE);
      default -> throw new IllegalStateException("no out variant for " + n.op());
    };
  }

  private static final ClassName BUFFERS = ClassName.get(ForwardEmitter.COMPILED_PACKAGE, "Buffers");

  /**
   * {@code array[slot] = Buffers.reuse(array[slot], dtype, dims...)}: the buffer for {@code v} (of
   * rank 1 to 4), kept while dtype and shape stay the same; symbolic sizes over their locals ({@code B}).
   */
  static CodeBlock reuse(String array, int slot, CodeBlock dtype, Value v) {
    List<CodeBlock> dims = new ArrayList<>();
    for (Dim d : v.type().dims()) {
      dims.add(size(d.code()));
    }
    return CodeBlock.of("$N[$L] = $T.reuse($N[$L], $L, $L)", array, slot, BUFFERS, array, slot, dtype,
        CodeBlock.join(dims, ", "));
  }

  /** The fused call {@code c} (see Fusions), writing into {@code out} (null: a new tensor). */
  CodeBlock fused(Fusions.Call c, Function<Value, CodeBlock> names, CodeBlock out) {
    List<CodeBlock> args = new ArrayList<>();
    c.inputs().forEach(v -> args.add(names.apply(v)));
    args.add(out == null ? CodeBlock.of("null") : out);
    return CodeBlock.of("$T.$N($L)", KERNELS, c.kernel(), CodeBlock.join(args, ", "));
  }

  /** The dtype of the fused call {@code c}'s result: the first operand's for products (which need equal dtypes). */
  CodeBlock resultDtype(Fusions.Call c, Function<Value, CodeBlock> names) {
    Value a = c.inputs().get(0);
    return c.kernel().equals("mulSign") ? promote(a, c.inputs().get(1), names) : CodeBlock.of("$L.dtype()", names.apply(a));
  }

  private static CodeBlock promote(Value a, Value b, Function<Value, CodeBlock> names) {
    if (a.type().rank() > 0 && b.type().rank() > 0) {
      return CodeBlock.of("$T.promote($L.dtype(), $L.dtype())", DTYPE, names.apply(a), names.apply(b));
    }
    return CodeBlock.of("$T.promote($L, $L)", DTYPES, names.apply(a), names.apply(b));
  }

  /** An attribute value as Java code: literals, arrays, and symbolic sizes and {@code 1 / size} scalars. */
  static CodeBlock attr(Object a) {
    if (a instanceof Integer x) {
      return size(x);
    }
    if (a instanceof int[] xs) {
      List<CodeBlock> items = new ArrayList<>();
      for (int x : xs) {
        items.add(size(x));
      }
      return CodeBlock.of("new int[] {$L}", CodeBlock.join(items, ", "));
    }
    if (a instanceof Double x) {
      Dim d = Dim.reciprocalOf(x);
      if (d == null) {
        return real(x);
      }
      String size = d.java();
      return CodeBlock.of(d.symbols().size() == 1 && size.equals(d.symbols().iterator().next()) ? "1.0 / $L" : "1.0 / ($L)",
          size);
    }
    if (a instanceof Boolean x) {
      return CodeBlock.of("$L", x);
    }
    throw new IllegalStateException("cannot write attribute " + a);
  }

  /** A size as Java code: {@code 20}, {@code B}, {@code B * T * 16}. */
  static CodeBlock size(int code) {
    return CodeBlock.of("$L", Dim.of(code).java());
  }

  private static boolean allKnown(int[] codes) {
    for (int c : codes) {
      if (!Dim.of(c).isConstant()) {
        return false;
      }
    }
    return true;
  }

  static CodeBlock real(double x) {
    if (Double.isNaN(x)) {
      return CodeBlock.of("$T.NaN", Double.class);
    }
    if (Double.isInfinite(x)) {
      return CodeBlock.of(x > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Double.class);
    }
    return CodeBlock.of("$L", Double.toString(x));
  }

  /**
   * A code template with {@code %s} for {@code args} and {@code {T:qualified.Name}} for types (see
   * Note [Casts in access paths]), as a CodeBlock that imports the types.
   */
  static CodeBlock template(String template, List<CodeBlock> args) {
    CodeBlock.Builder b = CodeBlock.builder();
    Matcher m = TOKEN.matcher(template);
    int at = 0;
    int next = 0;
    while (m.find()) {
      b.add("$L", template.substring(at, m.start()));
      if (m.group(1) != null) {
        b.add("$T", ClassName.bestGuess(m.group(1)));
      } else {
        b.add(args.get(next++));
      }
      at = m.end();
    }
    b.add("$L", template.substring(at));
    return b.build();
  }

  /** The argument order of each primitive's kernel: input indexes, {@code *} for all inputs as a list, {@code @attr}. */
  static List<String> slots(Node n) {
    return switch (n.op()) {
      case WHERE -> List.of("0", "1", "2");
      case ADD_SCALAR, MUL_SCALAR, POW_SCALAR -> List.of("0", "@" + Attrs.VALUE);
      case CLAMP -> List.of("0", "@" + Attrs.MIN, "@" + Attrs.MAX);
      case SUM -> List.of("0", "@" + Attrs.DIMS, "@" + Attrs.KEEP_DIM);
      case SUM_TO, EXPAND, RESHAPE -> List.of("0", "@" + Attrs.SHAPE);
      case PERMUTE -> List.of("0", "@" + Attrs.PERM);
      case NARROW -> List.of("0", "@" + Attrs.DIM, "@" + Attrs.START, "@" + Attrs.LENGTH);
      case SLICE -> List.of("0", "@" + Attrs.DIM, "@" + Attrs.START, "@" + Attrs.LENGTH, "@" + Attrs.STEP);
      case SLICE_BACKWARD -> List.of("0", "@" + Attrs.DIM, "@" + Attrs.START, "@" + Attrs.STEP, "@" + Attrs.SHAPE);
      case PAD -> List.of("0", "@" + Attrs.DIM, "@" + Attrs.BEFORE, "@" + Attrs.AFTER);
      case CAT -> List.of("*", "@" + Attrs.DIM);
      case MAX, MIN, ARGMAX, ARGMIN -> List.of("0", "@" + Attrs.DIM, "@" + Attrs.KEEP_DIM);
      case SOFTMAX, LOG_SOFTMAX -> List.of("0", "@" + Attrs.DIM);
      case INDEX_SELECT, GATHER -> List.of("0", "@" + Attrs.DIM, "1");
      case INDEX_ADD, SCATTER_ADD -> List.of("0", "@" + Attrs.DIM, "1", "@" + Attrs.SHAPE);
      case CONV2D -> List.of("0", "1", "@" + Attrs.STRIDE, "@" + Attrs.PADDING);
      case CONV2D_INPUT_GRAD, CONV2D_WEIGHT_GRAD -> List.of("0", "1", "@" + Attrs.SHAPE, "@" + Attrs.STRIDE, "@" + Attrs.PADDING);
      case MAX_POOL2D, AVG_POOL2D -> List.of("0", "@" + Attrs.KERNEL, "@" + Attrs.STRIDE, "@" + Attrs.PADDING);
      case MAX_POOL2D_BACKWARD -> List.of("0", "1", "@" + Attrs.KERNEL, "@" + Attrs.STRIDE, "@" + Attrs.PADDING);
      case AVG_POOL2D_BACKWARD -> List.of("0", "@" + Attrs.SHAPE, "@" + Attrs.KERNEL, "@" + Attrs.STRIDE, "@" + Attrs.PADDING);
      default -> {
        if (!n.attrs().keys().isEmpty()) {
          throw new IllegalStateException("no kernel argument order for " + n.op() + " with attributes " + n.attrs());
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) {
          inputs.add(Integer.toString(i));
        }
        yield inputs;
      }
    };
  }
}
