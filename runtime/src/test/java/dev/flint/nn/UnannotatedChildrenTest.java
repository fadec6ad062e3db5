package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.dsl.Layer;
import dev.flint.optim.SGD;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every non-static Module field is a child, with or without {@code @Layer}, private included, as every
 * module attribute is in PyTorch: the fields a beginner writes as {@code Linear fc2 = ...} are trained
 * and saved (they used to be silently left out).
 */
class UnannotatedChildrenTest {
  static class Base extends Module {
    @Layer Linear fc1 = new Linear(3, 4);
    private final Linear hidden = new Linear(4, 4);

    Linear hidden() {
      return hidden;
    }

    @Override
    public Tensor forward(Tensor x) {
      return hidden.forward(fc1.forward(x).relu());
    }
  }

  /** PyTorch habits: no annotations, a private field, a Module-typed field, a dropout, a constant. */
  static class Net extends Base {
    Linear fc2 = new Linear(4, 2);
    private final Module act = new Tanh();
    private final Dropout drop = new Dropout(0.5);
    Linear unset = null;
    static final Linear SHARED_CONSTANT = new Linear(1, 1);
    final Tensor notAModule = Tensor.zeros(1);

    @Override
    public Tensor forward(Tensor x) {
      return fc2.forward(drop.forward(act.forward(super.forward(x))));
    }
  }

  @Test
  void everyModuleFieldIsAChildInDeclarationOrderSuperclassFirst() {
    Net net = new Net();
    assertEquals(List.of("fc1", "hidden", "fc2", "act", "drop"), List.copyOf(net.namedChildren().keySet()));
    assertEquals(List.of("fc1.weight", "fc1.bias", "hidden.weight", "hidden.bias", "fc2.weight", "fc2.bias"),
        List.copyOf(net.namedParameters().keySet()));
    assertSame(net.fc2.weight, net.namedParameters().get("fc2.weight"));
    assertSame(net.hidden().weight, net.parameters().get(2));
    assertEquals(List.copyOf(net.namedParameters().keySet()), List.copyOf(net.stateDict().keySet()));
  }

  @Test
  void theOptimizerTrainsTheUnannotatedAndPrivateLayers() {
    Net net = new Net();
    Tensor fc2Before = net.fc2.weight.copyData();
    Tensor hiddenBefore = net.hidden().weight.copyData();
    SGD sgd = new SGD(net.parameters(), 0.1);
    net.eval();   // dropout off, so the step is deterministic
    net.forward(Tensor.randn(5, 3)).pow(2).sum().backward();
    sgd.step();
    assertFalse(net.fc2.weight.allclose(fc2Before, 0, 0), "fc2 (no @Layer) was updated");
    assertFalse(net.hidden().weight.allclose(hiddenBefore, 0, 0), "a private field was updated");
  }

  @Test
  void trainEvalAndDtypeReachUnannotatedChildren() {
    Net net = new Net();
    net.eval();
    assertFalse(net.drop.isTraining());
    net.train();
    assertTrue(net.drop.isTraining());
    net.to(DType.FLOAT64);
    assertEquals(DType.FLOAT64, net.fc2.weight.dtype());
    assertEquals(DType.FLOAT64, net.hidden().bias.dtype());
  }

  @Test
  void saveAndLoadRoundTripTheUnannotatedLayers(@TempDir Path dir) {
    Net a = new Net();
    Path file = dir.resolve("net.safetensors");
    a.save(file);
    Net b = new Net();
    b.load(file);
    assertTrue(b.fc2.weight.allclose(a.fc2.weight, 0, 0));
    assertTrue(b.hidden().weight.allclose(a.hidden().weight, 0, 0));
  }

  static class Outer extends Module {
    Linear head = new Linear(2, 2);
    Inner inner;

    /** A layer defined as an inner class: its hidden this$0 field points at the Outer module and is no child. */
    class Inner extends Module {
      Linear fc = new Linear(2, 2);

      @Override
      public Tensor forward(Tensor x) {
        return fc.forward(x);
      }
    }

    @Override
    public Tensor forward(Tensor x) {
      return head.forward(x);
    }
  }

  /** A child that keeps a reference to its parent: PyTorch would recurse forever; Flint skips the way back up. */
  static class Parent extends Module {
    final Linear fc = new Linear(2, 1);
    final Child child = new Child(this);

    @Override
    public Tensor forward(Tensor x) {
      return fc.forward(x);
    }
  }

  static class Child extends Module {
    final Module parent;
    final Linear own = new Linear(1, 1);

    Child(Module parent) {
      this.parent = parent;
    }

    @Override
    public Tensor forward(Tensor x) {
      return own.forward(x);
    }
  }

  @Test
  void syntheticOuterReferencesAndBackReferencesAreNotDescendedInto() {
    Outer outer = new Outer();
    outer.inner = outer.new Inner();
    assertEquals(List.of("head", "inner"), List.copyOf(outer.namedChildren().keySet()));
    assertEquals(List.of("fc"), List.copyOf(outer.inner.namedChildren().keySet()));

    Parent p = new Parent();
    Map<String, Tensor> state = p.stateDict();
    assertEquals(List.of("fc.weight", "fc.bias", "child.own.weight", "child.own.bias"), List.copyOf(state.keySet()));
    p.eval();
    assertFalse(p.child.isTraining());
  }

  @Test
  void printingAndApplyStopAtABackReference() {
    Parent p = new Parent();
    assertEquals("Parent(\n"
        + "  (fc): Linear(in_features=2, out_features=1, bias=True)\n"
        + "  (child): Child(\n"
        + "    (parent): Parent(...)\n"
        + "    (own): Linear(in_features=1, out_features=1, bias=True)\n"
        + "  )\n"
        + ")", p.toString());

    List<Module> visited = new java.util.ArrayList<>();
    p.apply(visited::add);   // children first, as PyTorch's apply; the way back up is not taken
    assertEquals(4, visited.size(), visited.toString());
    assertSame(p.fc, visited.get(0));
    assertSame(p.child.own, visited.get(1));
    assertSame(p.child, visited.get(2));
    assertSame(p, visited.get(3));
  }

  /** An Object field is a child when it holds a Module, as a Python attribute is; other values are not. */
  static class Loose extends Module {
    final Object head = new Linear(2, 3);
    Object later;
    final Object note = "not a module";

    @Override
    public Tensor forward(Tensor x) {
      return ((Linear) head).forward(x);
    }
  }

  @Test
  void anObjectFieldHoldingAModuleIsAChild() {
    Loose m = new Loose();
    assertEquals(List.of("head"), List.copyOf(m.namedChildren().keySet()));
    assertEquals(List.of("head.weight", "head.bias"), List.copyOf(m.stateDict().keySet()));
    m.later = new Linear(3, 1);   // the value at traversal decides, as a PyTorch attribute assignment
    assertEquals(List.of("head", "later"), List.copyOf(m.namedChildren().keySet()));
    assertEquals(2 * 3 + 3 + 3 * 1 + 1, m.numParameters());
  }
}
