package dev.flint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.Generator;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {
  /** A dataset whose sample i is the integer i. */
  static Dataset<Integer> range(int n) {
    return new Dataset<>() {
      @Override
      public Integer get(int index) {
        return index;
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  @Test
  void randomSplitBySizesIsADisjointCover() {
    List<Subset<Integer>> parts = Datasets.randomSplit(range(100), new int[] {70, 20, 10}, new Generator(1));
    assertEquals(List.of(70, 20, 10), parts.stream().map(Subset::size).toList());
    BitSet seen = new BitSet();
    for (Subset<Integer> p : parts) {
      for (int i = 0; i < p.size(); i++) {
        int v = p.get(i);
        assertFalse(seen.get(v), "sample " + v + " is in two subsets");
        seen.set(v);
        assertEquals(p.indices()[i], v);
      }
    }
    assertEquals(100, seen.cardinality());
    assertFalse(Arrays.equals(parts.get(0).indices(), java.util.stream.IntStream.range(0, 70).toArray()), "shuffled");
  }

  @Test
  void randomSplitByFractionsFollowsPyTorchsRounding() {
    // floor(442 * 0.8) = 353, floor(442 * 0.1) = 44 twice: 441, so the one left over goes to the first
    List<Subset<Integer>> parts = Datasets.randomSplit(range(442), new double[] {0.8, 0.1, 0.1}, new Generator(0));
    assertEquals(List.of(354, 44, 44), parts.stream().map(Subset::size).toList());
    // 10 into thirds: 3, 3, 3 and one left over for the first
    assertEquals(List.of(4, 3, 3),
        Datasets.randomSplit(range(10), new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, new Generator(0)).stream().map(Subset::size).toList());
  }

  @Test
  void sameGeneratorSeedGivesTheSameSplit() {
    List<Subset<Integer>> a = Datasets.randomSplit(range(50), new int[] {25, 25}, new Generator(7));
    List<Subset<Integer>> b = Datasets.randomSplit(range(50), new int[] {25, 25}, new Generator(7));
    List<Subset<Integer>> c = Datasets.randomSplit(range(50), new int[] {25, 25}, new Generator(8));
    assertArrayEquals(a.get(0).indices(), b.get(0).indices());
    assertFalse(Arrays.equals(a.get(0).indices(), c.get(0).indices()));
  }

  @Test
  void badSplitsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Datasets.randomSplit(range(10), new int[] {5, 4}, new Generator(0)));
    assertEquals("randomSplit: the lengths [5, 4] add up to 9, but the dataset has 10 samples", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new double[] {0.5, 0.6}, new Generator(0)));
    assertTrue(e.getMessage().contains("fractions must add up to 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new double[] {1.5, -0.5}, new Generator(0)));
    assertTrue(e.getMessage().contains("fractions must be in [0, 1]"), e.getMessage());
  }

  @Test
  void permutationIsAPermutationAndUsesTheGenerator() {
    int[] p = Datasets.permutation(1000, new Generator(3));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    assertArrayEquals(java.util.stream.IntStream.range(0, 1000).toArray(), sorted);
    assertArrayEquals(p, Datasets.permutation(1000, new Generator(3)));
    // roughly uniform: each of 4 elements lands in position 0 about a quarter of the time
    Generator g = new Generator(11);
    int[] firsts = new int[4];
    for (int t = 0; t < 40000; t++) {
      firsts[Datasets.permutation(4, g)[0]]++;
    }
    for (int count : firsts) {
      assertEquals(10000, count, 400);
    }
  }

  @Test
  void subsetChecksIndices() {
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(range(3), new int[] {0, 3}));
    assertEquals("Subset: index 3 at position 1 is out of range for a dataset of 3 samples", e.getMessage());
  }
}
