package dev.flint.optim;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The base of every optimizer, as {@code torch.optim.Optimizer} with one parameter group: it holds
 * the parameters, the learning rate and each parameter's state, and runs {@link #update} on every
 * parameter whose gradient is set.
 *
 * <p>Updates happen in place on the parameters' storage, so references held elsewhere (a module's
 * fields) see the new values. State buffers are allocated on a parameter's first step. Optimizers
 * that override {@link #updatesInFloat()} (SGD, Adam, AdamW) update FLOAT32 parameters in float, in
 * place, with float buffers, as PyTorch does; the others compute in double, through one shared double
 * scratch array, with double buffers, so their FLOAT32 results differ from PyTorch's by float32
 * rounding. Either way a warm {@link #step()} allocates nothing (a parameter large enough to be split
 * over the kernel threads costs one small task object).
 *
 * <p>{@link #stateDict()} holds {@code state.<i>.step}, {@code state.<i>.<buffer>} (FLOAT64, the
 * parameter's shape) for each parameter index {@code i} that has state, and
 * {@code param_groups.0.<hyperparameter>} (0-d FLOAT64; booleans as 0 or 1; {@code betas} 1-D).
 */
public abstract class Optimizer {
  private static final String GROUP = "param_groups.0.";

  private final List<Tensor> params;
  private final ParamState[] states;
  private double lr;
  private double[] scratchParam = new double[0];
  private double[] scratchGrad = new double[0];
  private float[] scratchGradFloat = new float[0];

  /** An optimizer over {@code params} (kept in iteration order; the index keys the state). */
  protected Optimizer(Iterable<Tensor> params, double lr) {
    List<Tensor> list = new ArrayList<>();
    for (Tensor p : params) {
      if (p == null) {
        throw new IllegalArgumentException(name() + ": parameter " + list.size() + " is null");
      }
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == p) {
          throw new IllegalArgumentException(
              name() + ": parameter " + list.size() + " is the same tensor as parameter " + i
                  + "; each parameter may appear only once");
        }
      }
      if (!p.dtype().isFloatingPoint()) {
        throw new IllegalArgumentException(
            name() + ": parameter " + list.size() + " is " + p.dtype()
                + ", but optimizers update only FLOAT32 or FLOAT64 tensors");
      }
      list.add(p);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(name() + ": got an empty parameter list");
    }
    this.params = Collections.unmodifiableList(list);
    this.states = new ParamState[list.size()];
    setLr(lr);
  }

  // ---------------------------------------------------------------- what subclasses define

  /** The names of the per-parameter buffers, in the order of {@code ParamState.buffers}. */
  protected abstract List<String> bufferNames();

  /**
   * Updates one parameter in place: {@code w[wOff .. wOff+n)} are its values,
   * {@code g[gOff .. gOff+n)} its gradient (read only), {@code state} its state with the step
   * count already incremented for this step.
   */
  protected abstract void update(ParamState state, double[] w, int wOff, double[] g, int gOff, int n);

  /**
   * Whether FLOAT32 parameters are updated in float by {@link #updateFloat} (with float buffers);
   * false (the default) sends them through {@link #update} in double.
   */
  protected boolean updatesInFloat() {
    return false;
  }

  /**
   * Updates one FLOAT32 parameter in place, in float, as {@link #update} does in double; called only
   * when {@link #updatesInFloat()}. Its buffers are {@link ParamState#floatBuffer}s.
   */
  protected void updateFloat(ParamState state, float[] w, int wOff, float[] g, int gOff, int n) {
    throw new UnsupportedOperationException(name() + " does not update in float");
  }

  /** Adds this optimizer's hyperparameters other than {@code lr} to {@code out}, by PyTorch name. */
  protected abstract void hyperparameters(Map<String, double[]> out);

  /** Sets one hyperparameter named as in {@link #hyperparameters}, validating it. */
  protected abstract void setHyperparameter(String name, double[] value);

  /** Checks settings whose validity depends on each other; called at the start of every step. */
  protected void checkSettings() {}

  /** The optimizer's name for messages. */
  protected String name() {
    return getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- public API

  /** The parameters, in the order given to the constructor. */
  public List<Tensor> params() {
    return params;
  }

  /** The current learning rate. */
  public double lr() {
    return lr;
  }

  /** Sets the learning rate (schedulers call this between steps). */
  public void setLr(double lr) {
    if (!(lr >= 0)) {
      throw new IllegalArgumentException(name() + ": invalid learning rate: " + lr + " (must be >= 0)");
    }
    this.lr = lr;
  }

  /** Clears every parameter's gradient (sets it to null), as PyTorch's {@code zero_grad()}. */
  public void zeroGrad() {
    zeroGrad(true);
  }

  /**
   * Clears every parameter's gradient: to null when {@code setToNone} (PyTorch's default), else by
   * filling the existing gradient tensors with zeros in place (so their storage can be reused).
   */
  public void zeroGrad(boolean setToNone) {
    for (int i = 0; i < params.size(); i++) {   // indexed: no iterator per step
      Tensor p = params.get(i);
      Tensor g = Internals.gradForUpdate(p);
      if (setToNone || g == null) {
        p.setGrad(null);
      } else if (g.isContiguous()) {
        g.storage().fill(g.offset(), g.offset() + g.numel(), 0);
      } else {
        p.setGrad(Tensor.zeros(g.dtype(), g.shape()));
      }
    }
  }

  /** Performs one optimization step on every parameter whose gradient is not null. */
  public void step() {
    checkSettings();
    for (int i = 0; i < params.size(); i++) {
      Tensor p = params.get(i);
      Tensor g = Internals.gradForUpdate(p);
      if (g != null) {
        stepParameter(i, p, g);
        p.storage().bumpVersion();   // the weights changed in place: packed copies of them are stale
      }
    }
  }

  private void stepParameter(int index, Tensor p, Tensor g) {
    checkParameter(index, p, g);
    int n = p.numel();
    ParamState state = states[index];
    if (state == null) {
      state = states[index] = new ParamState(bufferNames().size());
    } else {
      checkStateSize(index, state, n);
    }
    state.step++;

    boolean f64 = p.dtype() == DType.FLOAT64;
    if (!f64 && updatesInFloat()) {
      float[] gf;
      int gOff;
      if (g.dtype() == DType.FLOAT32 && g.isContiguous()) {
        gf = g.storage().floats();
        gOff = g.offset();
      } else {
        gf = scratchGradFloat = scratchGradFloat.length >= n ? scratchGradFloat : new float[n];
        gOff = 0;
        readGrad(g, gf);
      }
      updateFloat(state, p.storage().floats(), p.offset(), gf, gOff, n);
      return;
    }
    double[] w;
    int wOff;
    if (f64) {
      w = p.storage().doubles();
      wOff = p.offset();
    } else {
      w = scratchParam = grow(scratchParam, n);
      wOff = 0;
      float[] src = p.storage().floats();
      for (int k = 0, at = p.offset(); k < n; k++) {
        w[k] = src[at + k];
      }
    }
    double[] gd;
    int gOff;
    if (g.dtype() == DType.FLOAT64 && g.isContiguous()) {
      gd = g.storage().doubles();
      gOff = g.offset();
    } else {
      gd = scratchGrad = grow(scratchGrad, n);
      gOff = 0;
      readGrad(g, gd);
    }
    update(state, w, wOff, gd, gOff, n);
    if (!f64) {
      float[] dst = p.storage().floats();
      for (int k = 0, at = p.offset(); k < n; k++) {
        dst[at + k] = (float) w[k];
      }
    }
  }

  private static double[] grow(double[] a, int n) {
    return a.length >= n ? a : new double[n];
  }

  /** Copies a gradient of any float dtype and layout into {@code out} in row-major order. */
  private static void readGrad(Tensor g, double[] out) {
    Storage s = g.storage();
    int n = g.numel();
    if (g.isContiguous() && g.dtype() == DType.FLOAT32) {
      float[] src = s.floats();
      for (int k = 0, at = g.offset(); k < n; k++) {
        out[k] = src[at + k];
      }
      return;
    }
    Layouts.forEachIndex(Internals.shapeRef(g), Internals.stridesRef(g), g.offset(), (k, at) -> out[k] = s.getDouble(at));
  }

  /** {@link #readGrad(Tensor, double[])} into floats (rounding a FLOAT64 gradient, as PyTorch's copy would). */
  private static void readGrad(Tensor g, float[] out) {
    Storage s = g.storage();
    Layouts.forEachIndex(Internals.shapeRef(g), Internals.stridesRef(g), g.offset(), (k, at) -> out[k] = (float) s.getDouble(at));
  }

  private void checkParameter(int index, Tensor p, Tensor g) {
    if (!p.dtype().isFloatingPoint()) {
      throw new IllegalStateException(
          name() + ": parameter " + index + " became " + p.dtype() + "; optimizers update only FLOAT32 or FLOAT64");
    }
    if (!p.isContiguous()) {
      throw new IllegalStateException(
          name() + ": parameter " + index + " (shape " + Arrays.toString(Internals.shapeRef(p))
              + ") is not contiguous; optimizers update parameters in place and need contiguous storage");
    }
    if (!Arrays.equals(Internals.shapeRef(p), Internals.shapeRef(g))) {
      throw new IllegalStateException(
          name() + ": parameter " + index + " has shape " + Arrays.toString(Internals.shapeRef(p))
              + ", but its gradient has shape " + Arrays.toString(Internals.shapeRef(g)));
    }
    if (!g.dtype().isFloatingPoint()) {
      throw new IllegalStateException(
          name() + ": the gradient of parameter " + index + " is " + g.dtype() + ", not a float dtype");
    }
  }

  private void checkStateSize(int index, ParamState state, int n) {
    for (int b = 0; b < bufferNames().size(); b++) {
      if (state.has(b) && state.length(b) != n) {
        throw new IllegalStateException(
            name() + ": parameter " + index + " now has " + n + " elements, but its optimizer state '"
                + bufferNames().get(b) + "' has " + state.length(b)
                + "; create the optimizer after changing the model's shapes");
      }
    }
  }

  // ---------------------------------------------------------------- state dict

  /**
   * A snapshot of the optimizer: step counts and buffers per parameter index, and the
   * hyperparameters. The tensors are copies, so later steps do not change it.
   */
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    List<String> names = bufferNames();
    for (int i = 0; i < states.length; i++) {
      ParamState s = states[i];
      if (s == null) {
        continue;
      }
      out.put("state." + i + ".step", Tensor.scalar(s.step, DType.FLOAT64));
      for (int b = 0; b < names.size(); b++) {
        if (s.has(b)) {
          out.put("state." + i + "." + names.get(b), Tensor.of(s.copyAsDouble(b), params.get(i).shape()));
        }
      }
    }
    for (Map.Entry<String, double[]> h : allHyperparameters().entrySet()) {
      double[] v = h.getValue();
      out.put(GROUP + h.getKey(), v.length == 1 ? Tensor.scalar(v[0], DType.FLOAT64) : Tensor.of(v.clone()));
    }
    return out;
  }

  /**
   * Restores a snapshot from {@link #stateDict()} of an optimizer of the same kind over parameters
   * of the same shapes. Nothing changes unless the whole snapshot is valid; otherwise one error lists
   * every unexpected key, missing hyperparameter and size mismatch.
   */
  public void loadStateDict(Map<String, Tensor> stateDict) {
    List<String> problems = new ArrayList<>();
    Map<String, double[]> expectedHyper = allHyperparameters();
    Map<String, double[]> hyper = new LinkedHashMap<>();
    ParamState[] loaded = new ParamState[states.length];
    List<String> names = bufferNames();
    TreeSet<String> unexpected = new TreeSet<>();

    for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
      String key = e.getKey();
      Tensor t = e.getValue();
      if (key.startsWith(GROUP)) {
        String h = key.substring(GROUP.length());
        double[] want = expectedHyper.get(h);
        if (want == null) {
          unexpected.add(key);
        } else if (t.numel() != want.length) {
          problems.add(key + " has " + t.numel() + " values, expected " + want.length);
        } else {
          hyper.put(h, t.toDoubleArray());
        }
        continue;
      }
      String[] parts = key.split("\\.", 3);
      int index = parts.length == 3 && parts[0].equals("state") ? parseIndex(parts[1]) : -1;
      if (index < 0 || index >= states.length) {
        unexpected.add(key);
        continue;
      }
      String field = parts[2];
      int buffer = names.indexOf(field);
      if (!field.equals("step") && buffer < 0) {
        unexpected.add(key);
        continue;
      }
      if (loaded[index] == null) {
        loaded[index] = new ParamState(names.size());
      }
      if (field.equals("step")) {
        if (t.numel() != 1) {
          problems.add(key + " must hold one value, but has shape " + Arrays.toString(Internals.shapeRef(t)));
        } else {
          loaded[index].step = Math.round(t.item());
        }
      } else if (t.numel() != params.get(index).numel()) {
        problems.add(key + " has shape " + Arrays.toString(Internals.shapeRef(t)) + ", but parameter " + index
            + " has shape " + Arrays.toString(params.get(index).shape()));
      } else {
        loaded[index].set(buffer, t.toDoubleArray());
      }
    }
    for (int i = 0; i < loaded.length; i++) {
      if (loaded[i] != null && !stateDict.containsKey("state." + i + ".step")) {
        problems.add("missing state." + i + ".step (parameter " + i + " has buffers but no step count)");
      }
    }
    for (String h : expectedHyper.keySet()) {
      if (!hyper.containsKey(h)) {
        problems.add("missing " + GROUP + h);
      }
    }
    for (String key : unexpected) {
      problems.add("unexpected key " + key);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          name() + ".loadStateDict: the state dict does not match this optimizer (" + params.size()
              + " parameters, buffers " + names + "):\n  " + String.join("\n  ", problems));
    }
    for (Map.Entry<String, double[]> h : hyper.entrySet()) {
      if (h.getKey().equals("lr")) {
        setLr(h.getValue()[0]);
      } else {
        setHyperparameter(h.getKey(), h.getValue());
      }
    }
    System.arraycopy(loaded, 0, states, 0, states.length);
  }

  private Map<String, double[]> allHyperparameters() {
    Map<String, double[]> all = new LinkedHashMap<>();
    all.put("lr", new double[] {lr});
    hyperparameters(all);
    return all;
  }

  private static int parseIndex(String s) {
    if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Integer.parseInt(s);
  }

  // ---------------------------------------------------------------- helpers for subclasses

  /** Fails unless {@code v >= 0} (and not NaN), naming the setting as PyTorch does. */
  protected void requireNonNegative(String what, double v) {
    if (!(v >= 0)) {
      throw new IllegalArgumentException(name() + ": invalid " + what + " value: " + v + " (must be >= 0)");
    }
  }

  /** Fails unless {@code 0 <= v < 1}. */
  protected void requireUnitInterval(String what, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(name() + ": invalid " + what + ": " + v + " (must be in [0, 1))");
    }
  }

  protected static double flag(boolean b) {
    return b ? 1 : 0;
  }
}
