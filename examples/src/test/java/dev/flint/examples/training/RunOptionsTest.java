package dev.flint.examples.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
  @Test
  void defaults() {
    RunOptions o = RunOptions.parse("digits", 30);
    assertEquals(30, o.epochs());
    assertEquals(Path.of("runs", "digits"), o.out());
    assertEquals(0, o.seed());
    assertFalse(o.eager());
  }

  @Test
  void readsEveryFlag() {
    RunOptions o = RunOptions.parse("diabetes", 30, "--epochs", "5", "--out", "/tmp/x", "--seed", "7", "--eager");
    assertEquals(new RunOptions(5, Path.of("/tmp/x"), 7, true, 0), o);
    assertEquals(4, RunOptions.parse("digits", 30, "--patience", "4").patience());
  }

  @Test
  void badInputSaysWhatWasExpected() {
    assertMessage("--epochs expects a whole number, but got 'ten'", "--epochs", "ten");
    assertMessage("--epochs must be at least 1, but got 0", "--epochs", "0");
    assertMessage("--out needs a value, but none was given", "--out");
    assertMessage("unknown argument '--epoch'", "--epoch", "3");
    assertMessage("usage: tour", "--help");
    assertMessage("--patience expects a whole number, but got '-'", "--patience", "-");
  }

  private static void assertMessage(String expected, String... args) {
    RunOptions.UsageException e = assertThrows(RunOptions.UsageException.class, () -> RunOptions.parse("tour", 1, args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
