package dev.flint.processor.check;

import dev.flint.ops.Attrs;
import dev.flint.ops.DTypeRules;
import dev.flint.ops.Op;
import dev.flint.processor.ir.SymbolicDims;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.TensorType.Elem;
import dev.flint.processor.ir.TypeRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Types an op node with the runtime's own rules: the shape from the op table ({@link Op#inferShape},
 * that is {@code dev.flint.ops.Shapes}), the element kind from the row's result type. Sizes are
 * symbolic ({@link SymbolicDims}), so the same rules serve both the compiler and eager mode.
 */
public final class ShapeInference implements TypeRule {

  @Override
  public TensorType infer(Op op, List<TensorType> inputs, Attrs attrs) {
    List<int[]> shapes = new ArrayList<>();
    inputs.forEach(t -> shapes.add(t.shape()));
    int[] shape = op.inferShape(SymbolicDims.INSTANCE, shapes, attrs);
    return new TensorType(elem(op, inputs, attrs), shape);
  }

  /** The element kind of {@code op}'s output, by its {@link dev.flint.ops.ResultType}. */
  static Elem elem(Op op, List<TensorType> in, Attrs attrs) {
    if (in.isEmpty()) {
      return Elem.FLOAT;
    }
    return op.resultType().apply(KINDS, in, attrs);
  }

  /** The dtype operations on element kinds: BOOL &lt; INT64 &lt; FLOAT. */
  private static final DTypeRules<TensorType, Elem> KINDS = new DTypeRules<>() {
    @Override
    public Elem dtype(TensorType v) {
      return v.elem();
    }

    @Override
    public Elem promote(List<TensorType> operands) {
      Elem e = Elem.BOOL;
      for (TensorType t : operands) {
        if (t.elem() == Elem.FLOAT) {
          return Elem.FLOAT;
        }
        if (t.elem() == Elem.INT64) {
          e = Elem.INT64;
        }
      }
      return e;
    }

    @Override
    public Elem toFloat(Elem t) {
      return Elem.FLOAT;
    }

    @Override
    public Elem scalarResult(TensorType x, double scalar) {
      boolean whole = scalar == Math.rint(scalar) && !Double.isInfinite(scalar);
      return x.elem() == Elem.FLOAT || !whole ? Elem.FLOAT : Elem.INT64;
    }

    @Override
    public Elem accumulate(TensorType x) {
      return x.elem() == Elem.FLOAT ? Elem.FLOAT : Elem.INT64;
    }

    @Override
    public Elem named(String name) {
      return name.startsWith("INT") ? Elem.INT64 : name.equals("BOOL") ? Elem.BOOL : Elem.FLOAT;
    }
  };
}
