package dev.flint.nn;

import dev.flint.tensor.Tensor;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of child modules ({@code torch.nn.ModuleList}): registered as children named {@code "0", "1", ...},
 * so the state-dict keys of a field {@code blocks} are {@code blocks.0.ln1.weight}, ... as in PyTorch.
 * It has no forward of its own; a model iterates over it:
 * {@code for (Block b : blocks) x = b.forward(x);}.
 *
 * @param <M> the type of the modules
 */
public class ModuleList<M extends Module> extends Module implements Iterable<M> {
  private final List<M> modules;

  /** A list of {@code modules}, in order. */
  @SafeVarargs
  public static <M extends Module> ModuleList<M> of(M... modules) {
    return new ModuleList<>(List.of(checked(modules)));
  }

  /** A list of {@code modules}, in order. */
  public static <M extends Module> ModuleList<M> of(List<? extends M> modules) {
    return new ModuleList<>(List.copyOf(modules));
  }

  private ModuleList(List<M> modules) {
    this.modules = modules;
  }

  private static <M> M[] checked(M[] modules) {
    for (int i = 0; i < modules.length; i++) {
      if (modules[i] == null) {
        throw new IllegalArgumentException("ModuleList: module " + i + " is null");
      }
    }
    return modules;
  }

  /** The children by index name ({@code "0", "1", ...}). */
  @Override
  protected Map<String, Module> declaredLayers() {
    Map<String, Module> out = new LinkedHashMap<>();
    for (int i = 0; i < modules.size(); i++) {
      out.put(Integer.toString(i), modules.get(i));
    }
    out.putAll(super.declaredLayers());
    return out;
  }

  /** The module at {@code index} (negative counts from the end, as Python's {@code blocks[-1]}). */
  public M get(int index) {
    int i = index < 0 ? index + modules.size() : index;
    if (i < 0 || i >= modules.size()) {
      throw new IndexOutOfBoundsException("ModuleList: index " + index + " is out of range for " + modules.size()
          + " modules");
    }
    return modules.get(i);
  }

  /** The number of modules. */
  public int size() {
    return modules.size();
  }

  @Override
  public Iterator<M> iterator() {
    return modules.iterator();
  }

  /** Refused, as in PyTorch: a ModuleList holds modules, the model decides how to apply them. */
  @Override
  public Tensor forward(Tensor input) {
    throw new UnsupportedOperationException("ModuleList has no forward(): iterate over it in the model's forward, "
        + "for example: for (Block b : blocks) { x = b.forward(x); }");
  }
}
