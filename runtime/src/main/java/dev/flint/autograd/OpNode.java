package dev.flint.autograd;

import dev.flint.internal.Internals;
import dev.flint.kernel.Kernels;
import dev.flint.ops.Attrs;
import dev.flint.ops.Call;
import dev.flint.ops.Op;
import dev.flint.ops.Signature;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The backward node of one eager op: the op table row and its call (inputs, output, attributes).
 * Backward runs the row's derivative rule with {@link EagerAlgebra}. See Note [Saved values]: the node
 * keeps only the inputs and output its rule reads; {@link #release()} drops them after backward.
 */
public final class OpNode extends Node {
  private final Op op;
  private final Attrs attrs;
  private final int[][] inShapes;
  private final int[] outShape;
  private final boolean[] needsGrad;
  private final int[] versions;
  private final int outputVersion;
  private Tensor[] inputs;
  private Tensor output;

  private OpNode(Op op, Attrs attrs, Tensor[] inputs, Tensor output) {
    Signature sig = op.signature();
    this.op = op;
    this.attrs = attrs;
    this.inputs = new Tensor[inputs.length];
    this.output = sig.savesOutput() ? output : null;
    this.outputVersion = output.storage().version();
    this.inShapes = new int[inputs.length][];
    this.needsGrad = new boolean[inputs.length];
    this.versions = new int[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      inShapes[i] = t.shape();
      needsGrad[i] = t.requiresGrad();
      versions[i] = t.storage().version();
      boolean keep = sig.savesInput(i) || t.requiresGrad() && t.isLeaf();   // the engine accumulates into leaves
      this.inputs[i] = keep ? t : StandIn.of(t);
    }
    this.outShape = output.shape();
  }

  /**
   * Runs {@code op}'s kernel on {@code in} and, when grad mode is on, the op is differentiable and some
   * input requires grad, records an {@code OpNode} as the output's {@code gradFn}.
   */
  public static Tensor run(Op op, Attrs attrs, Tensor... in) {
    Tensor out = Kernels.forward(op, attrs, in);
    if (AnomalyMode.isEnabled() && GradMode.isEnabled()) { // backward's own ops run with grad mode off
      AnomalyMode.checkForward(op, in, out);
    }
    if (!op.differentiable() || !GradMode.isEnabled() || !out.dtype().isFloatingPoint()) {
      return out;
    }
    boolean needed = false;
    for (Tensor t : in) {
      needed |= t.requiresGrad();
    }
    if (!needed) {
      return out;
    }
    for (Tensor t : in) {
      if (t == out) {   // a kernel returned its input (sumTo to the same shape): give the node its own tensor
        out = Internals.view(out.storage(), out.offset(), out.shape(), out.strides());
        break;
      }
    }
    Internals.setGradFn(out, new OpNode(op, attrs, in, out));
    return out;
  }

  public Op op() {
    return op;
  }

  public Attrs attrs() {
    return attrs;
  }

  @Override
  public Tensor[] inputs() {
    return inputs;
  }

  /** The output, when the rule reads it (Note [Saved values]); else null. */
  Tensor savedOutput() {
    return output;
  }

  @Override
  protected Tensor[] backward(Tensor grad) {
    List<int[]> shapes = new ArrayList<>(Arrays.asList(inShapes));
    Call<Tensor> call = new Call<>(op, Arrays.asList(inputs), output, shapes, outShape, attrs, needsGrad);
    OpNode outer = RUNNING.get();
    RUNNING.set(this);
    try {
      return op.backward(EagerAlgebra.INSTANCE, grad, call).toArray(new Tensor[0]);
    } finally {
      RUNNING.set(outer);
    }
  }

  @Override
  public String name() {
    return op.backwardName();
  }

  /** The node whose rule is running on this thread, so {@link #checkSaved} can find its saved inputs. */
  private static final ThreadLocal<OpNode> RUNNING = new ThreadLocal<>();

  /**
   * Fails when one of {@code args} is an input or the saved output of the node whose rule is running
   * and its storage was written in place since the op ran (PyTorch's version counter): exp, sigmoid and
   * tanh read their output, which a write through {@code y.detach()} would otherwise change silently.
   * Called for the tensors a rule passes to ops as values, so inputs the rule only takes shapes or
   * dtypes from (sumTo, cast) never fail.
   */
  static void checkSaved(Tensor[] args) {
    OpNode node = RUNNING.get();
    if (node == null) {
      return;
    }
    for (Tensor a : args) {
      for (int i = 0; i < node.inputs.length; i++) {
        Tensor t = node.inputs[i];
        if (a == t && t.storage().version() != node.versions[i]) {
          throw modified(node, "input " + i, t, node.versions[i]);
        }
      }
      if (a != null && a == node.output && a.storage().version() != node.outputVersion) {
        throw modified(node, "its output", a, node.outputVersion);
      }
    }
  }

  private static IllegalStateException modified(OpNode node, String which, Tensor t, int expected) {
    return new IllegalStateException("one of the tensors needed to compute the gradient of " + node.name()
        + " (" + which + ", shape " + Arrays.toString(t.shape()) + ") was modified by an in-place operation "
        + "after the op used it: its storage is at version " + t.storage().version() + ", expected "
        + expected + ". Modify a clone() instead, or make the change after backward()");
  }

  // Note [Saved values]: an eager node keeps, until backward has run, the inputs and the output that
  // its row's signature says the derivative rule reads (Signature.saves; OpTableTest checks the list
  // against what each rule reads), plus the leaves that require grad, into which the engine
  // accumulates. Every other input is replaced by a stand-in (StandIn) of its shape and dtype that
  // carries its gradFn: the engine still finds the producer, and rules still read shapes and dtypes
  // (sumTo, cast), but the input's storage is no longer held. Over many recurrent steps that keeps,
  // say, an add node from holding both of its operands. The processor saves only what its traced
  // backward graph reads.
  @Override
  protected void releaseSaved() {
    inputs = new Tensor[inputs.length];
    output = null;
  }
}
