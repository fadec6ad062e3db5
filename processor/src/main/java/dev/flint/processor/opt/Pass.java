package dev.flint.processor.opt;

import dev.flint.processor.ir.Graph;

/** An optimization: a graph in, an equivalent graph out. {@code check.WellFormed} holds before and after. */
public interface Pass {
  String name();

  Graph run(Graph g);
}
