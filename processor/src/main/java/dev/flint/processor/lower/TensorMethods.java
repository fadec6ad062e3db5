package dev.flint.processor.lower;

import dev.flint.layers.LayerSpec;
import dev.flint.ops.Attrs;
import dev.flint.ops.Op;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering.Described;
import dev.flint.processor.lower.Lowering.Frame;
import dev.flint.processor.parse.Ast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lowers Tensor methods ({@code h.add(y)}, {@code x.reshape(-1, 784)}), {@code F} functions and
 * {@code Tensor.cat/stack} to op-table rows, mirroring how the eager {@code Tensor} API composes them.
 */
final class TensorMethods {
  static final String SUPPORTED_METHODS = "add, sub, mul, div (tensor or number), neg, pow, exp, log, sqrt, abs, "
      + "relu, sigmoid, tanh, sin, cos, floor, ceil, round, matmul, t, transpose, permute, reshape, view, narrow, flatten, squeeze, unsqueeze, "
      + "contiguous, tril, triu, maskedFill (a BOOL mask), sum, mean, max, softmax, logSoftmax, clamp, index (basic: Index.at/all/slice/from/to/ellipsis/newAxis), "
      + "size (in int expressions)";
  static final String SUPPORTED_F = "F.relu, F.sigmoid, F.tanh, F.softmax, F.logSoftmax, F.leakyRelu, F.gelu, F.dropout, "
      + "F.flatten, F.maxPool2d, F.avgPool2d, F.linear(x, w, b), F.scaledDotProductAttention(q, k, v, isCausal), Tensor.cat,"
      + " Tensor.stack";

  private final Lowering low;

  TensorMethods(Lowering low) {
    this.low = low;
  }

  Value call(Described x, Ast.MethodCall m, Frame frame, Scope vars) {
    List<Ast.Expr> args = m.args();
    SourceRef at = m.where();
    String name = m.method();
    switch (name) {
      case "add", "sub", "mul", "div" -> {
        arity(m, 1);
        Ast.Expr a = args.get(0);
        if (Scalars.isScalar(a, vars)) {
          Scalar s = low.scalars.eval(a, frame, vars);
          if (name.equals("div") && s.known() == null) {
            return low.op(Op.MUL_SCALAR, x.value(), Attrs.of(Attrs.VALUE, s.size().reciprocal()), at);   // x / T
          }
          return scalar(name, x, low.scalars.real(a, frame, vars), at);
        }
        Value y = low.expr(a, frame, vars);
        Op op = Op.valueOf(name.toUpperCase());
        return low.op(op, List.of(x.value(), y), Attrs.NONE, at, List.of(x.name(), Lowering.describe(a)));
      }
      case "neg", "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "sin", "cos", "floor", "ceil", "round" -> {
        arity(m, 0);
        return unary(Op.valueOf(name.toUpperCase()), x, at);
      }
      case "pow" -> {
        arity(m, 1);
        return low.op(Op.POW_SCALAR, x.value(), Attrs.of(Attrs.VALUE, real(args.get(0), frame, vars)), at);
      }
      case "matmul" -> {
        arity(m, 1);
        Value y = low.expr(args.get(0), frame, vars);
        if (x.value().type().rank() < 2 || y.type().rank() < 2) {
          throw low.abort(Message.SHAPE_ERROR, at, at.text(), "the compiler supports matmul of operands with at least 2 dims, but got "
              + x.shape() + " @ " + y.type().shapeText());
        }
        return low.op(Op.MATMUL, List.of(x.value(), y), Attrs.NONE, at, List.of(x.name(), Lowering.describe(args.get(0))));
      }
      case "t" -> {
        arity(m, 0);
        return transpose(x, 0, 1, at);
      }
      case "transpose" -> {
        arity(m, 2);
        return transpose(x, integer(args.get(0), frame, vars), integer(args.get(1), frame, vars), at);
      }
      case "permute" -> {
        int[] perm = ints(args, 0, frame, vars);
        for (int i = 0; i < perm.length; i++) {
          perm[i] = low.dim(perm[i], x, at);
        }
        return low.op(Op.PERMUTE, x.value(), Attrs.of(Attrs.PERM, perm), at);
      }
      case "reshape", "view" -> {
        return reshape(x, ints(args, 0, frame, vars), at);
      }
      case "flatten" -> {
        int start = args.isEmpty() ? 0 : integer(args.get(0), frame, vars);
        int end = args.size() < 2 ? -1 : integer(args.get(1), frame, vars);
        return flatten(x, start, end, at);
      }
      case "squeeze" -> {
        int[] s = x.value().type().shape();
        List<Integer> out = new ArrayList<>();
        int only = args.isEmpty() ? -1 : low.dim(integer(args.get(0), frame, vars), x, at);
        for (int i = 0; i < s.length; i++) {
          if (s[i] != 1 || (only >= 0 && i != only)) {
            out.add(s[i]);
          }
        }
        return reshape(x, out.stream().mapToInt(Integer::intValue).toArray(), at);
      }
      case "unsqueeze" -> {
        arity(m, 1);
        int[] s = x.value().type().shape();
        int d = integer(args.get(0), frame, vars);
        int rank = s.length + 1;
        if (d < -rank || d >= rank) {
          throw low.abort(Message.DIM_OUT_OF_RANGE, at, at.text(), d, x.name() + " " + x.shape(), s.length, -rank, rank - 1);
        }
        d = d < 0 ? d + rank : d;
        int[] out = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
          out[i] = i == d ? 1 : s[j++];
        }
        return reshape(x, out, at);
      }
      case "sum", "mean" -> {
        int rank = x.value().type().rank();
        int[] dims;
        if (args.isEmpty()) {
          dims = new int[rank];
          Arrays.setAll(dims, i -> i);
        } else {
          dims = new int[] {low.dim(integer(args.get(0), frame, vars), x, at)};
        }
        boolean keep = args.size() > 1 && bool(args.get(1));
        return reduce(name.equals("mean"), x, dims, keep, at);
      }
      case "max" -> {
        arity(m, 1);
        int d = low.dim(integer(args.get(0), frame, vars), x, at);
        return low.op(Op.MAX, x.value(), Attrs.of(Attrs.DIM, d, Attrs.KEEP_DIM, false), at);
      }
      case "softmax", "logSoftmax" -> {
        arity(m, 1);
        return softmax(name.equals("softmax") ? Op.SOFTMAX : Op.LOG_SOFTMAX, x, integer(args.get(0), frame, vars), at);
      }
      case "narrow" -> {
        arity(m, 3);
        int d = low.dim(integer(args.get(0), frame, vars), x, at);
        int start = integer(args.get(1), frame, vars);
        if (Dim.of(start).isConstant() && start < 0) {
          start = Dim.of(start).plus(x.value().type().dim(d)).code();   // from the end, as eager narrow
        }
        return narrow(x, d, start, integer(args.get(2), frame, vars), at);
      }
      case "index" -> {
        return new Indexing(low, this).index(x, m, frame, vars);
      }
      case "tril", "triu" -> {
        if (args.size() > 1) {
          arity(m, 1);
        }
        int diagonal = args.isEmpty() ? 0 : integer(args.get(0), frame, vars);
        return low.op(name.equals("tril") ? Op.TRIL : Op.TRIU, List.of(x.value()), Attrs.of(Attrs.DIAGONAL, diagonal), at,
            List.of(x.name()));
      }
      case "maskedFill" -> {
        arity(m, 2);
        Value mask = low.expr(args.get(0), frame, vars);
        if (mask.type().elem() != dev.flint.processor.ir.TensorType.Elem.BOOL) {
          throw low.abort(Message.DTYPE_MISMATCH, at, "`" + at.text() + "`", "a BOOL mask", Lowering.describe(args.get(0)),
              mask.type().elem(), "; give it as @Input(value = {...}, dtype = \"BOOL\")");
        }
        Value fill = low.fill(x.value(), real(args.get(1), frame, vars));
        return low.op(Op.WHERE, List.of(mask, fill, x.value()), Attrs.NONE, at,
            List.of(Lowering.describe(args.get(0)), "the fill", x.name()));
      }
      case "contiguous" -> {
        arity(m, 0);
        return x.value();   // values are the same; the compiled kernels read any layout
      }
      case "clamp" -> {
        arity(m, 2);
        return low.op(Op.CLAMP, x.value(), Attrs.of(Attrs.MIN, real(args.get(0), frame, vars), Attrs.MAX, real(args.get(1), frame, vars)), at);
      }
      default -> throw low.abort(Message.UNSUPPORTED_CALL, at, "Tensor method `" + name + "` (`" + at.text() + "`)",
          "Tensor methods " + SUPPORTED_METHODS);
    }
  }

  Value staticCall(Ast.StaticCall s, Frame frame, Scope vars) {
    SourceRef at = s.where();
    List<Ast.Expr> args = s.args();
    if (s.owner().equals("Tensor") && (s.method().equals("cat") || s.method().equals("stack"))) {
      if (args.size() < 2) {
        throw low.abort(Message.UNSUPPORTED_CALL, at, "`" + at.text() + "`", "Tensor." + s.method() + "(dim, a, b, ...)");
      }
      List<Value> xs = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Ast.Expr a : args.subList(1, args.size())) {
        xs.add(low.expr(a, frame, vars));
        names.add(Lowering.describe(a));
      }
      int d = integer(args.get(0), frame, vars);
      return s.method().equals("cat") ? cat(xs, names, d, at) : stack(xs, names, d, at);
    }
    if (s.owner().equals("F") && s.method().equals("scaledDotProductAttention") && args.size() == 4) {
      return attention(s, frame, vars);
    }
    if (s.owner().equals("F") && !args.isEmpty()) {
      Described x = low.described(low.expr(args.get(0), frame, vars), Lowering.describe(args.get(0)));
      switch (s.method()) {
        case "relu", "sigmoid", "tanh" -> {
          return unary(Op.valueOf(s.method().toUpperCase()), x, at);
        }
        case "softmax", "logSoftmax" -> {
          checkArity(s, 2);
          return softmax(s.method().equals("softmax") ? Op.SOFTMAX : Op.LOG_SOFTMAX, x, integer(args.get(1), frame, vars), at);
        }
        case "leakyRelu" -> {
          List<Object> slope = args.size() > 1 ? List.of(real(args.get(1), frame, vars)) : List.of();
          return new Layers(low).functional(LayerSpec.LEAKY_RELU, slope, low.training(), x, at);
        }
        case "gelu" -> {
          boolean tanh = args.size() > 1 && args.get(1) instanceof Ast.Literal l && "tanh".equals(l.value());
          return new Layers(low).functional(LayerSpec.GELU, List.of(tanh ? "tanh" : "none"), low.training(), x, at);
        }
        case "dropout" -> {
          checkArity(s, 3);
          return new Layers(low).functional(LayerSpec.DROPOUT, List.of(real(args.get(1), frame, vars)), bool(args.get(2)), x, at);
        }
        case "linear" -> {
          if (args.size() != 3) {
            break;
          }
          Value w = low.expr(args.get(1), frame, vars);
          Value b = low.expr(args.get(2), frame, vars);
          Value wt = transpose(low.described(w, Lowering.describe(args.get(1))), 0, 1, at);
          Value y = low.op(Op.MATMUL, List.of(x.value(), wt), Attrs.NONE, at, List.of(x.name(), Lowering.describe(args.get(1))));
          return low.op(Op.ADD, List.of(y, b), Attrs.NONE, at, List.of("the product", Lowering.describe(args.get(2))));
        }
        case "maxPool2d", "avgPool2d" -> {
          if (args.size() != 2 && args.size() != 4) {
            break;
          }
          int k = integer(args.get(1), frame, vars);
          int stride = args.size() > 2 ? integer(args.get(2), frame, vars) : k;
          int padding = args.size() > 3 ? integer(args.get(3), frame, vars) : 0;
          if (x.value().type().rank() != 4) {
            throw low.abort(Message.SHAPE_MISMATCH, at, "F." + s.method(), "input [N, C, H, W]", x.name(), x.shape(), x.from());
          }
          Op op = s.method().startsWith("max") ? Op.MAX_POOL2D : Op.AVG_POOL2D;
          return low.op(op, List.of(x.value()), Attrs.of(Attrs.KERNEL, new int[] {k, k}, Attrs.STRIDE, new int[] {stride, stride},
              Attrs.PADDING, new int[] {padding, padding}), at, List.of(x.name()));
        }
        case "flatten" -> {
          int start = args.size() > 1 ? integer(args.get(1), frame, vars) : 0;
          int end = args.size() > 2 ? integer(args.get(2), frame, vars) : -1;
          return flatten(x, start, end, at);
        }
        default -> { }
      }
    }
    throw low.abort(Message.UNSUPPORTED_CALL, at, "`" + s.owner() + "." + s.method() + "` (`" + at.text() + "`)", SUPPORTED_F);
  }

  /**
   * {@code F.scaledDotProductAttention(q, k, v, isCausal)} as the fused row {@code Op.ATTENTION} (scale
   * {@code 1/sqrt(E)}; causal: top-left aligned, for the actual T at run time) and a view of its output columns:
   * its saved state is one log-sum-exp per query row, not the {@code [T, S]} weights. Values of another width
   * than the queries take the composition {@code softmax(q kᵀ / sqrt(E) + mask) v}. Equal to the eager kernel
   * up to rounding.
   */
  private Value attention(Ast.StaticCall s, Frame frame, Scope vars) {
    SourceRef at = s.where();
    List<Ast.Expr> args = s.args();
    Described q = low.described(low.expr(args.get(0), frame, vars), Lowering.describe(args.get(0)));
    Described k = low.described(low.expr(args.get(1), frame, vars), Lowering.describe(args.get(1)));
    Described v = low.described(low.expr(args.get(2), frame, vars), Lowering.describe(args.get(2)));
    boolean causal = bool(args.get(3));
    int rank = q.value().type().rank();
    if (rank < 2 || k.value().type().rank() != rank || v.value().type().rank() != rank) {
      throw low.abort(Message.SHAPE_MISMATCH, at, "F.scaledDotProductAttention", "query [..., T, E], key [..., S, E] and"
          + " value [..., S, Ev] of one rank >= 2", q.name() + ", " + k.name() + " and " + v.name(),
          q.shape() + ", " + k.shape() + " and " + v.shape(), "");
    }
    Dim e = q.value().type().dim(-1);
    if (!e.isConstant()) {
      throw low.abort(Message.SIZE_ARITHMETIC, at, at.text(), "the scale 1/sqrt(E) needs the head size E known at compile"
          + " time, but " + q.name() + " has shape " + q.shape());
    }
    double scale = 1 / Math.sqrt(e.constantValue());
    if (v.value().type().dim(-1).equals(e)) {
      Value packed = low.op(Op.ATTENTION, List.of(q.value(), k.value(), v.value()),
          Attrs.of(Attrs.SCALE, scale, Attrs.CAUSAL, causal), at, List.of(q.name(), k.name(), v.name()));
      return low.op(Op.NARROW, List.of(packed), Attrs.of(Attrs.DIM, rank - 1, Attrs.START, 0, Attrs.LENGTH,
          e.constantValue().intValue()), at, List.of("the attention"));
    }
    Value kt = transpose(k, -2, -1, at);
    Value scores = low.op(Op.MATMUL, List.of(q.value(), kt), Attrs.NONE, at, List.of(q.name(), k.name() + " transposed"));
    Value scaled = low.op(Op.MUL_SCALAR, scores, Attrs.of(Attrs.VALUE, scale), at);
    if (causal) {
      Value mask = low.causalMask(scaled, at);
      scaled = low.op(Op.ADD, List.of(scaled, mask), Attrs.NONE, at, List.of("the scores", "the causal mask"));
    }
    Value p = low.op(Op.SOFTMAX, scaled, Attrs.of(Attrs.DIM, rank - 1), at);
    return low.op(Op.MATMUL, List.of(p, v.value()), Attrs.NONE, at, List.of("the attention weights", v.name()));
  }

  // ------------------------------------------------------------------ compositions shared with Layers

  Value unary(Op op, Described x, SourceRef at) {
    return low.op(op, x.value(), Attrs.NONE, at);
  }

  Value scalar(String name, Described x, double s, SourceRef at) {
    return switch (name) {
      case "add" -> low.op(Op.ADD_SCALAR, x.value(), Attrs.of(Attrs.VALUE, s), at);
      case "sub" -> low.op(Op.ADD_SCALAR, x.value(), Attrs.of(Attrs.VALUE, -s), at);
      case "mul" -> low.op(Op.MUL_SCALAR, x.value(), Attrs.of(Attrs.VALUE, s), at);
      default -> low.op(Op.MUL_SCALAR, x.value(), Attrs.of(Attrs.VALUE, 1.0 / s), at);
    };
  }

  /** A view of {@code length} entries of dim {@code d} (normalized) from {@code start}; sizes may be symbolic. */
  Value narrow(Described x, int d, int start, int length, SourceRef at) {
    Dim end = Dim.of(start).plus(Dim.of(length));
    if (low.mayExceed(end, x.value().type().dim(d))) {
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), "start + length is " + end + ", which reaches "
          + end.substitute(low.maxSizes()) + " for " + bounds(end) + " (@Model(inputDims)), past dim " + d + " of "
          + x.name() + " " + x.shape() + x.from());
    }
    return low.op(Op.NARROW, List.of(x.value()), Attrs.of(Attrs.DIM, d, Attrs.START, start, Attrs.LENGTH, length), at,
        List.of(x.name()));
  }

  /** {@code T = 64}: the declared bounds of the sizes in {@code d}. */
  private String bounds(Dim d) {
    List<String> out = new ArrayList<>();
    d.symbols().forEach(s -> out.add(s + " = " + low.maxSizes().get(s)));
    return String.join(", ", out);
  }

  Value transpose(Described x, int a, int b, SourceRef at) {
    int rank = x.value().type().rank();
    int[] perm = new int[rank];
    Arrays.setAll(perm, i -> i);
    int i = low.dim(a, x, at);
    int j = low.dim(b, x, at);
    perm[i] = j;
    perm[j] = i;
    return low.op(Op.PERMUTE, x.value(), Attrs.of(Attrs.PERM, perm), at);
  }

  Value reshape(Described x, int[] shape, SourceRef at) {
    return reshape(x, shape, at, "");
  }

  Value reshape(Described x, int[] shape, SourceRef at, String origin) {
    return low.op(Op.RESHAPE, List.of(x.value()), Attrs.of(Attrs.SHAPE, shape), at, List.of(x.name()), origin);
  }

  Value flatten(Described x, int start, int end, SourceRef at) {
    return flatten(x, start, end, at, "");
  }

  /** {@code x.flatten(start, end)}; {@code origin} names the Flatten layer, if any, for the summary. */
  Value flatten(Described x, int start, int end, SourceRef at, String origin) {
    int[] s = x.value().type().shape();
    if (s.length == 0) {
      return reshape(x, new int[] {1}, at);
    }
    int a = low.dim(start, x, at);
    int b = low.dim(end, x, at);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < a; i++) {
      out.add(s[i]);
    }
    Dim prod = Dim.constant(1);
    for (int i = a; i <= b; i++) {
      prod = prod.times(x.value().type().dim(i));
    }
    out.add(prod.code());
    for (int i = b + 1; i < s.length; i++) {
      out.add(s[i]);
    }
    return reshape(x, out.stream().mapToInt(Integer::intValue).toArray(), at, origin);
  }

  /** {@code sum} over {@code dims}, and for a mean the product with {@code 1 / count}. */
  Value reduce(boolean mean, Described x, int[] dims, boolean keep, SourceRef at) {
    Value sum = low.op(Op.SUM, x.value(), Attrs.of(Attrs.DIMS, dims, Attrs.KEEP_DIM, keep), at);
    if (!mean || dims.length == 0) {
      return sum;
    }
    Dim count = Dim.constant(1);
    for (int d : dims) {
      count = count.times(x.value().type().dim(d));
    }
    if (count.equals(Dim.constant(1))) {
      return sum;
    }
    return low.op(Op.MUL_SCALAR, sum, Attrs.of(Attrs.VALUE, count.reciprocal()), at);
  }

  Value softmax(Op op, Described x, int dim, SourceRef at) {
    return low.op(op, x.value(), Attrs.of(Attrs.DIM, low.dim(dim, x, at)), at);
  }

  Value cat(List<Value> xs, List<String> names, int dim, SourceRef at) {
    Described first = low.described(xs.get(0), names.get(0));
    int d = low.dim(dim, first, at);
    int[] s0 = xs.get(0).type().shape();
    for (int i = 1; i < xs.size(); i++) {
      int[] si = xs.get(i).type().shape();
      if (si.length != s0.length) {
        throw low.abort(Message.CAT_MISMATCH, at, at.text(), d, names.get(0) + " " + first.shape(),
            names.get(i) + " " + xs.get(i).type().shapeText(), 0, "rank " + s0.length, "rank " + si.length);
      }
      for (int k = 0; k < s0.length; k++) {
        if (k != d && si[k] != s0[k]) {
          throw low.abort(Message.CAT_MISMATCH, at, at.text(), d, names.get(0) + " " + first.shape(),
              names.get(i) + " " + xs.get(i).type().shapeText(), k, Dim.of(s0[k]), Dim.of(si[k]));
        }
      }
    }
    return low.op(Op.CAT, xs, Attrs.of(Attrs.DIM, d), at, names);
  }

  Value stack(List<Value> xs, List<String> names, int dim, SourceRef at) {
    int rank = xs.get(0).type().rank() + 1;
    if (dim < -rank || dim >= rank) {
      throw low.abort(Message.DIM_OUT_OF_RANGE, at, at.text(), dim, names.get(0) + " " + low.described(xs.get(0), "").shape(),
          rank - 1, -rank, rank - 1);
    }
    int d = dim < 0 ? dim + rank : dim;
    List<Value> expanded = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      int[] s = xs.get(i).type().shape();
      int[] out = new int[rank];
      for (int k = 0, j = 0; k < rank; k++) {
        out[k] = k == d ? 1 : j < s.length ? s[j++] : 1;
      }
      expanded.add(reshape(low.described(xs.get(i), names.get(i)), out, at));
    }
    return cat(expanded, names, d, at);
  }

  // ------------------------------------------------------------------ arguments

  int integer(Ast.Expr e, Frame frame, Scope vars) {
    return low.scalars.integer(e, frame, vars, "an int constant, int local or x.size(d)");
  }

  int[] ints(List<Ast.Expr> args, int from, Frame frame, Scope vars) {
    if (args.size() == from + 1 && args.get(from) instanceof Ast.IntList list) {
      return ints(list.items(), 0, frame, vars);
    }
    int[] out = new int[args.size() - from];
    for (int i = from; i < args.size(); i++) {
      out[i - from] = integer(args.get(i), frame, vars);
    }
    return out;
  }

  double real(Ast.Expr e, Frame frame, Scope vars) {
    return low.scalars.real(e, frame, vars);
  }

  boolean bool(Ast.Expr e) {
    if (e instanceof Ast.Literal l && l.value() instanceof Boolean b) {
      return b;
    }
    if (e instanceof Ast.StaticCall s && s.owner().equals("this") && s.method().equals("isTraining")) {
      return low.training();
    }
    throw low.abort(Message.UNSUPPORTED_EXPRESSION, e.where(),
        "`" + e.where().text() + "` where a boolean constant or isTraining() is expected");
  }

  private void arity(Ast.MethodCall m, int n) {
    if (m.args().size() != n) {
      throw low.abort(Message.UNSUPPORTED_CALL, m.where(), "`" + m.method() + "` with " + m.args().size() + " arguments",
          "Tensor methods " + SUPPORTED_METHODS);
    }
  }

  private void checkArity(Ast.StaticCall s, int n) {
    if (s.args().size() != n) {
      throw low.abort(Message.UNSUPPORTED_CALL, s.where(), "`F." + s.method() + "` with " + s.args().size() + " arguments",
          SUPPORTED_F);
    }
  }
}
