package models;

import dev.flint.dsl.Layer;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;

/** A superclass holding a layer: its fields come first, in eager and compiled models alike. */
public abstract class InheritedBase extends Module {
  @Layer Linear stem = new Linear(4, 4);
}
