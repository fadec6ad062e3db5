package dev.flint.ops;

import java.util.List;

/**
 * One application of an op, as a derivative rule sees it: the input values, the output value, their
 * shapes, the attributes, and which inputs need a gradient. {@code T} is a tensor when eager autograd
 * runs the rule and an IR value when the processor traces it.
 */
public final class Call<T> {
  private final Op op;
  private final List<T> inputs;
  private final T output;
  private final List<int[]> inShapes;
  private final int[] outShape;
  private final Attrs attrs;
  private final boolean[] needsGrad;
  private final DimAlgebra dims;

  public Call(Op op, List<T> inputs, T output, List<int[]> inShapes, int[] outShape, Attrs attrs, boolean[] needsGrad) {
    this(op, inputs, output, inShapes, outShape, attrs, needsGrad, DimAlgebra.EAGER);
  }

  /** As above, with sizes of {@code dims}: the compiler's symbolic sizes, which rules combine through {@link #dims()}. */
  public Call(Op op, List<T> inputs, T output, List<int[]> inShapes, int[] outShape, Attrs attrs, boolean[] needsGrad,
      DimAlgebra dims) {
    this.dims = dims;
    this.op = op;
    this.inputs = inputs;
    this.output = output;
    this.inShapes = inShapes;
    this.outShape = outShape;
    this.attrs = attrs;
    this.needsGrad = needsGrad;
  }

  public Op op() {
    return op;
  }

  /** Input {@code i}. */
  public T in(int i) {
    return inputs.get(i);
  }

  public List<T> inputs() {
    return inputs;
  }

  /** The op's output (rules such as EXP and SIGMOID differentiate through it). */
  public T out() {
    return output;
  }

  public int arity() {
    return inputs.size();
  }

  /** The shape of input {@code i} (a copy). */
  public int[] inShape(int i) {
    return inShapes.get(i).clone();
  }

  /** The output shape (a copy). */
  public int[] outShape() {
    return outShape.clone();
  }

  public Attrs attrs() {
    return attrs;
  }

  /** Whether input {@code i} needs a gradient; rules may skip expensive terms for inputs that don't. */
  public boolean needsGrad(int i) {
    return needsGrad == null || needsGrad[i];
  }

  /** How the sizes in shapes and attributes combine: plain ints, or the compiler's symbolic sizes. */
  public DimAlgebra dims() {
    return dims;
  }

  /** The {@code dim} attribute. */
  public int dim() {
    return attrs.integer(Attrs.DIM);
  }
}
