package dev.flint.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.nn.BatchNorm1d;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Dropout;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * ModelCheck against hand-written "compiled" twins: a right one passes; a wrong forward, a wrong
 * parameter gradient, a missing input gradient and a gradient wrong in both twins alike each fail
 * with a message naming what differs. (Processor tests run it on generated models.)
 */
class ModelCheckTest {

  /** The user's model: Linear → BatchNorm1d → ReLU → Dropout → Linear. */
  static class Net extends Module {
    final Linear fc1;
    final BatchNorm1d norm;
    final Dropout drop = new Dropout(0.3);
    final Linear fc2;

    Net(int hidden) {
      fc1 = new Linear(5, hidden);
      norm = new BatchNorm1d(hidden);
      fc2 = new Linear(hidden, 3);
    }

    @Override
    public Tensor forward(Tensor x) {
      return fc2.forward(drop.forward(F.relu(norm.forward(fc1.forward(x)))));
    }
  }

  /** A stand-in for a generated class: the twins built as the processor writes them, forward replaceable. */
  static class FakeCompiledNet extends Net implements CompiledModel {
    private final int hidden;
    private final BiFunction<Net, Tensor, Tensor> wrong;

    FakeCompiledNet(int hidden, BiFunction<Net, Tensor, Tensor> wrong) {
      super(hidden);
      this.hidden = hidden;
      this.wrong = wrong;
    }

    @Override
    public Tensor forward(Tensor x) {
      return wrong.apply(this, super.forward(x));
    }

    @Override
    public Module newEagerTwin() {
      return new Net(hidden);
    }

    @Override
    public Module newCompiledTwin() {
      return new FakeCompiledNet(hidden, wrong);
    }
  }

  private static Tensor input() {
    return Tensor.randn(new Generator(3), 6, 5);
  }

  @Test
  void aRightModelPassesInBothModesAndIsLeftUnchanged() {
    FakeCompiledNet model = new FakeCompiledNet(4, (m, y) -> y);
    Tensor before = model.fc1.weight.copyData();
    ModelCheck.verify(model, input(), Tensor.randn(new Generator(4), 2, 5));
    assertEquals(DType.FLOAT32, model.fc1.weight.dtype(), "the model keeps its dtype");
    assertArrayEquals(before.toDoubleArray(), model.fc1.weight.toDoubleArray(), "the model keeps its weights");
    assertTrue(model.isTraining());
  }

  @Test
  void aWrongForwardFailsNamingTheOutputElement() {
    FakeCompiledNet model = new FakeCompiledNet(4, (m, y) -> y.add(Tensor.of(new double[] {0, 1e-3, 0}, 3).to(y.dtype())));
    AssertionError e = assertThrows(AssertionError.class, () -> ModelCheck.verify(model, input()));
    assertTrue(e.getMessage().startsWith("FakeCompiledNet (training, input 0 [6, 5]): output differs at [0, 1]: compiled "),
        e.getMessage());
    assertTrue(e.getMessage().contains("(difference 0.00100, allowed 1e-09 relative)"), e.getMessage());
  }

  @Test
  void aWrongParameterGradientFailsNamingTheParameter() {
    // Adds 0 to the output but 0.5 to every element of fc2.weight's gradient per unit of the cotangent sum.
    FakeCompiledNet model = new FakeCompiledNet(4, (m, y) -> {
      Tensor h = m.fc2.weight.sum();
      return y.add(h.sub(h.detach()).mul(0.5));
    });
    AssertionError e = assertThrows(AssertionError.class, () -> ModelCheck.verify(model, input()));
    assertTrue(e.getMessage().startsWith("FakeCompiledNet (training, input 0 [6, 5]): gradient of parameter fc2.weight"
        + " differs at [0, 0]"), e.getMessage());
  }

  /** A "compiled" twin that cuts the input off the graph: right outputs, no input gradient. */
  static class DetachingCompiledNet extends Net implements CompiledModel {
    DetachingCompiledNet() {
      super(4);
    }

    @Override
    public Tensor forward(Tensor x) {
      return super.forward(x.detach());
    }

    @Override
    public Module newEagerTwin() {
      return new Net(4);
    }

    @Override
    public Module newCompiledTwin() {
      return new DetachingCompiledNet();
    }
  }

  @Test
  void aMissingInputGradientFails() {
    AssertionError e = assertThrows(AssertionError.class, () -> ModelCheck.verify(new DetachingCompiledNet(), input()));
    assertTrue(e.getMessage().contains(": gradient of the input differs at [0, 0]: compiled 0.000000000, eager "),
        e.getMessage());
  }

  /** The user's model itself has a wrong gradient: the twins agree, finite differences do not. */
  static class WrongEverywhere extends Module implements CompiledModel {
    final Linear fc = new Linear(5, 2);

    @Override
    public Tensor forward(Tensor x) {
      Tensor y = fc.forward(x);
      return y.detach().add(y.mul(2)).sub(y.mul(2).detach());   // value y, gradient 2x
    }

    @Override
    public Module newEagerTwin() {
      return new WrongEverywhere();
    }

    @Override
    public Module newCompiledTwin() {
      return new WrongEverywhere();
    }
  }

  @Test
  void aGradientWrongInBothTwinsFailsAgainstFiniteDifferences() {
    AssertionError e = assertThrows(AssertionError.class, () -> ModelCheck.verify(new WrongEverywhere(), input()));
    assertTrue(e.getMessage().startsWith("WrongEverywhere (training, input 0 [6, 5]): gradient of parameter fc.weight"
        + " along a random direction differs from central finite differences: compiled "), e.getMessage());
  }

  @Test
  void aModelThatIsNotCompiledIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCheck.verify(new Net(3), input()));
    assertTrue(e.getMessage().contains("expects a compiled model (new CompiledNet() for an @Model class)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelCheck.verify(new FakeCompiledNet(3, (m, y) -> y)));
  }
}
