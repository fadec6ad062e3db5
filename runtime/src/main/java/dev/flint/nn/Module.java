package dev.flint.nn;

import dev.flint.dsl.Layer;
import dev.flint.internal.Internals;
import dev.flint.io.SafeTensors;
import dev.flint.tensor.DType;
import dev.flint.tensor.Device;
import dev.flint.tensor.Tensor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * The base class of every model and layer ({@code torch.nn.Module}). A module owns parameters and
 * buffers registered by name (layers do this in their constructors) and child modules: every
 * non-static field holding a {@code Module}, with or without {@link Layer} (the annotation is what
 * the compiler reads), found by {@link #declaredLayers()}. Parameters and buffers are named as
 * PyTorch names them: the path of fields to the owning layer, then the tensor's name
 * ({@code fc1.weight}, {@code body.0.bias}, {@code bn.running_mean}).
 *
 * <pre>{@code
 * class Mlp extends Module {
 *   @Layer Linear fc1 = new Linear(117, 64);
 *   @Layer Linear fc2 = new Linear(64, 1);
 *   public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x))); }
 * }
 * }</pre>
 *
 * <p>Every traversal (parameters, state dict, train/eval, dtype conversion, printing) goes through
 * {@link #declaredLayers()}, so a compiled subclass that overrides it needs no reflection. An eager
 * module reads its fields reflectively: on the class path that needs nothing; in a named module, open
 * the model's package to Flint's runtime module ({@code opens my.models to dev.flint.runtime;} in
 * {@code module-info.java}).
 */
public abstract class Module {
  private static final ClassValue<List<Field>> LAYER_FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      return layerFields(type);
    }
  };

  /** The modules whose toString() is running on this thread: a back-reference to one prints as {@code Name(...)}. */
  private static final ThreadLocal<Set<Module>> PRINTING = ThreadLocal.withInitial(Module::identitySet);

  private final Map<String, Tensor> ownParameters = new LinkedHashMap<>();
  private final Map<String, Tensor> ownBuffers = new LinkedHashMap<>();
  private boolean training = true;

  /** Computes this module's output from {@code input}. */
  public abstract Tensor forward(Tensor input);

  // ---------------------------------------------------------------- registration

  /**
   * The child modules by name, in declaration order: by default every non-static field whose declared
   * type is a {@code Module} (with or without {@link Layer}, private included, as PyTorch registers
   * every module attribute), and every field declared {@code Object} whose value is a Module now,
   * superclass fields first; null fields are skipped, as PyTorch skips {@code None} submodules. The
   * processor's generated subclasses override this with plain field reads; containers such as
   * {@link Sequential} override it to name their children {@code "0", "1", ...}.
   */
  protected Map<String, Module> declaredLayers() {
    List<Field> fields = LAYER_FIELDS.get(getClass());
    Map<String, Module> layers = new LinkedHashMap<>();
    for (Field f : fields) {
      Object value;
      try {
        value = f.get(this);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read layer field " + describe(f) + ": " + e.getMessage(), e);
      }
      if (value instanceof Module child) {
        layers.put(f.getName(), child);
      }
    }
    return layers;
  }

  private static List<Field> layerFields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    Class<?> parent = type.getSuperclass();
    if (parent != null && Module.class.isAssignableFrom(parent)) {
      fields.addAll(LAYER_FIELDS.get(parent));
    }
    for (Field f : type.getDeclaredFields()) {
      boolean annotated = f.isAnnotationPresent(Layer.class);
      boolean moduleTyped = Module.class.isAssignableFrom(f.getType());
      // an Object field may hold a Module, as any Python attribute: its value decides, at each traversal
      boolean untyped = !annotated && f.getType() == Object.class;
      // synthetic fields (an inner class's this$0) point at the enclosing instance, not at a child
      if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || !annotated && !moduleTyped && !untyped) {
        continue;
      }
      if (!moduleTyped && !untyped) {
        throw new IllegalStateException("@Layer field " + describe(f) + " has type " + f.getType().getSimpleName()
            + ", but a @Layer field must hold a Module (a layer such as Linear, or a model)");
      }
      Field hidden = fields.stream().filter(earlier -> earlier.getName().equals(f.getName())).findFirst().orElse(null);
      if (hidden != null && untyped) {
        continue;
      }
      if (hidden != null) {
        throw new IllegalStateException("layer field " + describe(f) + " hides layer field " + describe(hidden)
            + ": two child modules cannot share the name '" + f.getName() + "'");
      }
      try {
        f.setAccessible(true);
      } catch (InaccessibleObjectException e) {
        if (untyped) {
          continue;   // most likely not a Module; only a field declared as one is worth this error
        }
        throw new IllegalStateException("cannot read layer field " + describe(f) + ": open its package to "
            + "Flint's runtime module ('opens " + f.getDeclaringClass().getPackageName() + " to dev.flint.runtime;' in "
            + "module-info.java), or use the compiled model (which needs no reflection)", e);
      }
      fields.add(f);
    }
    return List.copyOf(fields);
  }

  private static String describe(Field f) {
    return f.getDeclaringClass().getSimpleName() + "." + f.getName();
  }

  /**
   * Registers {@code tensor} as a trainable parameter named {@code name} of this module, turns on
   * its {@code requiresGrad} (as {@code nn.Parameter} does) and returns it, for field initializers:
   * {@code weight = registerParameter("weight", Tensor.empty(...))}.
   */
  protected final Tensor registerParameter(String name, Tensor tensor) {
    checkNewName(name, tensor, "parameter");
    tensor.requiresGrad(true);
    tensor.storage().markParameter();
    ownParameters.put(name, tensor);
    return tensor;
  }

  /**
   * Registers {@code tensor} as a buffer named {@code name}: state that is saved and loaded and
   * follows {@link #to(DType)}, but is not trained ({@code running_mean} of batch norm). Returns it.
   */
  protected final Tensor registerBuffer(String name, Tensor tensor) {
    checkNewName(name, tensor, "buffer");
    ownBuffers.put(name, tensor);
    return tensor;
  }

  private void checkNewName(String name, Tensor tensor, String kind) {
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(kind + " name must be non-empty and contain no '.', but got '" + name + "'");
    }
    if (tensor == null) {
      throw new IllegalArgumentException(kind + " '" + name + "' of " + moduleName() + " is null");
    }
    if (ownParameters.containsKey(name) || ownBuffers.containsKey(name)) {
      throw new IllegalArgumentException(moduleName() + " already has a parameter or buffer named '" + name + "'");
    }
  }

  // ---------------------------------------------------------------- traversal

  /** The immediate child modules by name ({@code named_children}), each module once. */
  public Map<String, Module> namedChildren() {
    Map<String, Module> out = new LinkedHashMap<>();
    Set<Module> seen = identitySet();
    for (Map.Entry<String, Module> e : declaredLayers().entrySet()) {
      if (seen.add(e.getValue())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The immediate child modules ({@code children}). */
  public List<Module> children() {
    return new ArrayList<>(namedChildren().values());
  }

  /**
   * This module and all its descendants by dotted name, pre-order, each module once; this module's
   * name is the empty string ({@code named_modules}).
   */
  public Map<String, Module> namedModules() {
    Map<String, Module> out = new LinkedHashMap<>();
    collectModules("", this, out, identitySet());
    return out;
  }

  private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
    if (!seen.add(m)) {
      return;
    }
    out.put(prefix, m);
    for (Map.Entry<String, Module> e : m.declaredLayers().entrySet()) {
      collectModules(join(prefix, e.getKey()), e.getValue(), out, seen);
    }
  }

  /** This module and all its descendants, pre-order ({@code modules}). */
  public List<Module> modules() {
    return new ArrayList<>(namedModules().values());
  }

  /**
   * The live parameters by dotted name, in registration order, module by module (pre-order); a
   * tensor shared between layers appears once, under its first name, as in PyTorch.
   */
  public Map<String, Tensor> namedParameters() {
    return collectOwn(true);
  }

  /** The live parameters, each tensor once, in the order of {@link #namedParameters()}. */
  public List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** The live buffers by dotted name ({@code bn.running_mean}), each tensor once. */
  public Map<String, Tensor> namedBuffers() {
    return collectOwn(false);
  }

  /** The live buffers, each tensor once. */
  public List<Tensor> buffers() {
    return new ArrayList<>(namedBuffers().values());
  }

  private Map<String, Tensor> collectOwn(boolean parameters) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Set<Tensor> seen = identitySet();
    for (Map.Entry<String, Module> m : namedModules().entrySet()) {
      Map<String, Tensor> own = parameters ? m.getValue().ownParameters : m.getValue().ownBuffers;
      for (Map.Entry<String, Tensor> e : own.entrySet()) {
        if (seen.add(e.getValue())) {
          out.put(join(m.getKey(), e.getKey()), e.getValue());
        }
      }
    }
    return out;
  }

  /** The total number of elements of all parameters (shared ones counted once). */
  public long numParameters() {
    long n = 0;
    for (Tensor p : parameters()) {
      n += p.numel();
    }
    return n;
  }

  // ---------------------------------------------------------------- state dict

  /**
   * The parameters and buffers by dotted name: for each module (pre-order), its parameters then its
   * buffers. The values are detached views that share storage with the model, as PyTorch's
   * {@code state_dict()}: they see later in-place updates (training steps, {@link #loadStateDict}),
   * but not a dtype change by {@link #to(DType)}. Copy them ({@code copyData()}) for a snapshot.
   */
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : liveState().entrySet()) {
      out.put(e.getKey(), e.getValue().detach());
    }
    return out;
  }

  /** The live tensors behind {@link #stateDict()}; a shared tensor appears under every name. */
  private Map<String, Tensor> liveState() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    collectState("", this, out, identitySet());
    return out;
  }

  /** {@code path} holds the modules above {@code m}: a field pointing back up (a parent) is not descended into. */
  private static void collectState(String prefix, Module m, Map<String, Tensor> out, Set<Module> path) {
    if (!path.add(m)) {
      return;
    }
    m.ownParameters.forEach((name, t) -> out.put(join(prefix, name), t));
    m.ownBuffers.forEach((name, t) -> out.put(join(prefix, name), t));
    m.declaredLayers().forEach((name, child) -> collectState(join(prefix, name), child, out, path));
    path.remove(m);
  }

  /**
   * Copies {@code state}'s values into this module's parameters and buffers in place (converting
   * dtypes), so optimizers holding the parameters stay valid. Strict, as PyTorch's default: fails,
   * before changing anything, with one message listing every missing key, every unexpected key and
   * every shape mismatch.
   */
  public IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
    return loadStateDict(state, true);
  }

  /**
   * Copies {@code state}'s values into this module's parameters and buffers in place. With
   * {@code strict} false, missing and unexpected keys are returned instead of refused; a shape
   * mismatch is always an error, as in PyTorch. Nothing is changed when an error is thrown.
   */
  public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
    Map<String, Tensor> live = liveState();
    List<String> missing = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : live.entrySet()) {
      Tensor value = state.get(e.getKey());
      if (value == null) {
        missing.add(e.getKey());
      } else if (!Arrays.equals(Internals.shapeRef(value), Internals.shapeRef(e.getValue()))) {
        mismatched.add("size mismatch for " + e.getKey() + ": copying a param with shape "
            + Arrays.toString(Internals.shapeRef(value)) + " from checkpoint, the shape in current model is "
            + Arrays.toString(Internals.shapeRef(e.getValue())) + ".");
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String key : state.keySet()) {
      if (!live.containsKey(key)) {
        unexpected.add(key);
      }
    }
    boolean keyErrors = strict && (!missing.isEmpty() || !unexpected.isEmpty());
    if (keyErrors || !mismatched.isEmpty()) {
      StringBuilder msg = new StringBuilder("Error(s) in loading state_dict for ").append(moduleName()).append(':');
      if (strict && !unexpected.isEmpty()) {
        msg.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpected)).append('.');
      }
      if (strict && !missing.isEmpty()) {
        msg.append("\n\tMissing key(s) in state_dict: ").append(quoted(missing)).append('.');
      }
      for (String m : mismatched) {
        msg.append("\n\t").append(m);
      }
      throw new IllegalArgumentException(msg.toString());
    }
    for (Map.Entry<String, Tensor> e : live.entrySet()) {
      Tensor value = state.get(e.getKey());
      if (value != null) {
        TensorData.copyInto(value, e.getValue());
      }
    }
    return new IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
  }

  private static String quoted(List<String> keys) {
    StringJoiner j = new StringJoiner(", ");
    keys.forEach(k -> j.add('"' + k + '"'));
    return j.toString();
  }

  /** The keys a non-strict {@link #loadStateDict(Map, boolean)} skipped ({@code _IncompatibleKeys}). */
  public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {}

  // ---------------------------------------------------------------- modes, dtype, device, grads

  /** Puts this module and all descendants in training mode; returns this. */
  public Module train() {
    return train(true);
  }

  /** Sets training mode ({@code true}) or evaluation mode on this module and all descendants; returns this. */
  public Module train(boolean mode) {
    for (Module m : modules()) {
      m.training = mode;
    }
    return this;
  }

  /** Puts this module and all descendants in evaluation mode (dropout off, batch norm uses running statistics). */
  public Module eval() {
    return train(false);
  }

  /** Whether this module is in training mode (the default). */
  public boolean isTraining() {
    return training;
  }

  /**
   * Converts every floating-point parameter and buffer (and gradient) to {@code dtype} in place,
   * keeping each tensor's identity so optimizers stay valid; integer buffers such as
   * {@code num_batches_tracked} keep their dtype, as in PyTorch. Returns this.
   */
  public Module to(DType dtype) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "Module.to only accepts floating-point dtypes (FLOAT32, FLOAT64), but got " + dtype);
    }
    for (Module m : modules()) {
      for (Tensor t : m.ownParameters.values()) {
        convertInPlace(t, dtype);
      }
      for (Tensor t : m.ownBuffers.values()) {
        convertInPlace(t, dtype);
      }
    }
    return this;
  }

  private static void convertInPlace(Tensor t, DType dtype) {
    if (t.dtype().isFloatingPoint() && t.dtype() != dtype) {
      t.setData(TensorData.converted(t, dtype));
    }
    Tensor g = Internals.gradForUpdate(t);
    if (g != null && g.dtype() != dtype && t.dtype() == dtype) {
      t.setGrad(TensorData.converted(g, dtype));
    }
  }

  /**
   * Moves the parameters and buffers to {@code device} in place (keeping their identity); returns this.
   * The CPU is a no-op; a device Flint cannot compute on fails with the tensor library's message,
   * before anything moves.
   */
  public Module to(Device device) {
    if (device.isCpu()) {
      return this;
    }
    List<Tensor> tensors = new ArrayList<>();
    for (Module m : modules()) {
      tensors.addAll(m.ownParameters.values());
      tensors.addAll(m.ownBuffers.values());
    }
    List<Tensor> moved = new ArrayList<>();
    for (Tensor t : tensors) {
      moved.add(t.to(device));
    }
    for (int i = 0; i < tensors.size(); i++) {
      if (moved.get(i) != tensors.get(i)) {
        tensors.get(i).setData(moved.get(i));
      }
    }
    return this;
  }

  /**
   * Calls {@code fn} on every descendant, then on this module ({@code Module.apply}: children first,
   * as PyTorch), e.g. for custom initialisation; returns this.
   */
  public Module apply(Consumer<Module> fn) {
    applyBelow(this, fn, identitySet());
    return this;
  }

  /** {@code path} holds the modules above {@code m}: a field pointing back up (a parent) is not descended into. */
  private static void applyBelow(Module m, Consumer<Module> fn, Set<Module> path) {
    path.add(m);
    for (Module child : m.children()) {
      if (!path.contains(child)) {
        applyBelow(child, fn, path);
      }
    }
    path.remove(m);
    fn.accept(m);
  }

  /** Turns gradient tracking of every parameter on or off ({@code requires_grad_}, to freeze layers); returns this. */
  public Module requiresGrad(boolean requiresGrad) {
    for (Tensor p : parameters()) {
      p.requiresGrad(requiresGrad);
    }
    return this;
  }

  /** Clears the gradient of every parameter (sets it to null, as PyTorch's {@code set_to_none=True}). */
  public void zeroGrad() {
    for (Tensor p : parameters()) {
      p.setGrad(null);
    }
  }

  // ---------------------------------------------------------------- files

  /**
   * Saves {@link #stateDict()} to a safetensors file that PyTorch's {@code safetensors.torch.load_file}
   * reads; atomic (a temporary file, then a rename), so an interrupted save keeps the old file.
   */
  public void save(Path path) {
    SafeTensors.save(stateDict(), path);
  }

  /**
   * Loads a safetensors file written by {@link #save} (or by PyTorch) into this module in place, strictly
   * as {@link #loadStateDict(Map)}; returns this.
   */
  public Module load(Path path) {
    loadStateDict(SafeTensors.load(path));
    return this;
  }

  // ---------------------------------------------------------------- printing

  /** The name printed for this module: its class, or the model's class for a compiled {@code CompiledX}. */
  protected String moduleName() {
    Class<?> type = getClass();
    String name = type.getSimpleName();
    Class<?> parent = type.getSuperclass();
    if (name.startsWith("Compiled") && parent != null && parent != Module.class
        && name.endsWith(parent.getSimpleName())) {
      return parent.getSimpleName();
    }
    return name.isEmpty() ? type.getName().substring(type.getName().lastIndexOf('.') + 1) : name;
  }

  /** The layer's settings, printed inside its parentheses ({@code extra_repr}); empty by default. */
  protected String extraRepr() {
    return "";
  }

  /** The module tree as PyTorch prints it: {@code Mlp(\n  (fc1): Linear(in_features=117, ...)\n)}. */
  @Override
  public String toString() {
    List<String> lines = new ArrayList<>();
    String extra = extraRepr();
    if (!extra.isEmpty()) {
      lines.addAll(Arrays.asList(extra.split("\n")));
    }
    Map<String, Module> layers = declaredLayers();
    Set<Module> path = PRINTING.get();
    boolean outermost = path.add(this);
    try {
      for (Map.Entry<String, Module> e : layers.entrySet()) {
        Module child = e.getValue();
        String text = path.contains(child) ? child.moduleName() + "(...)" : child.toString();
        lines.add("(" + e.getKey() + "): " + text.replace("\n", "\n  "));
      }
    } finally {
      if (outermost) {
        path.remove(this);
      }
    }
    StringBuilder out = new StringBuilder(moduleName()).append('(');
    if (lines.size() == 1 && layers.isEmpty()) {
      out.append(lines.get(0));
    } else if (!lines.isEmpty()) {
      out.append("\n  ").append(String.join("\n  ", lines)).append('\n');
    }
    return out.append(')').toString();
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  private static <T> Set<T> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
