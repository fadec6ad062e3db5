package dev.flint.examples.gpt;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.Arrays;

/**
 * The keys and values of every attention layer for the positions a {@link Gpt} has already read, so
 * that the next token's forward ({@link Gpt#forwardCached}) computes one new row per layer and attends
 * to the stored ones instead of recomputing the whole context. Each layer has one buffer of keys and
 * one of values, {@code [batch, heads, capacity, head size]}, allocated once; the new positions'
 * rows are copied into place. The capacity is the model's block size: the position table has no row
 * beyond it, so a longer context cannot be extended and must be read again from its last
 * {@code capacity} tokens ({@link #clear()}, then one {@code forwardCached} of the window).
 */
public final class KvCache {
  private final Tensor[] keys;
  private final Tensor[] values;
  private final int[] shape;
  private int length;

  /** An empty cache for {@code layers} layers of {@code heads} heads of {@code headSize}, up to {@code capacity} positions. */
  public KvCache(int layers, int batch, int heads, int capacity, int headSize, DType dtype) {
    if (layers < 1 || batch < 1 || heads < 1 || capacity < 1 || headSize < 1) {
      throw new IllegalArgumentException("KvCache: layers, batch, heads, capacity and head size must be positive, but got "
          + layers + ", " + batch + ", " + heads + ", " + capacity + ", " + headSize);
    }
    this.shape = new int[] {batch, heads, capacity, headSize};
    this.keys = new Tensor[layers];
    this.values = new Tensor[layers];
    for (int i = 0; i < layers; i++) {
      keys[i] = Tensor.zeros(dtype, shape);
      values[i] = Tensor.zeros(dtype, shape);
    }
  }

  /** The positions stored. */
  public int length() {
    return length;
  }

  /** The most positions the cache holds (the model's block size). */
  public int capacity() {
    return shape[2];
  }

  /** Forgets every position (the buffers stay allocated). */
  public void clear() {
    length = 0;
  }

  /**
   * Stores {@code layer}'s keys and values of the {@code [batch, heads, t, head size]} new positions
   * after the {@link #length()} stored ones and returns {@code [keys, values]} of all
   * {@code length() + t} positions (views of the buffers). {@link #advance} counts the new positions
   * once every layer has stored them.
   */
  Tensor[] append(int layer, Tensor newKeys, Tensor newValues) {
    int t = newKeys.size(2);
    checkRows("keys", layer, newKeys, t);
    checkRows("values", layer, newValues, t);
    checkRoom(t);
    keys[layer].narrow(2, length, t).copyFrom(newKeys);
    values[layer].narrow(2, length, t).copyFrom(newValues);
    return new Tensor[] {keys[layer].narrow(2, 0, length + t), values[layer].narrow(2, 0, length + t)};
  }

  /** Counts {@code t} new positions as stored, after every layer has {@link #append appended} them. */
  void advance(int t) {
    checkRoom(t);
    length += t;
  }

  /** Refuses {@code t} new positions that would not fit. */
  void checkRoom(int t) {
    if (t < 1 || length + t > capacity()) {
      throw new IllegalArgumentException("KvCache: " + t + " new positions after the " + length + " stored ones need "
          + (length + t) + " positions, but the cache holds at most " + capacity() + " (the block size); clear() it and "
          + "read the last " + capacity() + " tokens again");
    }
  }

  /**
   * The attention mask of {@code t} new queries after the stored positions: null where every query
   * may see every key (one query, or a first read that {@code isCausal} covers), otherwise true
   * where new query i may attend to key j, that is j ≤ length() + i.
   */
  Tensor mask(int t) {
    if (t == 1 || length == 0) {
      return null;
    }
    int keysSeen = length + t;
    boolean[] allowed = new boolean[t * keysSeen];
    for (int i = 0; i < t; i++) {
      Arrays.fill(allowed, i * keysSeen, i * keysSeen + length + i + 1, true);
    }
    return Tensor.of(allowed, t, keysSeen);
  }

  private void checkRows(String what, int layer, Tensor rows, int t) {
    int[] expected = {shape[0], shape[1], t, shape[3]};
    if (layer < 0 || layer >= keys.length || !Arrays.equals(rows.shape(), expected)) {
      throw new IllegalArgumentException("KvCache: layer " + layer + " of " + keys.length + " expects new " + what + " of "
          + Arrays.toString(expected) + ", but got " + Arrays.toString(rows.shape()));
    }
  }
}
