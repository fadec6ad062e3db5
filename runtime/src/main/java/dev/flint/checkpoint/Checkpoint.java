package dev.flint.checkpoint;

import dev.flint.internal.Internals;
import dev.flint.io.SafeTensors;
import dev.flint.io.SafeTensorsException;
import dev.flint.nn.Module;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A training checkpoint in one safetensors file: the model's state dict, the optimizer's state,
 * the epoch, the state of the default {@link Generator} (and of any other generators added), and
 * free-form string metadata, so training resumes exactly where it stopped. It is saved
 * atomically, like every {@link SafeTensors} save.
 *
 * <p>In the file, model tensors are named {@code model.<key>}, optimizer tensors
 * {@code optim.<key>}, generator states {@code rng.<name>} (INT64 {@code [3]}); the epoch is the
 * {@code __metadata__} entry {@code epoch}, next to the user's metadata. PyTorch reads it as any
 * safetensors file.
 *
 * <pre>{@code
 * Checkpoint.save(path, model, optimizer, epoch);            // at the end of an epoch
 * ...
 * long epoch = Checkpoint.load(path).restore(model, optimizer);  // continue with epoch + 1
 * }</pre>
 */
public final class Checkpoint {
  public static final String MODEL_PREFIX = "model.";
  public static final String OPTIMIZER_PREFIX = "optim.";
  public static final String GENERATOR_PREFIX = "rng.";
  /** The name under which the default generator's state is kept. */
  public static final String DEFAULT_GENERATOR = "default";
  private static final String EPOCH_KEY = "epoch";

  private final Map<String, Tensor> modelState;
  private final Map<String, Tensor> optimizerState;
  private final Map<String, long[]> generators;
  private final long epoch;
  private final Map<String, String> metadata;

  private Checkpoint(Map<String, Tensor> modelState, Map<String, Tensor> optimizerState,
      Map<String, long[]> generators, long epoch, Map<String, String> metadata) {
    this.modelState = Collections.unmodifiableMap(modelState);
    this.optimizerState = Collections.unmodifiableMap(optimizerState);
    this.generators = Collections.unmodifiableMap(generators);
    this.epoch = epoch;
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /**
   * A snapshot (copies) of {@code model}'s and {@code optimizer}'s state (the optimizer may be
   * null), the epoch, and the default generator's current state.
   */
  public static Checkpoint of(Module model, Optimizer optimizer, long epoch) {
    Objects.requireNonNull(model, "model");
    return of(model.stateDict(), optimizer == null ? Map.of() : optimizer.stateDict(), epoch);
  }

  /** A snapshot (copies) of two state maps, the epoch, and the default generator's current state. */
  public static Checkpoint of(Map<String, Tensor> modelState, Map<String, Tensor> optimizerState, long epoch) {
    Map<String, long[]> generators = new LinkedHashMap<>();
    generators.put(DEFAULT_GENERATOR, Generator.defaultGenerator().getState());
    return new Checkpoint(copy(modelState, "model"), copy(optimizerState, "optimizer"), generators, epoch, new LinkedHashMap<>());
  }

  /** Saves {@link #of(Module, Optimizer, long)} to {@code path}, atomically. */
  public static void save(Path path, Module model, Optimizer optimizer, long epoch) {
    of(model, optimizer, epoch).save(path);
  }

  /** This checkpoint plus the current state of another generator (a data loader's, say) under {@code name}. */
  public Checkpoint withGenerator(String name, Generator generator) {
    checkName(name);
    Map<String, long[]> g = new LinkedHashMap<>(generators);
    g.put(name, generator.getState());
    return new Checkpoint(modelState, optimizerState, g, epoch, metadata);
  }

  /** This checkpoint plus a metadata entry ({@code "epoch"} is reserved). */
  public Checkpoint withMetadata(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.equals(EPOCH_KEY)) {
      throw new IllegalArgumentException("checkpoint metadata key \"epoch\" is reserved for the epoch; choose another key");
    }
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new Checkpoint(modelState, optimizerState, generators, epoch, m);
  }

  /** Writes this checkpoint to {@code path} as one safetensors file, atomically. */
  public void save(Path path) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    modelState.forEach((k, v) -> tensors.put(MODEL_PREFIX + k, v));
    optimizerState.forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, v));
    generators.forEach((k, v) -> tensors.put(GENERATOR_PREFIX + k, Tensor.of(v.clone())));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(EPOCH_KEY, Long.toString(epoch));
    meta.putAll(metadata);
    SafeTensors.save(tensors, path, meta);
  }

  /** Reads a checkpoint written by {@link #save(Path)}. */
  public static Checkpoint load(Path path) {
    SafeTensors.Contents contents = SafeTensors.loadWithMetadata(path);
    Map<String, Tensor> model = new LinkedHashMap<>();
    Map<String, Tensor> optimizer = new LinkedHashMap<>();
    Map<String, long[]> generators = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
      String key = e.getKey();
      if (key.startsWith(MODEL_PREFIX)) {
        model.put(key.substring(MODEL_PREFIX.length()), e.getValue());
      } else if (key.startsWith(OPTIMIZER_PREFIX)) {
        optimizer.put(key.substring(OPTIMIZER_PREFIX.length()), e.getValue());
      } else if (key.startsWith(GENERATOR_PREFIX)) {
        Tensor t = e.getValue();
        if (t.numel() != 3 || t.dtype().isFloatingPoint()) {
          throw new SafeTensorsException(path + ": generator state '" + key + "' must be 3 integers, but it is "
              + t.dtype() + java.util.Arrays.toString(Internals.shapeRef(t)));
        }
        generators.put(key.substring(GENERATOR_PREFIX.length()), t.toLongArray());
      } else {
        throw new SafeTensorsException(path + ": tensor '" + key + "' is not part of a checkpoint (expected names starting with "
            + MODEL_PREFIX + ", " + OPTIMIZER_PREFIX + " or " + GENERATOR_PREFIX + "); is this a plain state dict? Load it with SafeTensors.load");
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
    String epochText = metadata.remove(EPOCH_KEY);
    if (epochText == null) {
      throw new SafeTensorsException(path + ": not a checkpoint: its metadata has no \"epoch\" entry");
    }
    long epoch;
    try {
      epoch = Long.parseLong(epochText);
    } catch (NumberFormatException e) {
      throw new SafeTensorsException(path + ": the checkpoint's \"epoch\" metadata must be an integer, but it is \"" + epochText + "\"");
    }
    return new Checkpoint(model, optimizer, generators, epoch, metadata);
  }

  /**
   * Restores the model's state (strictly), the optimizer's state (when {@code optimizer} is not
   * null) and the default generator's state, and returns the epoch. If the optimizer refuses its
   * state, the model is put back as it was, so a failed restore changes nothing.
   */
  public long restore(Module model, Optimizer optimizer) {
    Objects.requireNonNull(model, "model");
    Map<String, Tensor> before = copy(model.stateDict(), "model");
    model.loadStateDict(modelState);
    if (optimizer != null) {
      try {
        optimizer.loadStateDict(optimizerState);
      } catch (RuntimeException e) {
        model.loadStateDict(before);
        throw e;
      }
    }
    restoreGenerator(DEFAULT_GENERATOR, Generator.defaultGenerator());
    return epoch;
  }

  /** Sets {@code generator} to the state saved under {@code name}. */
  public void restoreGenerator(String name, Generator generator) {
    long[] state = generators.get(name);
    if (state == null) {
      throw new IllegalArgumentException("the checkpoint has no generator named '" + name + "'; it has " + generators.keySet());
    }
    generator.setState(state);
  }

  /** The model's state dict (unmodifiable). */
  public Map<String, Tensor> modelState() {
    return modelState;
  }

  /** The optimizer's state dict (unmodifiable; empty when saved without an optimizer). */
  public Map<String, Tensor> optimizerState() {
    return optimizerState;
  }

  /** The epoch given when the checkpoint was made. */
  public long epoch() {
    return epoch;
  }

  /** The user's metadata (without the epoch). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The saved state of the generator named {@code name}, or null. */
  public long[] generatorState(String name) {
    long[] s = generators.get(name);
    return s == null ? null : s.clone();
  }

  private static Map<String, Tensor> copy(Map<String, Tensor> state, String what) {
    Objects.requireNonNull(state, what + " state");
    Map<String, Tensor> out = new LinkedHashMap<>();
    state.forEach((k, v) -> out.put(k, v.copyData()));
    return out;
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a generator name must be non-empty");
    }
  }
}
