package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CharVocabularyTest {
  @Test
  void sortedDistinctCharactersAreTheTokens() {
    CharVocabulary v = CharVocabulary.of("hello, world\n");
    assertEquals("\n ,dehlorw", v.chars());
    assertArrayEquals(new int[] {5, 4, 6, 6, 7}, v.encode("hello"));
    assertEquals("world", v.decode(v.encode("world")));
    assertEquals(v.chars(), CharVocabulary.fromChars(v.chars()).chars());
  }

  @Test
  void tinyShakespeareHasNanoGptsSixtyFiveCharactersAndSplit() {
    ShakespeareData d = ShakespeareData.load();
    assertEquals(65, d.vocabulary().size());
    assertEquals("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", d.vocabulary().chars());
    assertEquals(1_003_854, d.train().length, "int(0.9 * 1,115,394)");
    assertEquals(111_540, d.valid().length);
    assertEquals("First Citizen:", d.vocabulary().decode(java.util.Arrays.copyOf(d.train(), 14)));
  }

  @Test
  void unknownCharactersAndTokensAreNamed() {
    CharVocabulary v = CharVocabulary.of("abc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("abz"));
    assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("position 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> v.decode(3));
    assertTrue(e.getMessage().contains("token 3") && e.getMessage().contains("[0, 3)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CharVocabulary.fromChars("aba"));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }
}
