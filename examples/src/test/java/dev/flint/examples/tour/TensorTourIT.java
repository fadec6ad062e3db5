package dev.flint.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTourIT {
  private static String tour(long seed) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TensorTour.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), seed);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsWhatTheTutorialPrints() {
    String out = tour(0);
    assertTrue(out.contains("From data:\ntensor([[1., 2.],\n        [3., 4.]])"), out);
    assertTrue(out.contains("Shape of tensor: [3, 4]\nDatatype of tensor: FLOAT32\nDevice tensor is stored on: cpu"), out);
    // tensor[:, 1] = 0 writes through the view into the 4x4 ones.
    assertTrue(out.contains("tensor([[1., 0., 1., 1.],\n        [1., 0., 1., 1.],"), out);
    assertTrue(out.contains("cat along dim 1: [4, 12]; stack along a new dim 0: [2, 4, 4]"), out);
    // Each row has three ones: row · row = 3; the sum of the matrix is 12.
    assertTrue(out.contains("tensor([[3., 3., 3., 3.],"), out);
    assertTrue(out.contains("\n12.0 FLOAT32\n"), out);
    assertTrue(out.contains("tensor.add(5):\ntensor([[6., 5., 6., 6.],"), out);
    assertTrue(out.contains("x.transpose(0, 1), a view with swapped strides [1, 3]:\ntensor([[0, 3],\n        [1, 4],\n        [2, 5]])"), out);
    assertTrue(out.contains("x.unsqueeze(0).shape: [1, 2, 3]; x.unsqueeze(-1).shape: [2, 3, 1]"), out);
    assertTrue(out.contains("Device tensor is stored on: cpu"), out);
  }

  @Test
  void autogradMatchesTheHandDerivedGradientAndNoGradStopsTracking() {
    String out = tour(0);
    assertTrue(out.contains("gradients match the hand-derived (sigmoid(z) - y) / 3: true"), out);
    List<String> last = out.lines().skip(out.lines().count() - 3).toList();
    assertEquals(List.of("true", "false", "false"), last); // z tracks; under noGrad it does not; detach() does not
  }

  @Test
  void sameSeedSameTour() {
    assertEquals(tour(3), tour(3));
  }
}
