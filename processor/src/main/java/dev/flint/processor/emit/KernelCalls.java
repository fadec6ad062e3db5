package dev.flint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.flint.ops.Attrs;
import dev.flint.ops.DTypeRules;
import dev.flint.ops.Op;
import dev.flint.ops.Signature;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.List;
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
    if (n.op() == Op.SUM_TO && out != null && !allKnown((int[]) n.attrs().get(Attrs.SHAPE))) {
      // down to the buffer's own shape: no array of symbolic sizes made per call
      return b.add("$T.sumTo($L, $L)", KERNELS, names.apply(n.inputs().get(0)), out).build();
    }
    b.add("$T.$N(", KERNELS, n.op().opName());
    List<CodeBlock> args = new ArrayList<>();
    for (Signature.Arg a : n.op().signature().kernelArgs()) {
      args.add(arg(a, n, names));
    }
    if (out != null) {
      args.add(out);
    }
    b.add(CodeBlock.join(args, ", "));
    return b.add(")").build();
  }

  private CodeBlock arg(Signature.Arg slot, Node n, Function<Value, CodeBlock> names) {
    switch (slot.kind()) {
      case INPUTS: {
        List<CodeBlock> items = new ArrayList<>();
        n.inputs().forEach(v -> items.add(names.apply(v)));
        return CodeBlock.of("$T.of($L)", List.class, CodeBlock.join(items, ", "));
      }
      case ATTR: {
        String key = slot.attr();
        Object a = n.attrs().get(key);
        if (key.equals(Attrs.DTYPE)) {
          return CodeBlock.of("$T.$L", DTYPE, a);
        }
        if (a instanceof int[] xs && allKnown(xs)) {
          return constants.intArray(key, xs);
        }
        return attr(a);
      }
      case INPUT:
        return names.apply(n.inputs().get(slot.index()));
      default:
        throw new IllegalStateException(n.op() + ": a kernel argument cannot be " + slot);
    }
  }

  private static final ClassName DTYPE = ClassName.get("dev.flint.tensor", "DType");
  private static final ClassName DTYPES = ClassName.get("dev.flint.tensor", "DTypes");
  /** Whether {@code op}'s kernel can write into a buffer the generated code passes as {@code out}. */
  static boolean hasOutVariant(Op op) {
    return op.signature().outVariant();
  }

  /**
   * The dtype of {@code n}'s result as Java code, by the row's {@link dev.flint.ops.ResultType}, for
   * the buffer passed as {@code out}: operand dtypes are known only at run time (a model converted to
   * FLOAT64). Avoids the varargs {@code DTypes.promote} where both operands have dims, so no array is
   * allocated per call.
   */
  CodeBlock resultDtype(Node n, Function<Value, CodeBlock> names) {
    DTypeRules<Value, CodeBlock> code = new DTypeRules<>() {
      @Override
      public CodeBlock dtype(Value v) {
        return CodeBlock.of("$L.dtype()", names.apply(v));
      }

      @Override
      public CodeBlock promote(List<Value> operands) {
        if (operands.size() == 2) {
          return KernelCalls.promote(operands.get(0), operands.get(1), names);
        }
        if (operands.stream().allMatch(v -> v.type().rank() > 0)) {
          // dimensioned operands: pairwise DType.promote, without the varargs array of DTypes.promote
          CodeBlock acc = CodeBlock.of("$L.dtype()", names.apply(operands.get(0)));
          for (int i = 1; i < operands.size(); i++) {
            acc = CodeBlock.of("$T.promote($L, $L.dtype())", DTYPE, acc, names.apply(operands.get(i)));
          }
          return acc;
        }
        List<CodeBlock> items = new ArrayList<>();
        operands.forEach(v -> items.add(names.apply(v)));
        return CodeBlock.of("$T.promote($L)", DTYPES, CodeBlock.join(items, ", "));
      }

      @Override
      public CodeBlock toFloat(CodeBlock t) {
        return CodeBlock.of("$T.toFloat($L)", DTYPES, t);
      }

      @Override
      public CodeBlock scalarResult(Value x, double scalar) {
        // the attribute as the call writes it: it may be a symbolic 1 / size
        return CodeBlock.of("$T.scalarResult($L.dtype(), $L)", DTYPES, names.apply(x),
            arg(Signature.attr(Attrs.VALUE), n, names));
      }

      @Override
      public CodeBlock accumulate(Value x) {
        CodeBlock v = names.apply(x);
        return x.type().elem() == dev.flint.processor.ir.TensorType.Elem.FLOAT
            ? CodeBlock.of("$L.dtype()", v)
            : CodeBlock.of("$L.dtype().isFloatingPoint() ? $L.dtype() : $T.INT64", v, v, DTYPE);
      }

      @Override
      public CodeBlock named(String name) {
        return CodeBlock.of("$T.$L", DTYPE, name);
      }
    };
    return n.op().resultType().apply(code, n.inputs(), n.attrs());
  }

  private static final ClassName BUFFERS = ClassName.get(ForwardEmitter.COMPILED_PACKAGE, "Buffers");

  /**
   * {@code array[slot] = Buffers.reuse(array[slot], dtype, dims...)}: the buffer for {@code v} (of
   * rank 1 to 4), kept while dtype and shape stay the same; symbolic sizes over their locals ({@code B}).
   */
  static CodeBlock reuse(String array, int slot, CodeBlock dtype, Value v) {
    return reuse(array, slot, dtype, v, java.util.Map.of());
  }

  /**
   * As above; a value whose shape names a bounded size ({@code T<=64} in {@code maxSizes}) is kept within a
   * buffer sized for the bound (Note [Buffers within a capacity] in {@code Buffers}).
   */
  static CodeBlock reuse(String array, int slot, CodeBlock dtype, Value v, java.util.Map<String, Long> maxSizes) {
    List<CodeBlock> dims = new ArrayList<>();
    for (Dim d : v.type().dims()) {
      dims.add(size(d.code()));
    }
    Dim numel = v.type().numel();
    if (v.type().rank() > 0 && numel.symbols().stream().anyMatch(maxSizes::containsKey)) {
      Dim capacity = numel.substitute(maxSizes);
      return CodeBlock.of("$N[$L] = $T.reuseWithin($N[$L], $L, $L, $L)", array, slot, BUFFERS, array, slot, dtype,
          capacity.java(), CodeBlock.join(dims, ", "));
    }
    return CodeBlock.of("$N[$L] = $T.reuse($N[$L], $L, $L)", array, slot, BUFFERS, array, slot, dtype,
        CodeBlock.join(dims, ", "));
  }

  private static final ClassName PLANNED_VIEWS = ClassName.get(ForwardEmitter.COMPILED_PACKAGE, "PlannedViews");

  /** The view ops whose results generated code keeps in a slot (Note [Planned views] in PlannedViews). */
  static boolean isPlannedView(Op op) {
    return op == Op.PERMUTE || op == Op.NARROW || op == Op.RESHAPE || op == Op.EXPAND;
  }

  /**
   * {@code array[slot] = PlannedViews.<op>(array[slot], x, args...)}: the view {@code n} makes, kept from step
   * to step; a symbolic shape of rank 1 to 4 is passed as ints ({@code B, T, 4, 32}), so no array is made per call.
   */
  CodeBlock plannedView(Node n, Function<Value, CodeBlock> names, String array, int slot) {
    List<CodeBlock> args = new ArrayList<>();
    if (n.op() == Op.RESHAPE) {
      // the view and, when x's strides need one, its contiguous copy: slots [slot] and [slot + 1]
      args.add(CodeBlock.of("$N", array));
      args.add(CodeBlock.of("$L", slot));
    } else {
      args.add(CodeBlock.of("$N[$L]", array, slot));
    }
    args.add(names.apply(n.inputs().get(0)));
    switch (n.op()) {
      case PERMUTE -> args.add(arg(Signature.attr(Attrs.PERM), n, names));
      case NARROW -> {
        args.add(arg(Signature.attr(Attrs.DIM), n, names));
        args.add(arg(Signature.attr(Attrs.START), n, names));
        args.add(arg(Signature.attr(Attrs.LENGTH), n, names));
      }
      default -> {   // RESHAPE, EXPAND
        int[] shape = (int[]) n.attrs().get(Attrs.SHAPE);
        if (allKnown(shape) || shape.length < 1 || shape.length > 4) {
          args.add(arg(Signature.attr(Attrs.SHAPE), n, names));
        } else {
          for (int code : shape) {
            args.add(size(code));
          }
        }
      }
    }
    if (n.op() == Op.RESHAPE) {
      return CodeBlock.of("$T.reshape($L)", PLANNED_VIEWS, CodeBlock.join(args, ", "));
    }
    return CodeBlock.of("$N[$L] = $T.$N($L)", array, slot, PLANNED_VIEWS, n.op().opName(), CodeBlock.join(args, ", "));
  }

  /** The slots a planned view keeps: two for a reshape (its view and its copy), else one. */
  static int plannedViewSlots(Op op) {
    return op == Op.RESHAPE ? 2 : 1;
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
}
