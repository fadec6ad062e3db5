package dev.flint.kernel.vector;

import dev.flint.tensor.Storage;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.ToLongFunction;

/**
 * Packed copies of parameter matrices kept between calls, for one product kernel's pack format
 * ({@link PackedWeights} for the vector tier, {@code kernel.PlainPacks} for the pure-Java one; it uses
 * no Vector API class, so it serves without the module too).
 *
 * <p>The policy: only storages marked by {@link Storage#markParameter()} are kept (every write to
 * them bumps {@link Storage#version()}; kernels write activations without bumping); a pack is valid
 * for the version it was made from; and a layout is packed whole only when it is asked for a second
 * time at the same version, so a training step, which uses each weight once per layout before the
 * optimizer bumps it, keeps nothing. At most {@value #SLOTS} layouts per storage (a fused q/k/v
 * weight is read as slices); a re-pack may reuse its array, and all of it goes with the storage
 * (weak keys; Storage does not override equals, so identity).
 *
 * @param <P> the kernel's packed form
 */
public final class ParameterPacks<P> {
  static final int SLOTS = 4;
  private static final int KEY = 5;

  /** Packs B ({@code [k, m]}, element (p, j) at {@code b[bo + p*sb0 + j*sb1]}); {@code old} may be reused or null. */
  @FunctionalInterface
  public interface Packer<P> {
    P pack(float[] b, int bo, int sb0, int sb1, int k, int m, P old);
  }

  private final Map<Storage, Slots<P>> caches = new WeakHashMap<>();
  private final Packer<P> packer;
  private final ToLongFunction<P> floats;

  /** {@code floats}: how many floats a pack holds ({@link #heldFloats}). */
  public ParameterPacks(Packer<P> packer, ToLongFunction<P> floats) {
    this.packer = packer;
    this.floats = floats;
  }

  /**
   * B of {@code storage} packed whole, or null when the caller should do without: the storage is not
   * a parameter's, or this layout was not yet asked for twice at its version.
   */
  public P lookup(Storage storage, int bo, int sb0, int sb1, int k, int m) {
    if (!storage.isParameter()) {
      return null;
    }
    Slots<P> slots;
    synchronized (caches) {
      slots = caches.computeIfAbsent(storage, s -> new Slots<>());
    }
    return slots.get(this, storage, bo, sb0, sb1, k, m);
  }

  /** Floats held by the packs of {@code storage}, for tests. */
  public long heldFloats(Storage storage) {
    Slots<P> slots;
    synchronized (caches) {
      slots = caches.get(storage);
    }
    if (slots == null) {
      return 0;
    }
    synchronized (slots) {
      long n = 0;
      for (Object p : slots.packs) {
        @SuppressWarnings("unchecked")
        P pack = (P) p;
        n += pack == null ? 0 : floats.applyAsLong(pack);
      }
      return n;
    }
  }

  /** The layouts of one storage. */
  private static final class Slots<P> {
    /** Per slot: offset, row and column strides of B, k and m. */
    final int[] layouts = new int[SLOTS * KEY];
    final boolean[] used = new boolean[SLOTS];
    /** The version at which each slot's layout was last asked for. */
    final int[] seen = new int[SLOTS];
    final boolean[] valid = new boolean[SLOTS];
    final Object[] packs = new Object[SLOTS];
    int next;

    @SuppressWarnings("unchecked")
    synchronized P get(ParameterPacks<P> owner, Storage storage, int bo, int sb0, int sb1, int k, int m) {
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
        return (P) packs[slot];
      }
      if (seen[slot] != version) {
        // first use at this version: maybe a training step, which would use it only once
        valid[slot] = false;
        seen[slot] = version;
        return null;
      }
      P pack = owner.packer.pack(storage.floats(), bo, sb0, sb1, k, m, (P) packs[slot]);
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
  }
}
