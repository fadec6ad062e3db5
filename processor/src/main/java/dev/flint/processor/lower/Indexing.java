package dev.flint.processor.lower;

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
import java.util.List;

/**
 * {@code x.index(Index.at(0), Index.all(), Index.slice(1, 3))} in a {@code @Forward} body: PyTorch's
 * basic indexing, lowered as the runtime's {@code Indexer} runs it, entry by entry, to NARROW (an
 * integer or a unit-step slice), SLICE (a strided slice) and RESHAPE (dropping a selected dim, adding
 * a new axis). Sizes must be known at compile time where an entry reads them. A tensor entry
 * (advanced indexing) is an error that says what is supported.
 */
final class Indexing {
  static final String SUPPORTED = "basic indexing in @Forward: x.index(...) with Index.at, Index.all, Index.slice, "
      + "Index.from, Index.to, Index.ellipsis and Index.newAxis of int constants; index with a tensor (mask or "
      + "positions) outside the model, or in eager code";

  private final Lowering low;
  private final TensorMethods methods;

  Indexing(Lowering low, TensorMethods methods) {
    this.low = low;
    this.methods = methods;
  }

  /** One parsed entry: its kind and constant arguments. */
  private record Entry(String kind, int[] args, SourceRef where) {
    int consumes() {
      return kind.equals("ellipsis") || kind.equals("newAxis") ? 0 : 1;
    }
  }

  Value index(Described x, Ast.MethodCall m, Frame frame, Scope vars) {
    SourceRef at = m.where();
    List<Entry> entries = new ArrayList<>();
    int consumed = 0;
    int ellipses = 0;
    for (Ast.Expr a : m.args()) {
      Entry e = entry(a, frame, vars);
      entries.add(e);
      consumed += e.consumes();
      ellipses += e.kind().equals("ellipsis") ? 1 : 0;
    }
    int rank = x.value().type().rank();
    if (ellipses > 1) {
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), "an index can only have a single ellipsis (Index.ellipsis())");
    }
    if (consumed > rank) {
      throw low.abort(Message.SHAPE_ERROR, at, at.text(), "too many indices for " + x.name() + " "
          + x.value().type().shapeText() + ", which has " + rank + " dims: " + consumed + " indexed");
    }
    Value r = x.value();
    int d = 0;
    int original = 0;
    for (Entry e : entries) {
      switch (e.kind()) {
        case "ellipsis" -> {
          d += rank - consumed;
          original += rank - consumed;
        }
        case "newAxis" -> r = insertAxis(r, d++, x, at);
        case "at" -> {
          int size = knownSize(r, d, original, x, e);
          int i = e.args()[0] < 0 ? e.args()[0] + size : e.args()[0];
          if (i < 0 || i >= size) {
            throw low.abort(Message.SHAPE_ERROR, e.where(), at.text(), "index " + e.args()[0]
                + " is out of bounds for dimension " + original + " with size " + size + " (" + x.name() + " "
                + x.value().type().shapeText() + ")");
          }
          r = low.op(Op.NARROW, r, Attrs.of(Attrs.DIM, d, Attrs.START, i, Attrs.LENGTH, 1), at);
          r = dropAxis(r, d, x, at);
          original++;
        }
        default -> {   // a slice
          int[] s = e.args();
          boolean whole = s[0] == Integer.MIN_VALUE && s[1] == Integer.MIN_VALUE && s[2] == 1;
          if (!whole) {
            int size = knownSize(r, d, original, x, e);
            int from = clamp(s[0] == Integer.MIN_VALUE ? 0 : s[0], size);
            int to = clamp(s[1] == Integer.MIN_VALUE ? size : s[1], size);
            int length = to <= from ? 0 : (to - from + s[2] - 1) / s[2];
            if (s[2] == 1 || length <= 1) {
              r = low.op(Op.NARROW, r, Attrs.of(Attrs.DIM, d, Attrs.START, length == 0 ? 0 : from, Attrs.LENGTH, length), at);
            } else {
              r = low.op(Op.SLICE, r, Attrs.of(Attrs.DIM, d, Attrs.START, from, Attrs.LENGTH, length, Attrs.STEP, s[2]), at);
            }
          }
          d++;
          original++;
        }
      }
    }
    return r;
  }

  private Entry entry(Ast.Expr a, Frame frame, Scope vars) {
    if (!(a instanceof Ast.StaticCall s) || !s.owner().equals("Index")) {
      throw low.abort(Message.UNSUPPORTED_CALL, a.where(), "indexing with a tensor (`" + a.where().text() + "`, advanced indexing)",
          SUPPORTED);
    }
    List<Ast.Expr> args = s.args();
    int open = Integer.MIN_VALUE;
    return switch (s.method() + "/" + args.size()) {
      case "at/1" -> new Entry("at", new int[] {methods.integer(args.get(0), frame, vars)}, a.where());
      case "all/0" -> new Entry("slice", new int[] {open, open, 1}, a.where());
      case "slice/2" -> new Entry("slice", new int[] {methods.integer(args.get(0), frame, vars),
          methods.integer(args.get(1), frame, vars), 1}, a.where());
      case "slice/3" -> {
        int step = methods.integer(args.get(2), frame, vars);
        if (step <= 0) {
          throw low.abort(Message.SHAPE_ERROR, a.where(), a.where().text(), "step must be greater than zero, but got " + step);
        }
        yield new Entry("slice", new int[] {methods.integer(args.get(0), frame, vars),
            methods.integer(args.get(1), frame, vars), step}, a.where());
      }
      case "from/1" -> new Entry("slice", new int[] {methods.integer(args.get(0), frame, vars), open, 1}, a.where());
      case "to/1" -> new Entry("slice", new int[] {open, methods.integer(args.get(0), frame, vars), 1}, a.where());
      case "ellipsis/0" -> new Entry("ellipsis", new int[0], a.where());
      case "newAxis/0" -> new Entry("newAxis", new int[0], a.where());
      default -> throw low.abort(Message.UNSUPPORTED_CALL, a.where(), "`" + a.where().text() + "`", SUPPORTED);
    };
  }

  /** The size of dim {@code d} of {@code r}, which an integer or a slice needs at compile time. */
  private int knownSize(Value r, int d, int original, Described x, Entry e) {
    Dim size = r.type().dim(d);
    Long c = size.constantValue();
    if (c == null) {
      throw low.abort(Message.UNSUPPORTED_CALL, e.where(), "`" + e.where().text() + "` on dimension " + original + " of "
          + x.name() + " " + x.value().type().shapeText() + ", whose size " + size + " is known only at run time",
          SUPPORTED + " (on dims of constant size; Index.all() and Index.ellipsis() take any dim)");
    }
    return (int) (long) c;
  }

  private static int clamp(int bound, int size) {
    long b = bound < 0 ? (long) bound + size : bound;
    return (int) Math.max(0, Math.min(size, b));
  }

  private Value insertAxis(Value r, int d, Described x, SourceRef at) {
    int[] s = r.type().shape();
    int[] out = new int[s.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == d ? 1 : s[j++];
    }
    return methods.reshape(low.described(r, x.name()), out, at);
  }

  private Value dropAxis(Value r, int d, Described x, SourceRef at) {
    int[] s = r.type().shape();
    int[] out = new int[s.length - 1];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (i != d) {
        out[j++] = s[i];
      }
    }
    return methods.reshape(low.described(r, x.name()), out, at);
  }
}
