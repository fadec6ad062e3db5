package dev.flint.processor.parse;

import dev.flint.processor.ir.SourceRef;
import java.util.List;

/**
 * The {@code @Forward} body as the processor understands it: the small subset of Java it supports,
 * with every node pointing back at its source. Anything outside this subset was already reported by
 * the frontend.
 */
public final class Ast {
  private Ast() {}

  /**
   * The forward method: its parameters and body.
   *
   * @param inputs the parameters, each with the shape and dtype its {@code @Input} gives (empty shape: none)
   */
  public record Method(List<Input> inputs, List<Stmt> body, SourceRef where) {
    /** A method of one parameter without {@code @Input}. */
    public Method(String parameter, List<Stmt> body, SourceRef where) {
      this(List.of(new Input(parameter, List.of(), "FLOAT", where)), body, where);
    }

    /** The first parameter's name. */
    public String parameter() {
      return inputs.get(0).name();
    }

    /** The parameters' names, in order. */
    public List<String> parameters() {
      return inputs.stream().map(Input::name).toList();
    }
  }

  /** A parameter of the forward method: its name, and its {@code @Input} shape (empty when absent) and dtype. */
  public record Input(String name, List<String> shape, String dtype, SourceRef where) {}

  /** A statement. */
  public sealed interface Stmt permits Declare, Let, Assign, Return, IfTraining, Loop, ForEach {
    SourceRef where();
  }

  /** {@code Tensor name = value;} */
  public record Declare(String name, Expr value, SourceRef where) implements Stmt {}

  /** What a non-tensor local holds. */
  public enum Kind {
    /** {@code int} (or {@code long}): a size, possibly symbolic. */
    INT,
    /** {@code double} (or {@code float}): a number known at compile time. */
    DOUBLE,
    /** {@code List<Tensor>}: the parts of a split or chunk. */
    LIST,
    /** A record a layer's forward returns ({@code LSTM.Output}, {@code GRU.Output}): its components. */
    RECORD
  }

  /**
   * {@code int name = value;}, {@code double name = value;}, {@code List<Tensor> name = value;} or a layer's record,
   * {@code LSTM.Output name = value;}.
   */
  public record Let(String name, Kind kind, Expr value, SourceRef where) implements Stmt {}

  /** {@code name = value;} */
  public record Assign(String name, Expr value, SourceRef where) implements Stmt {}

  /** {@code return value;} */
  public record Return(Expr value, SourceRef where) implements Stmt {}

  /** {@code if (isTraining()) { whenTraining } else { otherwise }}, negation already folded. */
  public record IfTraining(List<Stmt> whenTraining, List<Stmt> otherwise, SourceRef where) implements Stmt {}

  /**
   * {@code for (int var = from; var < bound; var += step) { body }}, unrolled when lowered; {@code compare}
   * is {@code <}, {@code <=}, {@code >} or {@code >=}, {@code step} is nonzero.
   */
  public record Loop(String var, Expr from, String compare, Expr bound, int step, List<Stmt> body, SourceRef where)
      implements Stmt {}

  /**
   * {@code for (Block var : field) { body }} over a {@code ModuleList} field, unrolled when lowered: in
   * the body, {@code var} names each module of the list in turn, as a layer.
   */
  public record ForEach(String var, String field, List<Stmt> body, SourceRef where) implements Stmt {}

  /** An expression. */
  public sealed interface Expr permits Name, Literal, LayerCall, ItemCall, LayerParam, StaticCall, MethodCall, IntList, Arith, Cast {
    SourceRef where();
  }

  /** A local variable or the forward parameter. */
  public record Name(String name, SourceRef where) implements Expr {}

  /**
   * A compile-time constant: Integer, Long, Double, Float, Boolean (constant fields already folded); null only
   * as an argument of a layer's forward (an absent mask).
   */
  public record Literal(Object value, SourceRef where) implements Expr {}

  /**
   * {@code field.forward(arg)} on a {@code @Layer} field, or {@code field.forward(arg, more...)} (attention's
   * key, value and mask).
   */
  public record LayerCall(String field, Expr argument, List<Expr> more, SourceRef where) implements Expr {
    public LayerCall {
      more = List.copyOf(more);
    }

    /** A call with one argument. */
    public LayerCall(String field, Expr argument, SourceRef where) {
      this(field, argument, List.of(), where);
    }
  }

  /** {@code blocks.get(index).forward(arg)} on a {@code ModuleList} field. */
  public record ItemCall(String field, Expr index, Expr argument, List<Expr> more, SourceRef where) implements Expr {
    public ItemCall {
      more = List.copyOf(more);
    }
  }

  /** {@code fc.weight}: a parameter or buffer of a {@code @Layer} field, read as a tensor. */
  public record LayerParam(String field, String member, SourceRef where) implements Expr {}

  /**
   * {@code F.relu(x)}, {@code Tensor.cat(1, a, b)}, {@code Index.at(0)} (an argument of {@code x.index}) or
   * {@code isTraining()}, {@code Math.sqrt(hs)}: owner is {@code F}, {@code Tensor}, {@code Index}, {@code Math} or {@code this}.
   */
  public record StaticCall(String owner, String method, List<Expr> args, SourceRef where) implements Expr {}

  /** {@code target.method(args)} on a tensor. */
  public record MethodCall(Expr target, String method, List<Expr> args, SourceRef where) implements Expr {}

  /** {@code left op right} on numbers that are not all constants ({@code C / nh}, {@code T * 2}); op is {@code + - * / %}. */
  public record Arith(String op, Expr left, Expr right, SourceRef where) implements Expr {}

  /** {@code (int) value} or {@code (double) value} on a number that is not a constant. */
  public record Cast(String type, Expr value, SourceRef where) implements Expr {}

  /** {@code new int[] {a, b}} as a shape or dims argument. */
  public record IntList(List<Expr> items, SourceRef where) implements Expr {}
}
