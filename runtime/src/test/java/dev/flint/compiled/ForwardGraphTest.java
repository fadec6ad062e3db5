package dev.flint.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardGraphTest {
  private static ForwardGraph mlp() {
    ForwardGraph.Builder g = ForwardGraph.builder("CompiledMlp").input("x", ForwardGraph.Elem.FLOAT, "B", "10")
        .size("B", "x", 0).parameter("fc.weight", "5", "10").buffer("bn.running_mean", "5");
    g.node("PERMUTE", "t1", ForwardGraph.Elem.FLOAT, "10", "5").in("fc.weight").attr("perm", new int[] {1, 0})
        .at("Mlp.java:13", "fc.forward(x)");
    g.node("MATMUL", "h", ForwardGraph.Elem.FLOAT, "B", "5").in("x", "t1").layer("fc: Linear 10→5")
        .at("Mlp.java:13", "fc.forward(x)");
    g.node("RESHAPE", "out", ForwardGraph.Elem.FLOAT, "B*5").in("h").attr("shape", new String[] {"B*5"});
    return g.output("out");
  }

  @Test
  void recordsTheGraphInOrder() {
    ForwardGraph g = mlp();
    assertEquals("CompiledMlp", g.model());
    assertEquals(List.of(new ForwardGraph.Value("x", ForwardGraph.Elem.FLOAT, List.of("B", "10"))), g.inputs());
    assertEquals(List.of(new ForwardGraph.Size("B", "x", 0)), g.sizes());
    assertEquals(List.of("fc.weight", "bn.running_mean"), g.states().stream().map(ForwardGraph.State::key).toList());
    assertEquals(List.of(false, true), g.states().stream().map(ForwardGraph.State::buffer).toList());
    assertEquals(List.of("t1", "h", "out"), g.nodes().stream().map(n -> n.output().name()).toList());
    ForwardGraph.Node matmul = g.nodes().get(1);
    assertEquals(List.of("x", "t1"), matmul.inputs());
    assertEquals("Mlp.java:13 `fc.forward(x)`", matmul.source());
    assertEquals("fc: Linear 10→5", matmul.layer());
    assertEquals(List.of("B*5"), g.outputValue().dims());
    assertEquals("CompiledMlp forward graph\n"
        + "  input x: FLOAT[B, 10]\n"
        + "  parameter fc.weight[5, 10]\n"
        + "  buffer bn.running_mean[5]\n"
        + "  t1: FLOAT[10, 5] = PERMUTE[fc.weight] perm=[1, 0]\n"
        + "  h: FLOAT[B, 5] = MATMUL[x, t1]\n"
        + "  out: FLOAT[B*5] = RESHAPE[h] shape=[B*5]\n"
        + "  return out\n", g.toString());
  }

  @Test
  void attributesAreCopiesAndTheOutputMustBeDefined() {
    ForwardGraph g = mlp();
    int[] perm = (int[]) g.nodes().get(0).attr("perm");
    perm[0] = 7;
    assertArrayEquals(new int[] {1, 0}, (int[]) g.nodes().get(0).attr("perm"));
    ForwardGraph broken = ForwardGraph.builder("CompiledX").input("x", ForwardGraph.Elem.FLOAT, "B").output("y");
    IllegalStateException e = assertThrows(IllegalStateException.class, broken::outputValue);
    assertEquals("CompiledX: the output y is not defined in its graph", e.getMessage());
  }
}
