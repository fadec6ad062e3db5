package dev.flint.kernel.vector;

import dev.flint.tensor.Storage;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Packed copies of parameter matrices for {@link VectorMatMul#gemmPacked}, kept per parameter
 * {@link Storage} (weakly: a pack goes when its storage does) so that inference and generation stop
 * re-packing the same transposed weight on every call (13 % of mlp_infer_mnist, 18 % of gpt_generate).
 *
 * <p>A pack is valid for the {@link Storage#version()} it was made from: every write to a parameter
 * bumps the version (in-place tensor ops, optimizer steps, {@code loadStateDict}), and a product that
 * finds another version packs again. Only storages marked by {@link Storage#markParameter()} are kept
 * (kernels write activations without bumping). A layout is packed whole only when it is seen a second
 * time at the same version: a training step, which uses each weight once per layout before the
 * optimizer bumps it, keeps packing per block into the thread's scratch and allocates nothing here.
 *
 * <p>Memory: at most {@value #SLOTS} layouts per storage (a fused q/k/v weight is read as slices),
 * each about the size of its matrix; a re-pack reuses the array, and all of it goes with the storage.
 */
public final class PackedWeights {
  static final int SLOTS = 4;
  private static final int KEY = 5;
  /** Per parameter storage (identity keys: Storage does not override equals), weakly held. */
  private static final Map<Storage, PackedWeights> CACHES = new WeakHashMap<>();

  /** Per slot: offset, row and column strides of B, k and m. */
  private final int[] layouts = new int[SLOTS * KEY];
  private final boolean[] used = new boolean[SLOTS];
  /** The version at which each slot's layout was last asked for. */
  private final int[] seen = new int[SLOTS];
  private final boolean[] valid = new boolean[SLOTS];
  private final float[][] packs = new float[SLOTS][];
  private int next;

  private PackedWeights() {}

  /**
   * B ({@code [k, m]}, element (p, j) at {@code b[bo + p*sb0 + j*sb1]} of {@code storage}) packed
   * whole for {@link VectorMatMul#gemmPacked}, or null when the caller should pack per block as usual:
   * the storage is not a parameter's, or this layout was not yet asked for twice at its version.
   */
  public static float[] lookup(Storage storage, int bo, int sb0, int sb1, int k, int m) {
    if (!storage.isParameter()) {
      return null;
    }
    PackedWeights cache;
    synchronized (CACHES) {
      cache = CACHES.computeIfAbsent(storage, s -> new PackedWeights());
    }
    return cache.get(storage, bo, sb0, sb1, k, m);
  }

  private synchronized float[] get(Storage storage, int bo, int sb0, int sb1, int k, int m) {
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
      valid[slot] = false;
      packs[slot] = null;   // another layout's pack: do not keep its memory
      seen[slot] = version;
      return null;
    }
    if (valid[slot] && seen[slot] == version) {
      return packs[slot];
    }
    if (seen[slot] != version) {
      // first use at this version: maybe a training step, which would use it only once
      valid[slot] = false;
      seen[slot] = version;
      return null;
    }
    int size = VectorMatMul.packedSize(k, m);
    float[] pack = packs[slot];
    if (pack == null || pack.length != size) {
      pack = new float[size];
    }
    VectorMatMul.packAll(storage.floats(), bo, sb0, sb1, k, m, pack);
    packs[slot] = pack;
    valid[slot] = true;
    return pack;
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
  public static long heldFloats(Storage storage) {
    PackedWeights cache;
    synchronized (CACHES) {
      cache = CACHES.get(storage);
    }
    if (cache == null) {
      return 0;
    }
    synchronized (cache) {
      long n = 0;
      for (float[] p : cache.packs) {
        n += p == null ? 0 : p.length;
      }
      return n;
    }
  }
}
