package dev.flint.processor.check;

import dev.flint.ops.Attrs;
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

  /** The element kind of {@code op}'s output, following its {@link dev.flint.ops.ResultType}. */
  static Elem elem(Op op, List<TensorType> in, Attrs attrs) {
    Elem first = in.isEmpty() ? Elem.FLOAT : in.get(0).elem();
    switch (op.resultType()) {
      case SAME:
        return first;
      case PROMOTE: {
        List<TensorType> operands = op == Op.WHERE ? in.subList(1, in.size()) : in;
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
      case PROMOTE_FLOAT:
      case FLOAT:
        return Elem.FLOAT;
      case SCALAR: {
        boolean fractional = attrs.has(Attrs.VALUE) && attrs.real(Attrs.VALUE) != Math.rint(attrs.real(Attrs.VALUE));
        return first == Elem.FLOAT || fractional ? Elem.FLOAT : first;
      }
      case ACCUMULATE:
        return first == Elem.FLOAT ? Elem.FLOAT : Elem.INT64;
      case BOOL:
        return Elem.BOOL;
      case INT64:
        return Elem.INT64;
      default: {
        String dtype = attrs.has(Attrs.DTYPE) ? attrs.text(Attrs.DTYPE) : "";
        return dtype.startsWith("INT") ? Elem.INT64 : dtype.equals("BOOL") ? Elem.BOOL : Elem.FLOAT;
      }
    }
  }
}
