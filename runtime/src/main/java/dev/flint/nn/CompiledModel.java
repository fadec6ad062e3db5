package dev.flint.nn;

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
}
