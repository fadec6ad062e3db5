package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleListTest {
  static final class Block extends Module {
    final LayerNorm ln1 = new LayerNorm(new int[] {4});
    final Linear fc = new Linear(4, 4);

    @Override
    public Tensor forward(Tensor x) {
      return x.add(fc.forward(ln1.forward(x)));
    }
  }

  static final class Net extends Module {
    final ModuleList<Block> blocks = ModuleList.of(new Block(), new Block(), new Block());

    @Override
    public Tensor forward(Tensor x) {
      for (Block b : blocks) {
        x = b.forward(x);
      }
      return x;
    }
  }

  @Test
  void childrenAreNamedByIndexSoStateDictKeysAreTorchs() {
    Net net = new Net();
    List<String> keys = new ArrayList<>(net.stateDict().keySet());
    assertEquals(List.of("blocks.0.ln1.weight", "blocks.0.ln1.bias", "blocks.0.fc.weight", "blocks.0.fc.bias",
        "blocks.1.ln1.weight", "blocks.1.ln1.bias", "blocks.1.fc.weight", "blocks.1.fc.bias",
        "blocks.2.ln1.weight", "blocks.2.ln1.bias", "blocks.2.fc.weight", "blocks.2.fc.bias"), keys);
    assertEquals(List.of("0", "1", "2"), new ArrayList<>(net.blocks.namedChildren().keySet()));
    assertEquals(3 * (4 + 4 + 16 + 4), net.numParameters());
  }

  @Test
  void getSizeAndIterationFollowTheListAndEveryBlockTrains() {
    Net net = new Net();
    assertEquals(3, net.blocks.size());
    assertSame(net.blocks.get(2), net.blocks.get(-1));
    List<Block> seen = new ArrayList<>();
    net.blocks.forEach(seen::add);
    assertEquals(List.of(net.blocks.get(0), net.blocks.get(1), net.blocks.get(2)), seen);
    Tensor x = Tensor.randn(2, 4);
    Tensor expected = x;
    for (int i = 0; i < 3; i++) {
      expected = net.blocks.get(i).forward(expected);
    }
    assertArrayEquals(expected.toFloatArray(), net.forward(x).toFloatArray());
    net.forward(x).sum().backward();
    for (Block b : net.blocks) {
      assertTrue(b.fc.weight.grad() != null && b.ln1.weight.grad() != null);
    }
    net.eval();
    assertTrue(!net.blocks.get(1).isTraining());
  }

  @Test
  void misuseIsAClearError() {
    ModuleList<Linear> list = ModuleList.of(new Linear(2, 2));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(1));
    assertTrue(e.getMessage().contains("index 1") && e.getMessage().contains("1 modules"), e.getMessage());
    UnsupportedOperationException f = assertThrows(UnsupportedOperationException.class,
        () -> list.forward(Tensor.zeros(2)));
    assertTrue(f.getMessage().contains("iterate"), f.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModuleList.of(new Linear(1, 1), null));
    assertEquals(2, ModuleList.of(List.of(new Linear(1, 1), new Linear(1, 1))).size());
  }
}
