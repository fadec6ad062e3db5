package dev.flint.kernel.vector;

import dev.flint.tensor.Storage;

/**
 * Packed copies of parameter matrices for {@link VectorMatMul#gemmPacked}, kept per parameter
 * {@link Storage} under {@link ParameterPacks}' policy (valid for one storage version, packed whole
 * on a layout's second use at that version, at most 4 layouts per storage, weakly held), so that
 * inference and generation stop re-packing the same transposed weight on every call (13 % of
 * mlp_infer_mnist, 18 % of gpt_generate). A re-pack of the same size reuses its array.
 */
public final class PackedWeights {
  private static final ParameterPacks<float[]> PACKS = new ParameterPacks<>(PackedWeights::pack, p -> p.length);

  private PackedWeights() {}

  /**
   * B ({@code [k, m]}, element (p, j) at {@code b[bo + p*sb0 + j*sb1]} of {@code storage}) packed
   * whole for {@link VectorMatMul#gemmPacked}, or null when the caller should pack per block as usual
   * (see {@link ParameterPacks#lookup}).
   */
  public static float[] lookup(Storage storage, int bo, int sb0, int sb1, int k, int m) {
    return PACKS.lookup(storage, bo, sb0, sb1, k, m);
  }

  /** Floats held by the packs of {@code storage}, for tests. */
  public static long heldFloats(Storage storage) {
    return PACKS.heldFloats(storage);
  }

  private static float[] pack(float[] b, int bo, int sb0, int sb1, int k, int m, float[] old) {
    int size = VectorMatMul.packedSize(k, m);
    float[] pack = old == null || old.length != size ? new float[size] : old;
    VectorMatMul.packAll(b, bo, sb0, sb1, k, m, pack);
    return pack;
  }
}
