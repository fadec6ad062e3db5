package dev.flint.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis tick positions at "nice" steps (1, 2 or 5 times a power of ten) that cover a data range,
 * as plotting libraries choose them, with labels printed to the step's precision.
 */
final class Ticks {
  final double min;
  final double max;
  final double step;
  final List<Double> values;

  private Ticks(double min, double max, double step) {
    this.min = min;
    this.max = max;
    this.step = step;
    List<Double> v = new ArrayList<>();
    long count = Math.round((max - min) / step);
    for (long i = 0; i <= count; i++) {
      v.add(min + i * step);
    }
    this.values = List.copyOf(v);
  }

  /** About {@code target} ticks at a nice step, from a multiple of the step at or below {@code lo} to one at or above {@code hi}. */
  static Ticks nice(double lo, double hi, int target) {
    if (!(hi > lo)) {
      // A flat curve still needs a visible range around its value.
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    double step = niceStep((hi - lo) / Math.max(1, target - 1));
    double min = Math.floor(lo / step) * step;
    double max = Math.ceil(hi / step) * step;
    return new Ticks(min, max, step);
  }

  /**
   * Integer ticks for {@code lo..hi} at a nice step giving at most about {@code target} ticks: with
   * step 1 the axis runs from {@code lo}, otherwise from 0 at multiples of the step (0, 10, 20, ...).
   */
  static Ticks integers(int lo, int hi, int target) {
    double step = Math.ceil(Math.max(1, niceStep((double) (hi - lo) / Math.max(1, target - 1))));
    double min = step == 1 ? lo : Math.floor(lo / step) * step;
    double max = Math.ceil(hi / step) * step;
    return new Ticks(min, Math.max(max, min + step), step);
  }

  /** The smallest of 1, 2, 5 times a power of ten that is at least {@code raw}. */
  static double niceStep(double raw) {
    double exp = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / exp;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * exp;
  }

  /** The label of tick {@code v}, with as many decimals as the step needs. */
  String label(double v) {
    int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    double rounded = Math.abs(v) < step * 1e-9 ? 0 : v;
    return String.format(Locale.ROOT, "%." + decimals + "f", rounded);
  }
}
