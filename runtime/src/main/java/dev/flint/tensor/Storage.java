package dev.flint.tensor;

import java.util.Arrays;

/**
 * A flat primitive array holding a tensor's elements; views share one storage. Exactly one of the
 * typed arrays is set, chosen by {@link #dtype()}. Kernels read the typed array directly on their
 * fast paths and go through {@link #getDouble}/{@link #setDouble} on the generic ones.
 */
public final class Storage {
  private final DType dtype;
  private final float[] f32;
  private final double[] f64;
  private final long[] i64;
  private final int[] i32;
  private final boolean[] bool;
  private int version;
  private int generation;
  /** {@link #LENT} and {@link #PARAMETER} in one byte, so a storage stays 48 bytes (it is made per op result). */
  private byte flags;
  private static final byte LENT = 1;
  private static final byte PARAMETER = 2;

  private Storage(DType dtype, float[] f32, double[] f64, long[] i64, int[] i32, boolean[] bool) {
    this.dtype = dtype;
    this.f32 = f32;
    this.f64 = f64;
    this.i64 = i64;
    this.i32 = i32;
    this.bool = bool;
  }

  /** A zero-filled storage of {@code n} elements. */
  public static Storage allocate(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32: return new Storage(dtype, new float[n], null, null, null, null);
      case FLOAT64: return new Storage(dtype, null, new double[n], null, null, null);
      case INT64: return new Storage(dtype, null, null, new long[n], null, null);
      case INT32: return new Storage(dtype, null, null, null, new int[n], null);
      default: return new Storage(dtype, null, null, null, null, new boolean[n]);
    }
  }

  public static Storage of(float[] a) {
    return new Storage(DType.FLOAT32, a, null, null, null, null);
  }

  public static Storage of(double[] a) {
    return new Storage(DType.FLOAT64, null, a, null, null, null);
  }

  public static Storage of(long[] a) {
    return new Storage(DType.INT64, null, null, a, null, null);
  }

  public static Storage of(int[] a) {
    return new Storage(DType.INT32, null, null, null, a, null);
  }

  public static Storage of(boolean[] a) {
    return new Storage(DType.BOOL, null, null, null, null, a);
  }

  public DType dtype() {
    return dtype;
  }

  /**
   * How many in-place writes this storage has seen: {@code Tensor.fill}/{@code copyFrom}/{@code zero}
   * and the other in-place ops, optimizer steps and {@code Module.loadStateDict} each add one. Autograd
   * compares it to detect a value modified after an op saved it for backward, and kernels to know
   * whether data derived from a parameter (its packed matrix, {@code kernel.vector.PackedWeights}) is still valid.
   * Code that writes into {@link #floats()} or the other arrays of a parameter directly must call
   * {@link #bumpVersion()} afterwards.
   */
  public int version() {
    return version;
  }

  /** Records an in-place write (see {@link #version()}). */
  public void bumpVersion() {
    version++;
  }

  /**
   * Marks this as a module parameter's storage ({@code Module.registerParameter}): every write to it
   * goes through a path that bumps {@link #version()}, so kernels may keep data derived from its
   * values between calls. Kernels write their outputs without bumping, which is why they keep
   * nothing for other storages.
   */
  public void markParameter() {
    flags |= PARAMETER;
  }

  /** Whether {@link #markParameter()} was called. */
  public boolean isParameter() {
    return (flags & PARAMETER) != 0;
  }

  /**
   * How many times a compiled model has taken this storage back after lending it to its caller
   * (see {@code Tensor.lend()}); a tensor made in an earlier generation refuses to read it.
   */
  public int generation() {
    return generation;
  }

  /** Internal: records that a tensor over this storage was handed to a caller that may keep it. */
  void markLent() {
    flags |= LENT;
  }

  /** Internal: takes a lent storage back for reuse, starting a new generation; false if it was not lent. */
  boolean reclaim() {
    if ((flags & LENT) == 0) {
      return false;
    }
    flags &= ~LENT;
    generation++;
    return true;
  }

  /** Number of elements. */
  public int size() {
    switch (dtype) {
      case FLOAT32: return f32.length;
      case FLOAT64: return f64.length;
      case INT64: return i64.length;
      case INT32: return i32.length;
      default: return bool.length;
    }
  }

  /** The backing array of a FLOAT32 storage. */
  public float[] floats() {
    check(DType.FLOAT32);
    return f32;
  }

  /** The backing array of a FLOAT64 storage. */
  public double[] doubles() {
    check(DType.FLOAT64);
    return f64;
  }

  /** The backing array of an INT64 storage. */
  public long[] longs() {
    check(DType.INT64);
    return i64;
  }

  /** The backing array of an INT32 storage. */
  public int[] ints() {
    check(DType.INT32);
    return i32;
  }

  /** The backing array of a BOOL storage. */
  public boolean[] bools() {
    check(DType.BOOL);
    return bool;
  }

  /** Element {@code i} as a double (bool reads as 0 or 1). */
  public double getDouble(int i) {
    switch (dtype) {
      case FLOAT32: return f32[i];
      case FLOAT64: return f64[i];
      case INT64: return i64[i];
      case INT32: return i32[i];
      default: return bool[i] ? 1 : 0;
    }
  }

  /** Element {@code i} as a long (floats truncate toward zero, as a cast does). */
  public long getLong(int i) {
    switch (dtype) {
      case FLOAT32: return (long) f32[i];
      case FLOAT64: return (long) f64[i];
      case INT64: return i64[i];
      case INT32: return i32[i];
      default: return bool[i] ? 1 : 0;
    }
  }

  /** Stores {@code v} converted to this storage's dtype (integers truncate, bool is {@code v != 0}). */
  public void setDouble(int i, double v) {
    switch (dtype) {
      case FLOAT32: f32[i] = (float) v; break;
      case FLOAT64: f64[i] = v; break;
      case INT64: i64[i] = (long) v; break;
      case INT32: i32[i] = (int) v; break;
      default: bool[i] = v != 0;
    }
  }

  /** Stores {@code v} converted to this storage's dtype, exactly for integer dtypes. */
  public void setLong(int i, long v) {
    switch (dtype) {
      case FLOAT32: f32[i] = v; break;
      case FLOAT64: f64[i] = v; break;
      case INT64: i64[i] = v; break;
      case INT32: i32[i] = (int) v; break;
      default: bool[i] = v != 0;
    }
  }

  /** Sets elements {@code [from, to)} to {@code v}. */
  public void fill(int from, int to, double v) {
    switch (dtype) {
      case FLOAT32: Arrays.fill(f32, from, to, (float) v); break;
      case FLOAT64: Arrays.fill(f64, from, to, v); break;
      case INT64: Arrays.fill(i64, from, to, (long) v); break;
      case INT32: Arrays.fill(i32, from, to, (int) v); break;
      default: Arrays.fill(bool, from, to, v != 0);
    }
  }

  private void check(DType wanted) {
    if (dtype != wanted) {
      throw new IllegalStateException("storage holds " + dtype + ", not " + wanted);
    }
  }
}
