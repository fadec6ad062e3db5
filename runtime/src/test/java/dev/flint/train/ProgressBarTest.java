package dev.flint.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong();

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rendersLikeTqdm() {
    ProgressBar bar = new ProgressBar("epoch 3/20", 60, out, false, now::get);
    for (int i = 0; i < 45; i++) {
      bar.step(i < 15 ? 0.2 : 0.1); // mean of 15 × 0.2 and 30 × 0.1 = 0.1333...
    }
    now.set(1_500_000_000L); // 45 steps in 1.5 s = 30 it/s; 15 left = 0.5 s
    String line = bar.render(now.get());
    assertTrue(line.matches("epoch 3/20 \\|[█#]{15}[░-]{5}\\| 45/60 \\[00:01<00:00, 30\\.0 it/s, loss=0\\.1333]"), line);
  }

  @Test
  void printsOneLinePerPassWhenNotATerminal() {
    try (ProgressBar bar = new ProgressBar("epoch 1/2", 3, out, false, now::get)) {
      bar.step(1);
      now.addAndGet(ProgressBar.REDRAW_NANOS * 10);
      bar.step(2);
      bar.step(3);
    }
    String text = printed();
    assertEquals(1, text.lines().count(), text);
    assertTrue(text.contains("3/3") && text.contains("loss=2.0000"), text);
    assertTrue(!text.contains("\r"), text);
  }

  @Test
  void redrawsInPlaceOnATerminalAtMostTwentyTimesASecond() {
    ProgressBar bar = new ProgressBar("epoch 1/1", 100, out, true, now::get);
    for (int i = 0; i < 99; i++) {
      bar.step(0.5); // the clock stands still: only the first step draws
    }
    assertEquals(1, printed().chars().filter(c -> c == '\r').count());
    now.addAndGet(ProgressBar.REDRAW_NANOS);
    bar.step(0.5); // the last step always draws
    bar.close("valid_loss=0.2500");
    String text = printed();
    assertEquals(3, text.chars().filter(c -> c == '\r').count(), text);
    assertTrue(text.endsWith("valid_loss=0.2500" + System.lineSeparator()), text);
    assertTrue(text.contains("100/100"), text);
  }

  @Test
  void clockTimeIsMinutesAndSecondsThenHours() {
    assertEquals("00:00", ProgressBar.clockTime(0.9));
    assertEquals("01:05", ProgressBar.clockTime(65));
    assertEquals("1:01:01", ProgressBar.clockTime(3661));
  }

  @Test
  void epochLabelsArePaddedSoBarsLineUp() {
    assertEquals("epoch  3/20", ProgressBar.epochLabel(3, 20));
    assertEquals("epoch 20/20", ProgressBar.epochLabel(20, 20));
    assertEquals("epoch 7/9", ProgressBar.epochLabel(7, 9));
  }

  @Test
  void refusesStepsAfterClose() {
    ProgressBar bar = new ProgressBar("x", 1, out, false, now::get);
    bar.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> bar.step(1));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
