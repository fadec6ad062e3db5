package dev.flint.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protocol-buffers message being written, in the wire format of the protobuf encoding guide
 * (https://protobuf.dev/programming-guides/encoding/): each field is a tag (field number and wire
 * type as a varint) followed by a varint, a 32-bit little-endian value, or a varint length and that
 * many bytes (strings, bytes, nested messages). Only what ONNX files need; repeated numbers are
 * written unpacked, one tag each, which every proto2 and proto3 parser reads.
 */
final class ProtoWriter {
  static final int VARINT = 0;
  static final int FIXED32 = 5;
  static final int LENGTH_DELIMITED = 2;

  private byte[] bytes = new byte[64];
  private int size;

  /** A varint field ({@code int32}, {@code int64}, enums): negatives take ten bytes, as protobuf's. */
  ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  /** A repeated varint field, one tag per element. */
  ProtoWriter varints(int field, long... values) {
    for (long v : values) {
      varint(field, v);
    }
    return this;
  }

  /** A {@code float} field (32 bits, little-endian). */
  ProtoWriter float32(int field, float value) {
    tag(field, FIXED32);
    int b = Float.floatToIntBits(value);
    for (int i = 0; i < 4; i++) {
      put((byte) (b >>> (8 * i)));
    }
    return this;
  }

  /** A {@code string} field in UTF-8; an empty one is still written (proto2 presence). */
  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code bytes} field. */
  ProtoWriter bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, bytes, size, value.length);
    size += value.length;
    return this;
  }

  /** A nested message field. */
  ProtoWriter message(int field, ProtoWriter message) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(message.size);
    ensure(message.size);
    System.arraycopy(message.bytes, 0, bytes, size, message.size);
    size += message.size;
    return this;
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void tag(int field, int wireType) {
    if (field < 1 || field > (1 << 29) - 1) {
      throw new IllegalArgumentException("protobuf field numbers are 1 to 2^29-1, but got " + field);
    }
    rawVarint(((long) field << 3) | wireType);
  }

  /** Seven bits per byte, least significant first, the high bit set on all but the last. */
  private void rawVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    put((byte) v);
  }

  private void put(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      long wanted = Math.max((long) bytes.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("an ONNX message over 2 GB cannot be written as one protobuf (needs "
            + wanted + " bytes); ONNX keeps such weights in external data, which this exporter does not write");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
  }
}
