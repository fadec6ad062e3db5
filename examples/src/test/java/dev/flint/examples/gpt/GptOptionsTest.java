package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GptOptionsTest {
  @Test
  void defaultsAndFlags() {
    GptOptions d = GptOptions.parse();
    assertEquals(GptOptions.DEFAULT_STEPS, d.steps());
    assertEquals(Path.of("runs", "gpt"), d.out());
    assertEquals(0.8, d.sampling().temperature());
    assertEquals("\n", d.sampling().prompt());
    GptOptions o = GptOptions.parse("--minutes", "5", "--batch", "16", "--seed", "3", "--top-k", "5", "--prompt", "ROMEO:",
        "--eager");
    assertEquals(5.0, o.minutes());
    assertEquals(16, o.batch());
    assertEquals(5, o.sampling().topK());
    assertEquals(3, o.sampling().seed(), "the sampling seed follows --seed unless given");
    assertEquals("ROMEO:", o.sampling().prompt());
    assertTrue(o.eager());
  }

  @Test
  void mistakesSayWhatWasExpected() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> GptOptions.parse("--steps", "many"));
    assertTrue(e.getMessage().contains("--steps expects a whole number, but got 'many'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GptOptions.parse("--temperature", "-1"));
    assertTrue(e.getMessage().contains("--temperature must be a finite number >= 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GptOptions.parse("--epochs", "3"));
    assertTrue(e.getMessage().startsWith("unknown argument '--epochs'") && e.getMessage().contains("usage:"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GptSample.parse("--checkpoint"));
    assertTrue(e.getMessage().contains("--checkpoint needs a value"), e.getMessage());
  }
}
