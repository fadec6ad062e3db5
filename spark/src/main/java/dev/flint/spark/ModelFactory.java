package dev.flint.spark;

import dev.flint.nn.Module;
import java.io.Serializable;

/**
 * Creates a fresh model on an executor, e.g. {@code CompiledNet::new} or
 * {@code () -> new Sequential(...)}. Serializable, so that Spark can ship it; the classes it
 * mentions must be on the executors' classpath.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
  Module create();
}
