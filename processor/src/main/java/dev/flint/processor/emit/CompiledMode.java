package dev.flint.processor.emit;

import dev.flint.ops.Attrs;
import dev.flint.processor.grad.Differentiate;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Effect;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Value;
import dev.flint.processor.opt.InPlace;
import dev.flint.processor.opt.SavedValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The plan of one compiled mode (training, evaluation, or both when they are the same): the forward
 * and backward graphs and every decision about them that the emitters act on, made once by
 * {@link #of} between analysis and emission. Emitters only read it.
 *
 * @param suffix names the mode in generated names: {@code Training}, {@code Eval}, or empty
 * @param forward the forward graph
 * @param backward its backward pass
 * @param saved the forward values the backward pass reads (Note [Saved values])
 * @param gradInputs the leaves the autograd node takes as inputs: those with a gradient, in leaf order
 * @param inPlace for each forward node computed in place (by output id), the value it overwrites
 * @param forwardFusions fused kernel calls of the forward pass
 * @param backwardFusions fused kernel calls of the backward pass
 * @param forwardBuffers the pooled forward buffer set (Note [Forward buffers])
 * @param backwardBuffers slots of the reused backward buffers (Note [Backward buffers])
 * @param neededForParams the backward values the parameters' gradients depend on; the rest serve only
 *     the input's gradient and run only when the input requires one
 * @param sizes each named size of the inputs ({@code B}, {@code T}) and the input and dim it is read from
 * @param forwardSizes the sizes the forward method's code uses (also those it passes to the node)
 * @param backwardSizes the sizes the backward node's code uses, which the forward passes to it
 */
public record CompiledMode(
    String suffix,
    Graph forward,
    Differentiate.Backward backward,
    List<Value> saved,
    List<Leaf> gradInputs,
    Map<Integer, Value> inPlace,
    Fusions forwardFusions,
    Fusions backwardFusions,
    ForwardBuffers forwardBuffers,
    Map<Value, Integer> backwardBuffers,
    Set<Value> neededForParams,
    Map<String, Axis> sizes,
    Set<String> forwardSizes,
    Set<String> backwardSizes) {

  public CompiledMode {
    saved = List.copyOf(saved);
    gradInputs = List.copyOf(gradInputs);
    inPlace = Collections.unmodifiableMap(new LinkedHashMap<>(inPlace));
    backwardBuffers = Collections.unmodifiableMap(new LinkedHashMap<>(backwardBuffers));
    neededForParams = Set.copyOf(neededForParams);
    sizes = Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
    forwardSizes = Collections.unmodifiableSet(sorted(forwardSizes));
    backwardSizes = Collections.unmodifiableSet(sorted(backwardSizes));
  }

  /** Plans the mode whose passes are {@code forward} and {@code backward}. */
  public static CompiledMode of(String suffix, Graph forward, Differentiate.Backward backward) {
    List<Value> saved = SavedValues.of(forward, backward.nodes(), new HashSet<>(backward.leafGrads().keySet()));
    List<Leaf> gradInputs = new ArrayList<>();
    for (Leaf l : forward.leaves()) {
      if (backward.leafGrads().containsKey(l.value())) {
        gradInputs.add(l);
      }
    }
    Map<Integer, Value> inPlace = InPlace.plan(forward, saved);
    Fusions forwardFusions = Fusions.forward(forward, saved);
    Fusions backwardFusions = Fusions.backward(backward);
    ForwardBuffers forwardBuffers = ForwardBuffers.plan(forward, backward, inPlace, forwardFusions, backwardFusions);
    Map<Value, Integer> backwardBuffers = BackwardBuffers.plan(backward, backwardFusions);
    Set<Value> neededForParams = new HashSet<>();
    backward.leafGrads().forEach((leaf, g) -> {
      if (g != null && forward.leafOf(leaf).role() == Leaf.Role.PARAM) {
        neededForParams.add(g);
      }
    });
    for (int i = backward.nodes().size() - 1; i >= 0; i--) {
      Node n = backward.nodes().get(i);
      if (neededForParams.contains(n.out())) {
        neededForParams.addAll(n.inputs());
      }
    }

    Map<String, Axis> sizes = new LinkedHashMap<>();
    forward.leaves().stream().filter(l -> l.role() == Leaf.Role.INPUT).forEach(l -> {
      List<Dim> dims = l.value().type().dims();
      for (int i = 0; i < dims.size(); i++) {
        if (!dims.get(i).isConstant()) {
          sizes.putIfAbsent(dims.get(i).symbols().iterator().next(), new Axis(l.access(), i));
        }
      }
    });
    Set<String> backwardSizes = new HashSet<>();
    if (!gradInputs.isEmpty()) {
      backward.nodes().forEach(n -> backwardSizes.addAll(sizesOf(n.attrs())));
      backwardBuffers.keySet().forEach(v -> backwardSizes.addAll(v.type().symbols()));
      forwardBuffers.grads().keySet().forEach(v -> backwardSizes.addAll(v.type().symbols()));
    }
    Set<String> forwardSizes = new HashSet<>(backwardSizes);
    forward.nodes().forEach(n -> forwardSizes.addAll(sizesOf(n.attrs())));
    forwardBuffers.forward().keySet().forEach(v -> forwardSizes.addAll(v.type().symbols()));
    for (Effect e : forward.effects()) {
      sizes.keySet().stream().filter(s -> Pattern.compile("\\b" + s + "\\b").matcher(e.format()).find())
          .forEach(forwardSizes::add);
    }
    return new CompiledMode(suffix, forward, backward, saved, gradInputs, inPlace, forwardFusions, backwardFusions,
        forwardBuffers, backwardBuffers, neededForParams, sizes, forwardSizes, backwardSizes);
  }

  /** Where a named size is read: dim {@code axis} of the forward parameter {@code input}. */
  public record Axis(String input, int axis) {}

  private static Set<String> sorted(Set<String> sizes) {
    Set<String> out = new TreeSet<>(Dim::compareSymbols);
    out.addAll(sizes);
    return out;
  }

  /** The same plan under another name (training and evaluation compile alike). */
  public CompiledMode withSuffix(String newSuffix) {
    return new CompiledMode(newSuffix, forward, backward, saved, gradInputs, inPlace, forwardFusions, backwardFusions,
        forwardBuffers, backwardBuffers, neededForParams, sizes, forwardSizes, backwardSizes);
  }

  /** The named sizes that an op's attributes mention: sizes ({@code int}, {@code int[]}) and 1/size scalars. */
  static Set<String> sizesOf(Attrs attrs) {
    Set<String> out = new HashSet<>();
    for (String key : attrs.keys()) {
      Object a = attrs.get(key);
      if (a instanceof Integer code) {
        out.addAll(Dim.of(code).symbols());
      } else if (a instanceof int[] codes) {
        for (int code : codes) {
          out.addAll(Dim.of(code).symbols());
        }
      } else if (a instanceof Double x && Dim.reciprocalOf(x) != null) {
        out.addAll(Dim.reciprocalOf(x).symbols());
      }
    }
    return out;
  }
}
