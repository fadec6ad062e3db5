package dev.flint.ops;

import java.util.List;

/** Shape rules of the recurrence rows (LSTM_SCAN, GRU_SCAN and their backwards); see {@code kernel.Recurrence}. */
final class RecurrenceShapes {
  /** Slots of H in an LSTM scan's result, its backward's, a GRU scan's and its backward's ({@code kernel.Recurrence}). */
  static final int LSTM_SLOTS = 8;
  static final int LSTM_GRAD_SLOTS = 6;
  static final int GRU_SLOTS = 6;
  static final int GRU_GRAD_SLOTS = 5;

  private RecurrenceShapes() {}

  /** {@code gx [B, T, 4H], whh [4H, H], h0 [B, H], c0 [B, H] -> [B, T, 8, H]}. */
  static int[] lstmScan(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    return scan(dims, op, in, 4, LSTM_SLOTS, "gx [B, T, 4H], whh [4H, H], h0 [B, H] and c0 [B, H]");
  }

  /** {@code gx [B, T, 3H], whh [3H, H], bhh [3H], h0 [B, H] -> [B, T, 6, H]}. */
  static int[] gruScan(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    int[] bhh = in.get(2);
    int[] whh = in.get(1);
    if (bhh.length != 1 || whh.length != 2 || bhh[0] != whh[0]) {
      throw new ShapeError(op + ": expected gx [B, T, 3H], whh [3H, H], bhh [3H] and h0 [B, H], but got "
          + shapes(dims, in));
    }
    return scan(dims, op, List.of(in.get(0), whh, in.get(3)), 3, GRU_SLOTS,
        "gx [B, T, 3H], whh [3H, H], bhh [3H] and h0 [B, H]");
  }

  /** {@code grad, y [B, T, 8, H], whh [4H, H] -> [B, T, 6, H]}. */
  static int[] lstmScanBackward(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    return backward(dims, op, in, 4, LSTM_SLOTS, LSTM_GRAD_SLOTS);
  }

  /** {@code grad, y [B, T, 6, H], whh [3H, H] -> [B, T, 5, H]}. */
  static int[] gruScanBackward(DimAlgebra dims, String op, List<int[]> in, Attrs attrs) {
    return backward(dims, op, in, 3, GRU_SLOTS, GRU_GRAD_SLOTS);
  }

  /** {@code gx [B, T, G·H]}, {@code whh [G·H, H]} and each state {@code [B, H]} give {@code [B, T, slots, H]}. */
  private static int[] scan(DimAlgebra dims, String op, List<int[]> in, int gates, int slots, String expected) {
    int[] gx = in.get(0);
    int[] whh = in.get(1);
    boolean ok = gx.length == 3 && whh.length == 2 && whh[0] == gates * whh[1] && gx[2] == whh[0];
    for (int i = 2; ok && i < in.size(); i++) {
      int[] s = in.get(i);
      ok = s.length == 2 && s[0] == gx[0] && s[1] == whh[1];
    }
    if (!ok) {
      throw new ShapeError(op + ": expected " + expected + ", but got " + shapes(dims, in));
    }
    return new int[] {gx[0], gx[1], slots, whh[1]};
  }

  private static int[] backward(DimAlgebra dims, String op, List<int[]> in, int gates, int slots, int gradSlots) {
    int[] g = in.get(0);
    int[] y = in.get(1);
    int[] whh = in.get(2);
    boolean ok = y.length == 4 && y[2] == slots && java.util.Arrays.equals(g, y) && whh.length == 2
        && whh[1] == y[3] && whh[0] == gates * y[3];
    if (!ok) {
      throw new ShapeError(op + ": expected grad and y [B, T, " + slots + ", H] and whh [" + gates + "H, H], but got "
          + shapes(dims, in));
    }
    return new int[] {y[0], y[1], gradSlots, y[3]};
  }

  private static String shapes(DimAlgebra dims, List<int[]> in) {
    StringBuilder sb = new StringBuilder();
    for (int[] s : in) {
      sb.append(sb.length() == 0 ? "" : ", ").append(dims.str(s));
    }
    return sb.toString();
  }
}
