package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** What every fuzz test asks of a refusal: a message a user can act on. */
public final class FuzzChecks {
  private FuzzChecks() {}

  /** Fails unless {@code e} carries a non-blank message. */
  public static void hasMessage(RuntimeException e) {
    assertNotNull(e.getMessage(), () -> e.getClass().getName() + " without a message");
    assertFalse(e.getMessage().isBlank(), () -> e.getClass().getName() + " with a blank message");
  }
}
