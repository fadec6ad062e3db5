package dev.flint.processor.lower;

import dev.flint.ops.DimAlgebra;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering.Frame;
import dev.flint.processor.parse.Ast;
import java.util.List;

/**
 * Evaluates the {@code int} and {@code double} expressions of a {@code @Forward} body at compile time,
 * as Java would: {@code int b = x.size(0)} is the size {@code B}, {@code int hs = C / nh} a number,
 * {@code double scale = 1.0 / Math.sqrt(hs)} a double. Ints are {@link Dim} polynomials, so sizes
 * may be symbolic where only sizes are needed (a reshape, a narrow); a double, and an int division
 * or remainder, needs numbers, and gets a {@code [size-arithmetic]} error naming the symbolic size.
 */
final class Scalars {
  private final Lowering low;

  Scalars(Lowering low) {
    this.low = low;
  }

  /** Whether {@code e} is a number expression (not a tensor) in {@code vars}. */
  static boolean isScalar(Ast.Expr e, Scope vars) {
    return e instanceof Ast.Literal l && l.value() instanceof Number
        || e instanceof Ast.Name n && vars.scalar(n.name()) != null
        || e instanceof Ast.Arith || e instanceof Ast.Cast
        || e instanceof Ast.StaticCall s && s.owner().equals("Math")
        || e instanceof Ast.MethodCall m && m.method().equals("size") && m.args().size() == 1
        || e instanceof Ast.MethodCall l && l.method().equals("size") && l.args().isEmpty() && Splits.isList(l.target(), vars);
  }

  /** The value of a number expression. */
  Scalar eval(Ast.Expr e, Frame frame, Scope vars) {
    if (e instanceof Ast.Literal l && l.value() instanceof Number n) {
      return n instanceof Integer || n instanceof Long ? Scalar.of(Dim.constant(n.longValue())) : Scalar.of(n.doubleValue());
    }
    if (e instanceof Ast.Name n && vars.scalar(n.name()) != null) {
      return vars.scalar(n.name());
    }
    if (e instanceof Ast.MethodCall m && m.method().equals("size") && m.args().isEmpty() && Splits.isList(m.target(), vars)) {
      return Scalar.of(Dim.constant(low.splitsOf(m.target(), frame, vars).size()));   // parts.size()
    }
    if (e instanceof Ast.MethodCall m && m.method().equals("size") && m.args().size() == 1) {
      Value t = low.expr(m.target(), frame, vars);
      Lowering.Described x = low.described(t, Lowering.describe(m.target()));
      int d = low.dim(integer(m.args().get(0), frame, vars, "a dim"), x, m.where());
      return Scalar.of(t.type().dim(d));
    }
    if (e instanceof Ast.Arith a) {
      return arith(a, eval(a.left(), frame, vars), eval(a.right(), frame, vars));
    }
    if (e instanceof Ast.Cast c) {
      Scalar v = eval(c.value(), frame, vars);
      if (c.type().equals("int") || c.type().equals("long")) {
        return v.integral() ? v : Scalar.of(Dim.constant((long) v.real()));
      }
      double d = known(v, c.value(), c.where());
      return Scalar.of(c.type().equals("float") ? (double) (float) d : d);
    }
    if (e instanceof Ast.StaticCall s && s.owner().equals("Math")) {
      return math(s, frame, vars);
    }
    throw low.abort(Message.UNSUPPORTED_EXPRESSION, e.where(),
        "`" + e.where().text() + "` where a number (an int or double constant, local or x.size(d)) is expected");
  }

  /** An int argument (a dim, a size, an index) as its code; {@code what} names it in messages. */
  int integer(Ast.Expr e, Frame frame, Scope vars, String what) {
    Scalar s = eval(e, frame, vars);
    if (!s.integral()) {
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, e.where(),
          "the double `" + e.where().text() + "` where " + what + " (an int) is expected");
    }
    Long c = s.size().constantValue();
    if (c != null && Math.abs(c) >= DimAlgebra.SYMBOLIC) {
      // sizes are int codes below 2^30 (Note [Symbolic sizes] in ir.Dim)
      throw low.abort(Message.UNSUPPORTED_EXPRESSION, e.where(), "`" + e.where().text() + "` (a size of 2^30 or more)");
    }
    return s.size().code();
  }

  /** A double argument; it must be known at compile time. */
  double real(Ast.Expr e, Frame frame, Scope vars) {
    return known(eval(e, frame, vars), e, e.where());
  }

  private Scalar arith(Ast.Arith a, Scalar l, Scalar r) {
    if (l.integral() && r.integral()) {
      Dim x = l.size();
      Dim y = r.size();
      switch (a.op()) {
        case "+" -> {
          return Scalar.of(x.plus(y));
        }
        case "-" -> {
          return Scalar.of(x.minus(y));
        }
        case "*" -> {
          return Scalar.of(x.times(y));
        }
        default -> { }
      }
      if (x.isConstant() && y.isConstant()) {
        long p = x.constantValue();
        long q = y.constantValue();
        if (q == 0) {
          throw low.abort(Message.SIZE_ARITHMETIC, a.where(), a.where().text(), "division by zero");
        }
        return Scalar.of(Dim.constant(a.op().equals("/") ? p / q : p % q));
      }
      Dim quotient = a.op().equals("/") ? x.dividedBy(y) : null;
      if (quotient == null) {
        throw low.abort(Message.SIZE_ARITHMETIC, a.where(), a.where().text(), x + " " + a.op() + " " + y
            + " is not a size for every value of " + String.join(", ", symbols(x, y))
            + "; only +, - and * of sizes, and / where every term divides, are known at compile time");
      }
      return Scalar.of(quotient);
    }
    double p = known(l, a.left(), a.where());
    double q = known(r, a.right(), a.where());
    return Scalar.of(switch (a.op()) {
      case "+" -> p + q;
      case "-" -> p - q;
      case "*" -> p * q;
      case "/" -> p / q;
      default -> p % q;
    });
  }

  private Scalar math(Ast.StaticCall s, Frame frame, Scope vars) {
    List<Ast.Expr> args = s.args();
    String call = s.method() + "/" + args.size();
    if (List.of("max/2", "min/2", "abs/1").contains(call)) {
      Scalar a = eval(args.get(0), frame, vars);
      Scalar b = args.size() > 1 ? eval(args.get(1), frame, vars) : a;
      if (a.integral() && b.integral()) {
        long x = (long) (double) known(a, args.get(0), s.where());
        long y = (long) (double) known(b, args.get(args.size() - 1), s.where());
        return Scalar.of(Dim.constant(call.startsWith("max") ? Math.max(x, y) : call.startsWith("min") ? Math.min(x, y) : Math.abs(x)));
      }
      double x = known(a, args.get(0), s.where());
      double y = known(b, args.get(args.size() - 1), s.where());
      return Scalar.of(call.startsWith("max") ? Math.max(x, y) : call.startsWith("min") ? Math.min(x, y) : Math.abs(x));
    }
    double x = args.isEmpty() ? 0 : real(args.get(0), frame, vars);
    return Scalar.of(switch (call) {
      case "sqrt/1" -> Math.sqrt(x);
      case "exp/1" -> Math.exp(x);
      case "log/1" -> Math.log(x);
      case "pow/2" -> Math.pow(x, real(args.get(1), frame, vars));
      case "floor/1" -> Math.floor(x);
      case "ceil/1" -> Math.ceil(x);
      default -> throw low.abort(Message.UNSUPPORTED_CALL, s.where(), "`Math." + s.method() + "` (`" + s.where().text() + "`)",
          "Math.sqrt, exp, log, pow, floor, ceil, abs, min and max on numbers known at compile time");
    });
  }

  /** The number {@code v}, or a {@code [size-arithmetic]} error when it is a symbolic size. */
  private double known(Scalar v, Ast.Expr e, SourceRef at) {
    Double d = v.known();
    if (d == null) {
      throw low.abort(Message.SIZE_ARITHMETIC, at, at.text(), "`" + e.where().text() + "` is the size " + v.size()
          + ", which is known only at run time, but a number is needed here; sizes may be symbolic only"
          + " where a size is expected (reshape, view, narrow, split)");
    }
    return d;
  }

  private static List<String> symbols(Dim x, Dim y) {
    java.util.Set<String> s = new java.util.TreeSet<>(x.symbols());
    s.addAll(y.symbols());
    return List.copyOf(s);
  }
}
