package dev.flint.train;

import dev.flint.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The train and validation loss of each epoch, drawn as an SVG line chart that a browser opens:
 * two polylines (train blue, valid orange) over axes with ticks, axis labels and a legend.
 * Written by hand, without a plotting library. A curve measured every so many steps instead of
 * every epoch gives its points' positions with {@link #add(int, double, double)} and names its axis
 * with {@link #LossCurve(String, String)}.
 */
public final class LossCurve {
  private static final int W = 640;
  private static final int H = 400;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final String TRAIN_COLOR = "#1f77b4";
  private static final String VALID_COLOR = "#ff7f0e";

  private final String title;
  private final String xLabel;
  private final List<Integer> xs = new ArrayList<>();
  private final List<Double> train = new ArrayList<>();
  private final List<Double> valid = new ArrayList<>();

  /** An empty curve titled {@code title} (for example {@code "diabetes: MSE loss"}), over epochs. */
  public LossCurve(String title) {
    this(title, "epoch");
  }

  /** An empty curve titled {@code title} whose horizontal axis is labelled {@code xLabel} (say {@code "step"}). */
  public LossCurve(String title, String xLabel) {
    this.title = title;
    this.xLabel = xLabel;
  }

  /** Adds one epoch's mean train loss and validation loss; both must be finite. */
  public void add(double trainLoss, double validLoss) {
    add(xs.isEmpty() ? 1 : xs.get(xs.size() - 1) + 1, trainLoss, validLoss);
  }

  /**
   * Adds the train and validation loss measured at {@code x} (a step count, say), which must be
   * greater than the previous point's; both losses must be finite.
   */
  public void add(int x, double trainLoss, double validLoss) {
    if (!Double.isFinite(trainLoss) || !Double.isFinite(validLoss)) {
      throw new IllegalArgumentException("LossCurve: " + xLabel + " " + x + " has a non-finite loss (train="
          + trainLoss + ", valid=" + validLoss + "); the training diverged, lower the learning rate");
    }
    if (!xs.isEmpty() && x <= xs.get(xs.size() - 1)) {
      throw new IllegalArgumentException("LossCurve: " + xLabel + " " + x + " does not follow the previous point's "
          + xs.get(xs.size() - 1) + "; points are added in increasing order");
    }
    xs.add(x);
    train.add(trainLoss);
    valid.add(validLoss);
  }

  /** The positions of the points on the horizontal axis (1, 2, … for epochs). */
  public List<Integer> xs() {
    return List.copyOf(xs);
  }

  /** The number of epochs (points) recorded. */
  public int epochs() {
    return train.size();
  }

  /** The train loss per epoch, epoch 1 first. */
  public List<Double> train() {
    return List.copyOf(train);
  }

  /** The validation loss per epoch, epoch 1 first. */
  public List<Double> valid() {
    return List.copyOf(valid);
  }

  /** Writes {@link #toSvg()} to {@code path} atomically (see {@link AtomicFiles}), creating its directory. */
  public void writeSvg(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("LossCurve: cannot create the directory " + dir + ": " + e, e);
    }
    AtomicFiles.writeString(path, toSvg());
  }

  /** The chart as an SVG document. */
  public String toSvg() {
    if (train.isEmpty()) {
      throw new IllegalStateException("LossCurve '" + title + "' has no epochs to draw; call add() after each epoch");
    }
    double lo = Math.min(min(train), min(valid));
    double hi = Math.max(max(train), max(valid));
    Ticks yTicks = Ticks.nice(lo, hi, 6);
    int last = xs.get(xs.size() - 1);
    Ticks xTicks = Ticks.integers(Math.min(1, xs.get(0)), Math.max(last, 2), 10);
    Scale x = new Scale(xTicks.min, xTicks.max, LEFT, W - RIGHT);
    Scale y = new Scale(yTicks.min, yTicks.max, H - BOTTOM, TOP);

    StringBuilder s = new StringBuilder();
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
        (LEFT + W - RIGHT) / 2, TOP - 15, escape(title)));
    axes(s, x, y, xTicks, yTicks);
    polyline(s, "train", xs, train, x, y, TRAIN_COLOR);
    polyline(s, "valid", xs, valid, x, y, VALID_COLOR);
    legend(s);
    s.append("</svg>\n");
    return s.toString();
  }

  private void axes(StringBuilder s, Scale x, Scale y, Ticks xTicks, Ticks yTicks) {
    s.append("<g stroke=\"#444\" stroke-width=\"1\">\n");
    s.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM));
    s.append(line(LEFT, TOP, LEFT, H - BOTTOM));
    s.append("</g>\n<g fill=\"#222\">\n");
    for (double v : xTicks.values) {
      double px = x.map(v);
      s.append("<g stroke=\"#444\">").append(line(px, H - BOTTOM, px, H - BOTTOM + 5).strip()).append("</g>\n");
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          px, H - BOTTOM + 18, xTicks.label(v)));
    }
    for (double v : yTicks.values) {
      double py = y.map(v);
      s.append("<g stroke=\"#ddd\">").append(line(LEFT, py, W - RIGHT, py).strip()).append("</g>\n");
      s.append("<g stroke=\"#444\">").append(line(LEFT - 5, py, LEFT, py).strip()).append("</g>\n");
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>%n",
          LEFT - 8, py, yTicks.label(v)));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
        (LEFT + W - RIGHT) / 2, H - 12, escape(xLabel)));
    s.append(String.format(Locale.ROOT,
        "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">loss</text>%n",
        (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2));
    s.append("</g>\n");
  }

  private static void polyline(StringBuilder s, String name, List<Integer> xs, List<Double> values, Scale x, Scale y,
      String color) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        points.append(' ');
      }
      points.append(String.format(Locale.ROOT, "%.2f,%.2f", x.map(xs.get(i)), y.map(values.get(i))));
    }
    s.append(String.format(Locale.ROOT,
        "<polyline id=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", name, color, points));
  }

  private static void legend(StringBuilder s) {
    int x0 = W - RIGHT - 110;
    int y0 = TOP + 10;
    s.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"100\" height=\"46\" fill=\"white\" stroke=\"#aaa\"/>%n", x0, y0));
    String[][] entries = {{"train", TRAIN_COLOR}, {"valid", VALID_COLOR}};
    for (int i = 0; i < entries.length; i++) {
      int ly = y0 + 15 + 18 * i;
      s.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n", x0 + 8, ly, x0 + 32, ly, entries[i][1]));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">%s</text>%n",
          x0 + 40, ly, entries[i][0]));
    }
  }

  private static String line(double x1, double y1, double x2, double y2) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n", x1, y1, x2, y2);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /** A linear map from data values to pixels. */
  private record Scale(double lo, double hi, double from, double to) {
    double map(double v) {
      return from + (v - lo) / (hi - lo) * (to - from);
    }
  }
}
