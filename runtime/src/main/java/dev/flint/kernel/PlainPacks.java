package dev.flint.kernel;

import dev.flint.tensor.Storage;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * B packed for the pure-Java product ({@link MatMul#rowsF32}'s {@code [jBlock][p][j]} rows), kept per
 * parameter {@link Storage} between calls, as {@code kernel.vector.PackedWeights} keeps the vector
 * tier's packs. Without the vector module a batch-1 {@code x·wᵀ} otherwise ran as dot products over
 * w's rows (C2 does not vectorize a float sum: 190 us for 784×512) and a larger batch packed wᵀ on
 * every call; over the kept rows the product is an axpy per k-step, which C2 vectorizes.
 *
 * <p>The same policy as {@code PackedWeights}: only storages marked by
 * {@link Storage#markParameter()} (every write to them bumps {@link Storage#version()}), a pack valid
 * for the version it was made from, and a layout packed whole only when it is asked for a second
 * time at the same version, so a training step (which uses each weight once per layout before the
 * optimizer bumps it) keeps nothing here. At most {@value #SLOTS} layouts per storage; a pack goes
 * with its storage.
 */
final class PlainPacks {
  static final int SLOTS = 4;
  private static final Map<Storage, PlainPacks> CACHES = new WeakHashMap<>();

  private static final int KEY = 5;
  /** Per slot: offset, row and column strides of B, k and m. */
  private final int[] layouts = new int[SLOTS * KEY];
  private final boolean[] used = new boolean[SLOTS];
  /** The version at which each slot's layout was last asked for. */
  private final int[] seen = new int[SLOTS];
  private final float[][][][] packs = new float[SLOTS][][][];
  private int next;

  private PlainPacks() {}

  /**
   * B ({@code [k, m]}, element (p, j) at {@code b[bo + p*sb0 + j*sb1]} of {@code storage}) packed
   * whole, or null when the caller should do without: the storage is not a parameter's, or this
   * layout was not yet asked for twice at its version.
   */
  static float[][][] lookup(Storage storage, int bo, int sb0, int sb1, int k, int m) {
    if (!storage.isParameter()) {
      return null;
    }
    PlainPacks cache;
    synchronized (CACHES) {
      cache = CACHES.computeIfAbsent(storage, s -> new PlainPacks());
    }
    return cache.get(storage, bo, sb0, sb1, k, m);
  }

  private synchronized float[][][] get(Storage storage, int bo, int sb0, int sb1, int k, int m) {
    int version = storage.version();
    int slot = find(bo, sb0, sb1, k, m);
    if (slot < 0) {
      slot = next;
      next = (next + 1) % SLOTS;
      int at = slot * KEY;
      layouts[at] = bo;
      layouts[at + 1] = sb0;
      layouts[at + 2] = sb1;
      layouts[at + 3] = k;
      layouts[at + 4] = m;
      used[slot] = true;
      packs[slot] = null;
      seen[slot] = version;
      return null;
    }
    if (seen[slot] != version) {
      // first use at this version: maybe a training step, which would use it only once
      packs[slot] = null;
      seen[slot] = version;
      return null;
    }
    if (packs[slot] == null) {
      packs[slot] = MatMul.packF32(storage.floats(), bo, sb0, sb1, k, m, null);
    }
    return packs[slot];
  }

  private int find(int bo, int sb0, int sb1, int k, int m) {
    for (int slot = 0; slot < SLOTS; slot++) {
      int at = slot * KEY;
      if (used[slot] && layouts[at] == bo && layouts[at + 1] == sb0 && layouts[at + 2] == sb1
          && layouts[at + 3] == k && layouts[at + 4] == m) {
        return slot;
      }
    }
    return -1;
  }

  /** Floats held by the packs of {@code storage}, for tests. */
  static long heldFloats(Storage storage) {
    PlainPacks cache;
    synchronized (CACHES) {
      cache = CACHES.get(storage);
    }
    if (cache == null) {
      return 0;
    }
    synchronized (cache) {
      long n = 0;
      for (float[][][] p : cache.packs) {
        for (float[][] block : p == null ? new float[0][][] : p) {
          for (float[] row : block) {
            n += row.length;
          }
        }
      }
      return n;
    }
  }
}
