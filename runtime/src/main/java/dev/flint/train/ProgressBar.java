package dev.flint.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A console progress bar for one pass over a data loader, in the style of Python's tqdm:
 * {@code epoch 3/20 |████████░░░░| 45/60 [00:01<00:00, 38.1 it/s, loss=0.1234]}. On a terminal it
 * is redrawn in place with {@code \r} as steps complete (at most every {@link #REDRAW_NANOS}); when
 * the output is a file or a pipe (build logs, tests) it prints one line per pass, when the pass
 * ends, so logs stay readable.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.create("epoch 1/20", loader.size())) {
 *   for (Batch b : loader) { ...; bar.step(loss.item()); }
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {
  /** The shortest time between two redraws on a terminal: 20 redraws a second, as tqdm's default. */
  public static final long REDRAW_NANOS = 50_000_000L;

  private static final int WIDTH = 20;
  private static final boolean BLOCKS = Terminal.canPrint('█') && Terminal.canPrint('░');

  private final String label;
  private final int total;
  private final PrintStream out;
  private final boolean live;
  private final LongSupplier clock;
  private final long start;
  private int done;
  private double lossSum;
  private long lastDraw = Long.MIN_VALUE;
  private int lastLineLength;
  private boolean closed;

  /**
   * A bar for {@code total} steps printed to {@code out}; {@code live} redraws it in place (for a
   * terminal), otherwise it prints once on {@link #close()}. {@code clock} gives nanoseconds.
   */
  public ProgressBar(String label, int total, PrintStream out, boolean live, LongSupplier clock) {
    if (total < 0) {
      throw new IllegalArgumentException("ProgressBar: total must be >= 0 steps, but got " + total);
    }
    this.label = Objects.requireNonNull(label, "label");
    this.total = total;
    this.out = Objects.requireNonNull(out, "out");
    this.live = live;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.start = clock.getAsLong();
  }

  /**
   * A bar on {@code System.out}, live when the program runs on a terminal (the system property
   * {@code flint.progress} set to {@code live} or {@code lines} overrides the guess).
   */
  public static ProgressBar create(String label, int total) {
    return new ProgressBar(label, total, System.out, Terminal.isInteractive(), System::nanoTime);
  }

  /** A bar on {@code System.out} for epoch {@code epoch} (1-based) of {@code epochs}, {@code total} steps long. */
  public static ProgressBar forEpoch(int epoch, int epochs, int total) {
    return create(epochLabel(epoch, epochs), total);
  }

  /** {@code epoch 3/20}, with the epoch padded to the width of {@code epochs} so bars line up. */
  public static String epochLabel(int epoch, int epochs) {
    int width = Integer.toString(epochs).length();
    return String.format(Locale.ROOT, "epoch %" + width + "d/%d", epoch, epochs);
  }

  /** Records one finished step and its loss; the bar shows the running mean loss of the pass so far. */
  public void step(double loss) {
    if (closed) {
      throw new IllegalStateException("ProgressBar '" + label + "' is closed; create a new bar for the next pass");
    }
    done++;
    lossSum += loss;
    if (live) {
      long now = clock.getAsLong();
      if (done == total || lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        draw(false);
      }
    }
  }

  /** The steps recorded so far. */
  public int steps() {
    return done;
  }

  /** The mean of the losses recorded so far (NaN before the first step). */
  public double meanLoss() {
    return done == 0 ? Double.NaN : lossSum / done;
  }

  /** Prints the final state of the bar and ends its line; later calls do nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    draw(true);
  }

  /**
   * Closes the bar with a summary appended after the bar, e.g. {@code valid_loss=0.0312}, so a
   * pass's one line also shows its validation result.
   */
  public void close(String suffix) {
    if (closed) {
      return;
    }
    closed = true;
    drawLine(render(clock.getAsLong()) + (suffix.isEmpty() ? "" : " " + suffix), true);
  }

  private void draw(boolean last) {
    drawLine(render(clock.getAsLong()), last);
  }

  private void drawLine(String line, boolean last) {
    if (live) {
      // Pad with spaces so a shorter line fully covers the previous one.
      String padded = line.length() < lastLineLength ? line + " ".repeat(lastLineLength - line.length()) : line;
      out.print("\r" + padded);
      lastLineLength = line.length();
      if (last) {
        out.println();
      }
    } else if (last) {
      out.println(line);
    }
    out.flush();
  }

  /** The bar's text at time {@code now} (nanoseconds of the clock), without {@code \r} or newline. */
  String render(long now) {
    double elapsed = Math.max(0, now - start) / 1e9;
    double rate = elapsed > 0 ? done / elapsed : 0;
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
    // Fall back to ASCII where stdout cannot encode the block characters (a POSIX locale).
    String bar = BLOCKS ? "█".repeat(filled) + "░".repeat(WIDTH - filled) : "#".repeat(filled) + "-".repeat(WIDTH - filled);
    String remaining = rate > 0 && done <= total ? clockTime((total - done) / rate) : "?";
    StringBuilder s = new StringBuilder();
    s.append(label).append(" |").append(bar).append("| ").append(done).append('/').append(total)
        .append(" [").append(clockTime(elapsed)).append('<').append(remaining)
        .append(", ").append(String.format(Locale.ROOT, "%.1f it/s", rate));
    if (done > 0) {
      s.append(String.format(Locale.ROOT, ", loss=%.4f", meanLoss()));
    }
    return s.append(']').toString();
  }

  /** Seconds as {@code mm:ss}, or {@code h:mm:ss} from an hour on, as tqdm prints them. */
  static String clockTime(double seconds) {
    long s = (long) Math.floor(seconds); // tqdm truncates too
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%02d:%02d", m, sec);
  }
}
