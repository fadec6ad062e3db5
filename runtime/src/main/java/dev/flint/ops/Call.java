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

  public Call(Op op, List<T> inputs, T output, List<int[]> inShapes, int[] outShape, Attrs attrs, boolean[] needsGrad) {
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

  /** The {@code dim} attribute. */
  public int dim() {
    return attrs.integer(Attrs.DIM);
  }
}
