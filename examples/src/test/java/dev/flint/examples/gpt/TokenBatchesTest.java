package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.Batch;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBatchesTest {
  private static final int[] TOKENS = new int[100];

  static {
    for (int i = 0; i < TOKENS.length; i++) {
      TOKENS[i] = i;   // token = position, so a window shows where it starts
    }
  }

  @Test
  void randomWindowsAreInt64AndTheTargetIsTheNextToken() {
    Batch b = TokenBatches.random(TOKENS, 5, 8, new Generator(3));
    assertEquals(DType.INT64, b.x().dtype());
    assertArrayEquals(new int[] {5, 8}, b.x().shape());
    long[] x = b.x().toLongArray();
    long[] y = b.y().toLongArray();
    for (int r = 0; r < 5; r++) {
      long start = x[r * 8];
      assertTrue(start >= 0 && start + 8 < 100, "window in range: " + start);
      for (int t = 0; t < 8; t++) {
        assertEquals(start + t, x[r * 8 + t]);
        assertEquals(start + t + 1, y[r * 8 + t]);
      }
    }
    assertArrayEquals(x, TokenBatches.random(TOKENS, 5, 8, new Generator(3)).x().toLongArray(), "seeded");
  }

  @Test
  void consecutiveWindowsCoverTheTextOnce() {
    // 99 predictable tokens: 12 windows of 8 (the 3 left over are not scored), 5 per batch.
    List<Batch> all = TokenBatches.consecutive(TOKENS, 5, 8, 1);
    assertEquals(List.of(5, 5, 2), all.stream().map(b -> b.x().size(0)).toList());
    assertEquals(88L, all.get(2).x().toLongArray()[8]);
    assertEquals(96L, all.get(2).y().toLongArray()[15]);
    List<Batch> every3 = TokenBatches.consecutive(TOKENS, 64, 8, 3);
    assertArrayEquals(new long[] {0, 24, 48, 72}, new long[] {every3.get(0).x().toLongArray()[0],
        every3.get(0).x().toLongArray()[8], every3.get(0).x().toLongArray()[16], every3.get(0).x().toLongArray()[24]});
  }
}
