package dev.flint.nn;

import dev.flint.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain of modules applied in order ({@code torch.nn.Sequential}): {@code forward(x)} is
 * {@code m_n(...m_1(m_0(x)))}. The children are named {@code "0", "1", ...}, so their parameters are
 * {@code 0.weight}, {@code 2.bias}, ... as in PyTorch.
 */
public class Sequential extends Module {
  private final List<Module> layers;

  /** A chain of {@code modules}, applied first to last. */
  public Sequential(Module... modules) {
    for (int i = 0; i < modules.length; i++) {
      if (modules[i] == null) {
        throw new IllegalArgumentException("Sequential: module " + i + " is null");
      }
    }
    this.layers = List.of(modules);
  }

  /** The children by index name ({@code "0", "1", ...}), then any {@code @Layer} fields of a subclass. */
  @Override
  protected Map<String, Module> declaredLayers() {
    Map<String, Module> out = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      out.put(Integer.toString(i), layers.get(i));
    }
    out.putAll(super.declaredLayers());
    return out;
  }

  /** Applies each module in turn to the previous one's output. */
  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module m : layers) {
      x = m.forward(x);
    }
    return x;
  }

  /** The module at {@code index} (negative counts from the end). */
  public Module get(int index) {
    int i = index < 0 ? index + layers.size() : index;
    if (i < 0 || i >= layers.size()) {
      throw new IndexOutOfBoundsException(
          "Sequential: index " + index + " is out of range for " + layers.size() + " modules");
    }
    return layers.get(i);
  }

  /** The number of modules in the chain. */
  public int size() {
    return layers.size();
  }
}
