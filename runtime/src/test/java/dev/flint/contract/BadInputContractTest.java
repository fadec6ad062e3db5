package dev.flint.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.DataLoader;
import dev.flint.data.TensorDataset;
import dev.flint.io.SafeTensors;
import dev.flint.nn.BCELoss;
import dev.flint.nn.BCEWithLogitsLoss;
import dev.flint.nn.Conv2d;
import dev.flint.nn.Linear;
import dev.flint.nn.MaxPool2d;
import dev.flint.tensor.DType;
import dev.flint.tensor.Device;
import dev.flint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors of docs/design.md's "Bad input gets a clear error" that no owning test
 * class asserted the message of: each message must name where (the op or layer), what was expected
 * and what was found. The rest of those lists is asserted in TensorErrorsTest, EngineTest,
 * AnomalyModeTest, LinearTest, CrossEntropyLossTest, ModuleTest, SafeTensorsTest and the
 * processor's DiagnosticsTest.
 */
class BadInputContractTest {

  /** Runs {@code call}, expects {@code type}, and checks that the message holds every one of {@code parts}. */
  private static <T extends Throwable> T assertMessage(Class<T> type, Executable call, String... parts) {
    T e = assertThrows(type, call);
    String msg = e.getMessage();
    for (String part : parts) {
      assertTrue(msg != null && msg.contains(part), "expected \"" + part + "\" in: " + msg);
    }
    return e;
  }

  @Test
  void stackOfUnequalShapesNamesTheOpBothShapesAndTheirEntries() {
    assertMessage(RuntimeException.class, () -> Tensor.stack(0, Tensor.ones(2), Tensor.ones(3)),
        "stack", "equal size", "[2] at entry 0", "[3] at entry 1");
  }

  @Test
  void outOfRangeDimsNameTheOpTheValidRangeAndTheDim() {
    Tensor m = Tensor.ones(2, 3);
    String range = "expected to be in range of [-2, 1]";
    assertMessage(IndexOutOfBoundsException.class, () -> m.transpose(0, -3), "transpose:", range, "but got -3");
    assertMessage(IndexOutOfBoundsException.class, () -> m.squeeze(2), "squeeze:", range, "but got 2");
    assertMessage(IndexOutOfBoundsException.class, () -> m.argmax(-3), "argmax:", range, "but got -3");
    assertMessage(IndexOutOfBoundsException.class, () -> m.max(2), "max:", range, "but got 2");
    assertMessage(IndexOutOfBoundsException.class, () -> m.flatten(2), "flatten:", range, "but got 2");
    assertMessage(IndexOutOfBoundsException.class, () -> m.mean(5), "mean:", range, "but got 5");
    // unsqueeze inserts a dim, so a 2-d tensor accepts [-3, 2]
    assertMessage(IndexOutOfBoundsException.class, () -> m.unsqueeze(3), "unsqueeze:",
        "expected to be in range of [-3, 2]", "but got 3");
  }

  @Test
  void permuteWithTheWrongRankNamesThePermutationAndTheShape() {
    assertMessage(RuntimeException.class, () -> Tensor.ones(2, 3).permute(0), "permute", "[0]", "[2, 3]");
  }

  @Test
  void dataThatDoesNotFillTheShapeSaysHowManyElementsEachHas() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2),
        "shape [2, 2]", "4 elements", "has 3");
    assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "negative dimension -1", "[2, -1]");
  }

  @Test
  void raggedTwoDimensionalArraysNameTheRowsThatDiffer() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}),
        "equal lengths", "row 0 has 2", "row 1 has 1");
    assertMessage(IllegalArgumentException.class, () -> Tensor.of(new double[][] {{1}, {2}, {3, 4}}),
        "equal lengths", "row 0 has 1", "row 2 has 2");
  }

  @Test
  void itemOfManyElementsSaysItNeedsOne() {
    assertMessage(IllegalStateException.class, () -> Tensor.ones(2, 2).item(), "item()", "one element", "[2, 2]");
  }

  @Test
  void matmulOfAZeroDimensionalTensorNamesBothOperands() {
    assertMessage(IllegalArgumentException.class, () -> Tensor.scalar(1.0).matmul(Tensor.ones(2)),
        "matmul", "f32[] @ f32[2]", "at least 1 dimension");
  }

  @Test
  void aLayerGivenTheWrongDtypeSaysHowToConvert() {
    assertMessage(IllegalArgumentException.class, () -> new Linear(2, 3).forward(Tensor.ones(DType.FLOAT64, 1, 2)),
        "same dtype", "f64 and f32", ".to(DType.");
    assertMessage(IllegalArgumentException.class,
        () -> new Conv2d(1, 1, 3, 1, 1).forward(Tensor.ones(DType.FLOAT64, 1, 1, 3, 3)),
        "conv2d", "FLOAT64 and FLOAT32", "to(DType.FLOAT32)");
  }

  @Test
  void poolingInputOfTheWrongRankNamesTheExpectedLayout() {
    assertMessage(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensor.ones(3)),
        "max_pool2d", "[N, C, H, W] or [C, H, W]", "[3]");
  }

  @Test
  void bceLossesWithMismatchedShapesNameBothShapes() {
    assertMessage(IllegalArgumentException.class, () -> new BCELoss().forward(Tensor.full(0.5, 1), Tensor.ones(2)),
        "BCELoss", "input shape [1]", "target shape [2]");
    assertMessage(IllegalArgumentException.class,
        () -> new BCEWithLogitsLoss().forward(Tensor.zeros(1), Tensor.ones(2)),
        "BCEWithLogitsLoss", "input shape [1]", "target shape [2]");
  }

  @Test
  void aBatchSizeBelowOneIsRefused() {
    assertMessage(IllegalArgumentException.class, () -> new DataLoader(new TensorDataset(Tensor.ones(3, 2)), 0),
        "batchSize", "at least 1", "got 0");
  }

  @Test
  void aNegativeCudaIndexIsRefused() {
    assertMessage(IllegalArgumentException.class, () -> Device.cuda(-1), "cuda device index", ">= 0", "-1");
  }

  @Test
  void aMissingSafetensorsFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("absent.safetensors");
    assertMessage(RuntimeException.class, () -> SafeTensors.load(missing), missing.toString());
  }

  @Test
  void loadingACorruptFileIntoAModuleNamesTheFileAndChangesNothing(@TempDir Path dir) throws Exception {
    Linear fc = new Linear(2, 2);
    float[] before = fc.weight.toFloatArray();
    Path good = dir.resolve("fc.safetensors");
    fc.save(good);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
    assertMessage(RuntimeException.class, () -> fc.load(truncated), truncated.toString(), "truncated");
    assertArrayEquals(before, fc.weight.toFloatArray(), "a refused load leaves the parameters as they were");
  }
}
