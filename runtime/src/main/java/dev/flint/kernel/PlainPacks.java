package dev.flint.kernel;

import dev.flint.kernel.vector.ParameterPacks;
import dev.flint.tensor.Storage;

/**
 * B packed for the pure-Java product ({@link MatMul#rowsF32}'s {@code [jBlock][p][j]} rows), kept per
 * parameter {@link Storage} between calls under {@link ParameterPacks}' policy, as
 * {@code kernel.vector.PackedWeights} keeps the vector tier's packs. Without the vector module a
 * batch-1 {@code x·wᵀ} otherwise ran as dot products over w's rows (C2 does not vectorize a float
 * sum: 190 us for 784×512) and a larger batch packed wᵀ on every call; over the kept rows the
 * product is an axpy per k-step, which C2 vectorizes.
 */
final class PlainPacks {
  private static final ParameterPacks<float[][][]> PACKS = new ParameterPacks<>(
      (b, bo, sb0, sb1, k, m, old) -> MatMul.packF32(b, bo, sb0, sb1, k, m, null), PlainPacks::floats);

  private PlainPacks() {}

  /** B ({@code [k, m]} at {@code b[bo + p*sb0 + j*sb1]}) packed whole, or null: see {@link ParameterPacks#lookup}. */
  static float[][][] lookup(Storage storage, int bo, int sb0, int sb1, int k, int m) {
    return PACKS.lookup(storage, bo, sb0, sb1, k, m);
  }

  /** Floats held by the packs of {@code storage}, for tests. */
  static long heldFloats(Storage storage) {
    return PACKS.heldFloats(storage);
  }

  private static long floats(float[][][] pack) {
    long n = 0;
    for (float[][] block : pack) {
      for (float[] row : block) {
        n += row.length;
      }
    }
    return n;
  }
}
