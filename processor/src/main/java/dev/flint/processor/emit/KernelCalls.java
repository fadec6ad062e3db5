package dev.flint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.flint.ops.Attrs;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Symbolic;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel call that computes a node: {@code Kernels.<opName>(inputs and attributes)}, with the
 * arguments in the order of the row's {@code Algebra} method (which {@code Kernels} mirrors). Attributes that depend on the batch
 * size are written in terms of {@code B}, found by comparing the node with its twin from the second
 * lowering (Note [Symbolic sizes]).
 */
final class KernelCalls {
  static final String KERNEL_PACKAGE = "dev.flint.kernel";
  static final ClassName KERNELS = ClassName.get(KERNEL_PACKAGE, "Kernels");
  private static final Pattern TOKEN = Pattern.compile("\\{T:([\\w.$]+)}|%s");

  private boolean usesBatch;

  /** Whether any call written so far used {@code B}. */
  boolean usesBatch() {
    return usesBatch;
  }

  void useBatch() {
    usesBatch = true;
  }

  /** The call computing {@code n}, naming inputs with {@code names}; {@code twin} is the same node of the second lowering. */
  CodeBlock call(Node n, Node twin, Function<Value, CodeBlock> names) {
    return call(n, twin, names, null);
  }

  /** As above; with {@code out}, the kernel writes into that tensor (see {@code opt.InPlace}). */
  CodeBlock call(Node n, Node twin, Function<Value, CodeBlock> names, CodeBlock out) {
    CodeBlock.Builder b = CodeBlock.builder();
    b.add("$T.$N(", KERNELS, n.op().opName());
    List<CodeBlock> args = new ArrayList<>();
    for (String slot : slots(n)) {
      args.add(arg(slot, n, twin, names));
    }
    if (out != null) {
      args.add(out);
    }
    b.add(CodeBlock.join(args, ", "));
    return b.add(")").build();
  }

  private CodeBlock arg(String slot, Node n, Node twin, Function<Value, CodeBlock> names) {
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
      Object b = twin.attrs().get(key);
      if (index >= 0) {
        return size(((int[]) a)[index], ((int[]) b)[index]);
      }
      return attr(a, b);
    }
    return names.apply(n.inputs().get(Integer.parseInt(slot)));
  }

  /** An attribute value as Java code: literals, arrays, and batch-dependent sizes in terms of {@code B}. */
  CodeBlock attr(Object a, Object b) {
    if (a instanceof Integer x) {
      return size(x, (Integer) b);
    }
    if (a instanceof int[] xs) {
      int[] ys = (int[]) b;
      List<CodeBlock> items = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) {
        items.add(size(xs[i], ys[i]));
      }
      return CodeBlock.of("new int[] {$L}", CodeBlock.join(items, ", "));
    }
    if (a instanceof Double x) {
      long k = Symbolic.inverseBatchMultiple(x, (Double) b);
      if (k == 0) {
        return real(x);
      }
      if (k < 0) {
        throw new IllegalStateException("a scalar that depends on the batch size in an unsupported way: " + a + " / " + b);
      }
      usesBatch = true;
      return k == 1 ? CodeBlock.of("1.0 / $L", Symbolic.BATCH) : CodeBlock.of("1.0 / ($L * $L)", Symbolic.BATCH, k);
    }
    if (a instanceof Boolean x) {
      return CodeBlock.of("$L", x);
    }
    throw new IllegalStateException("cannot write attribute " + a);
  }

  CodeBlock size(int a, int b) {
    int k = Symbolic.batchMultiple(a, b);
    if (k == 0) {
      return CodeBlock.of("$L", a);
    }
    if (k < 0) {
      throw new IllegalStateException("a size that depends on the batch size in an unsupported way: " + a + " / " + b);
    }
    usesBatch = true;
    return k == 1 ? CodeBlock.of("$L", Symbolic.BATCH) : CodeBlock.of("$L * $L", Symbolic.BATCH, k);
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
