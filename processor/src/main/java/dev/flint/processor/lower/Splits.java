package dev.flint.processor.lower;

import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering.Described;
import dev.flint.processor.lower.Lowering.Frame;
import dev.flint.processor.parse.Ast;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code List<Tensor>} values of a {@code @Forward} body: {@code x.split(size, dim)},
 * {@code x.split(new int[] {a, b}, dim)} and {@code x.chunk(n, dim)}, lowered as the eager
 * {@code Tensor} methods compute them (one NARROW view per part), and read with {@code get(i)}
 * for a constant {@code i}. The number of parts must be known at compile time; sizes given
 * explicitly must add up to the dim's size ({@code [split-mismatch]}).
 */
final class Splits {
  private final Lowering low;
  private final TensorMethods methods;

  Splits(Lowering low, TensorMethods methods) {
    this.low = low;
    this.methods = methods;
  }

  /** Whether {@code e} is a list: a list local, or a split or chunk call. */
  static boolean isList(Ast.Expr e, Scope vars) {
    return e instanceof Ast.Name n && vars.list(n.name()) != null
        || e instanceof Ast.MethodCall m && (m.method().equals("split") || m.method().equals("chunk"));
  }

  /** {@code list.get(i)}. */
  Value get(Ast.MethodCall m, Frame frame, Scope vars) {
    if (m.args().size() != 1) {
      throw low.abort(Message.UNSUPPORTED_CALL, m.where(), "`" + m.where().text() + "`", "list.get(i) with an int constant i");
    }
    List<Value> parts = list(m.target(), frame, vars);
    int code = methods.integer(m.args().get(0), frame, vars);
    Long i = Dim.of(code).constantValue();
    if (i == null || i < 0 || i >= parts.size()) {
      throw low.abort(Message.LIST_INDEX, m.where(), m.where().text(), Dim.of(code), Lowering.describe(m.target()), parts.size());
    }
    return parts.get((int) (long) i);
  }

  /** The parts of a list expression. */
  List<Value> list(Ast.Expr e, Frame frame, Scope vars) {
    if (e instanceof Ast.Name n && vars.list(n.name()) != null) {
      return vars.list(n.name());
    }
    if (!(e instanceof Ast.MethodCall m) || !(m.method().equals("split") || m.method().equals("chunk")) || m.args().size() != 2) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, e.where(), "`" + e.where().text()
          + "` where a list of tensors is expected (x.split(size, dim), x.split(new int[] {...}, dim), x.chunk(n, dim))");
    }
    SourceRef at = m.where();
    Value t = low.expr(m.target(), frame, vars);
    Described x = low.described(t, Lowering.describe(m.target()));
    int d = low.dim(methods.integer(m.args().get(1), frame, vars), x, at);
    Dim size = t.type().dim(d);
    List<Dim> sizes;
    if (m.method().equals("split") && m.args().get(0) instanceof Ast.IntList list) {
      sizes = new ArrayList<>();
      Dim total = Dim.constant(0);
      for (int c : methods.ints(list.items(), 0, frame, vars)) {
        sizes.add(Dim.of(c));
        total = total.plus(Dim.of(c));
      }
      if (!total.equals(size)) {
        throw low.abort(Message.SPLIT_MISMATCH, at, at.text(), sizes, total, d, x.name() + " " + x.shape(), size);
      }
    } else {
      Dim n = Dim.of(methods.integer(m.args().get(0), frame, vars));
      sizes = m.method().equals("split") ? bySize(n, size, x, at) : byCount(n, size, x, at);
    }
    List<Value> parts = new ArrayList<>();
    Dim start = Dim.constant(0);
    for (Dim s : sizes) {
      parts.add(methods.narrow(x, d, start.code(), s.code(), at));
      start = start.plus(s);
    }
    return parts;
  }

  /** torch.split(size): parts of {@code n} entries, the last smaller. */
  private List<Dim> bySize(Dim n, Dim size, Described x, SourceRef at) {
    if (n.equals(size)) {
      return List.of(size);
    }
    Dim count = size.dividedBy(n);
    if (count != null && count.isConstant()) {
      List<Dim> out = new ArrayList<>();
      for (long i = 0; i < count.constantValue(); i++) {
        out.add(n);
      }
      return out;
    }
    if (!n.isConstant() || !size.isConstant() || n.constantValue() <= 0) {
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), "split into parts of " + n + " along a dim of size " + size
          + " of " + x.name() + " " + x.shape() + ": the number of parts must be known at compile time");
    }
    List<Dim> out = new ArrayList<>();
    for (long s = 0; s < size.constantValue(); s += n.constantValue()) {
      out.add(Dim.constant(Math.min(n.constantValue(), size.constantValue() - s)));
    }
    return out;
  }

  /** torch.chunk(n): parts of ceil(size / n) entries, the last smaller (as the eager chunk). */
  private List<Dim> byCount(Dim n, Dim size, Described x, SourceRef at) {
    if (!n.isConstant() || n.constantValue() <= 0) {
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), "chunk needs a positive number of chunks known at compile time, but got " + n);
    }
    if (size.isConstant()) {
      long each = Math.max(1, (size.constantValue() + n.constantValue() - 1) / n.constantValue());
      return bySize(Dim.constant(each), size, x, at);
    }
    Dim each = size.dividedBy(n);
    if (each == null) {
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), "chunk into " + n + " along a dim of size " + size + " of "
          + x.name() + " " + x.shape() + ": the parts' size must be known at compile time");
    }
    return bySize(each, size, x, at);
  }
}
