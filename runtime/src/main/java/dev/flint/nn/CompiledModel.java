package dev.flint.nn;

import dev.flint.compiled.ForwardGraph;

/**
 * What every generated {@code Compiled<Name>} offers tools that check it: fresh instances of itself and
 * of its eager twin (the user's class {@code <Name>}), built with the constructor arguments this
 * instance was built with. The generated class writes both as plain {@code new} expressions, so a tool
 * needs no reflection, no no-arg constructor and no access to the user's package.
 */
public interface CompiledModel {

  /** A new instance of the user's class (eager forward), constructed as this one was. */
  Module newEagerTwin();

  /** A new instance of this compiled class, constructed as this one was. */
  Module newCompiledTwin();

  /**
   * The evaluation-mode forward pass as the processor compiled it (what ONNX export translates). A class
   * whose forward was not compiled (the processor warned and kept the eager forward) or that an older
   * processor generated has none.
   *
   * @throws UnsupportedOperationException when this class has no recorded graph
   */
  default ForwardGraph forwardGraph() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no recorded forward graph: its forward"
        + " was not compiled (see the processor's warning when it built this class) or an older Flint processor"
        + " generated it; rebuild the model with this version's processor");
  }
}
