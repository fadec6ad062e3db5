package dev.flint.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated safetensors header: the tensor entries in header order and the
 * free-form string metadata. Validation checks everything that could make a reader allocate
 * more than the file holds or read the wrong bytes, the same rules as the reference Rust
 * implementation: known dtypes, offsets that match shape × dtype size, lie inside the data
 * section, and tile it exactly (no overlaps, no gaps, no trailing bytes).
 */
final class SafeTensorsHeader {
  /** The reference implementation's limit on the header size. */
  static final long MAX_HEADER_BYTES = 100_000_000L;
  static final String METADATA_KEY = "__metadata__";

  /** One tensor's header entry; offsets are relative to the start of the data section. */
  static final class Entry {
    final String name;
    final StDType type;
    final int[] shape;
    final int numel;
    final long begin;
    final long end;

    Entry(String name, StDType type, int[] shape, int numel, long begin, long end) {
      this.name = name;
      this.type = type;
      this.shape = shape;
      this.numel = numel;
      this.begin = begin;
      this.end = end;
    }
  }

  final List<Entry> entries;
  final Map<String, String> metadata;

  private SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Checks the 8-byte length prefix against the file size before anything is allocated.
   *
   * @param where the file, for messages
   * @param headerLength the prefix read as an unsigned little-endian value (negative if huge)
   * @param fileSize the file's size in bytes
   */
  static void checkHeaderLength(String where, long headerLength, long fileSize) {
    if (headerLength < 0 || headerLength > fileSize - 8) {
      throw new SafeTensorsException(where + ": header length " + Long.toUnsignedString(headerLength)
          + " exceeds the " + (fileSize - 8) + " bytes that follow the 8-byte length prefix"
          + " (the file is " + fileSize + " bytes): the header length is corrupt or the file is truncated");
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new SafeTensorsException(where + ": header length " + headerLength
          + " is larger than the " + MAX_HEADER_BYTES + "-byte limit for safetensors headers");
    }
    if (headerLength < 2) {
      throw new SafeTensorsException(where + ": header length " + headerLength
          + " is too small for a JSON object (at least 2 bytes, \"{}\")");
    }
  }

  /** Parses and validates a header whose data section holds {@code dataBytes} bytes. */
  static SafeTensorsHeader parse(String where, byte[] headerBytes, long dataBytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(headerBytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SafeTensorsException(where + ": the header is not valid UTF-8 text");
    }
    Object json;
    try {
      json = Json.parse(text);
    } catch (Json.ParseException e) {
      if (e.duplicateTopLevelKey != null) {
        throw new SafeTensorsException(where + ": the header names tensor '" + e.duplicateTopLevelKey
            + "' twice (duplicate tensor names are ambiguous)");
      }
      throw new SafeTensorsException(where + ": the header is not valid JSON: " + e.getMessage());
    }
    if (!(json instanceof Map)) {
      throw new SafeTensorsException(where + ": the header must be a JSON object, but it is " + describe(json));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> top = (Map<String, Object>) json;
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = Collections.emptyMap();
    for (Map.Entry<String, Object> e : top.entrySet()) {
      if (e.getKey().equals(METADATA_KEY)) {
        metadata = metadata(where, e.getValue());
      } else {
        entries.add(entry(where, e.getKey(), e.getValue()));
      }
    }
    checkLayout(where, entries, dataBytes);
    return new SafeTensorsHeader(Collections.unmodifiableList(entries), metadata);
  }

  private static Map<String, String> metadata(String where, Object value) {
    if (!(value instanceof Map)) {
      throw new SafeTensorsException(where + ": \"__metadata__\" must be an object of strings, but it is " + describe(value));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      if (!(e.getValue() instanceof String)) {
        throw new SafeTensorsException(where + ": metadata entry \"" + e.getKey()
            + "\" must be a string, but it is " + describe(e.getValue()));
      }
      out.put((String) e.getKey(), (String) e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  private static Entry entry(String where, String name, Object value) {
    String tensor = where + ": tensor '" + name + "'";
    if (!(value instanceof Map)) {
      throw new SafeTensorsException(tensor + ": expected an object with dtype, shape and data_offsets, but found " + describe(value));
    }
    Map<?, ?> info = (Map<?, ?>) value;
    Object dtypeValue = info.get("dtype");
    if (!(dtypeValue instanceof String)) {
      throw new SafeTensorsException(tensor + ": \"dtype\" must be a string, but it is " + describe(dtypeValue));
    }
    StDType type = StDType.named((String) dtypeValue);
    if (type == null) {
      throw new SafeTensorsException(where + ": unknown dtype '" + dtypeValue + "' for tensor '" + name
          + "'; supported: " + StDType.SUPPORTED);
    }
    long[] shapeValues = integers(tensor, "shape", info.get("shape"), -1);
    int[] shape = new int[shapeValues.length];
    long numel = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shapeValues[d] > Integer.MAX_VALUE) {
        throw new SafeTensorsException(tensor + ": dimension " + d + " of shape " + Arrays.toString(shapeValues)
            + " is larger than Flint's limit of 2^31-1");
      }
      shape[d] = (int) shapeValues[d];
      numel = shape[d] == 0 ? 0 : numel * shape[d];
      if (numel > Integer.MAX_VALUE) {
        throw new SafeTensorsException(tensor + ": shape " + Arrays.toString(shapeValues)
            + " has more than 2^31-1 elements, more than a Flint tensor holds");
      }
    }
    long[] offsets = integers(tensor, "data_offsets", info.get("data_offsets"), 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin) {
      throw new SafeTensorsException(tensor + ": data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    long needed = numel * type.byteSize;
    if (end - begin != needed) {
      throw new SafeTensorsException(tensor + ": shape " + Arrays.toString(shape) + " of dtype " + type.headerName
          + " needs " + needed + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
    }
    return new Entry(name, type, shape, (int) numel, begin, end);
  }

  // A JSON array of non-negative integers, of the given length unless it is -1.
  private static long[] integers(String tensor, String key, Object value, int length) {
    if (!(value instanceof List)) {
      throw new SafeTensorsException(tensor + ": \"" + key + "\" must be an array of integers, but it is " + describe(value));
    }
    List<?> list = (List<?>) value;
    if (length >= 0 && list.size() != length) {
      throw new SafeTensorsException(tensor + ": \"" + key + "\" must have " + length + " integers, but it has " + list.size());
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = list.get(i);
      if (!(v instanceof Long) || (Long) v < 0) {
        throw new SafeTensorsException(tensor + ": \"" + key + "\" must hold non-negative integers, but element "
            + i + " is " + v);
      }
      out[i] = (Long) v;
    }
    return out;
  }

  // The entries, in offset order, must tile [0, dataBytes) exactly.
  private static void checkLayout(String where, List<Entry> entries, long dataBytes) {
    for (Entry e : entries) {
      if (e.end > dataBytes) {
        throw new SafeTensorsException(where + ": tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end
            + "] reach beyond the end of the data section, which holds " + dataBytes
            + " bytes: the offsets are out of range or the file is truncated");
      }
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong((Entry e) -> e.begin).thenComparingLong(e -> e.end));
    long expected = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin < expected) {
        throw new SafeTensorsException(where + ": tensors '" + previous.name + "' [" + previous.begin + ", "
            + previous.end + ") and '" + e.name + "' [" + e.begin + ", " + e.end + ") overlap in the data section");
      }
      if (e.begin > expected) {
        throw new SafeTensorsException(where + ": bytes [" + expected + ", " + e.begin
            + ") of the data section belong to no tensor (before tensor '" + e.name + "')");
      }
      expected = e.end;
      previous = e;
    }
    if (expected != dataBytes) {
      throw new SafeTensorsException(where + ": the data section holds " + dataBytes + " bytes, but the tensors use only "
          + expected + ": the file has trailing bytes or its header is incomplete");
    }
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof String) {
      return "the string \"" + v + "\"";
    }
    return v.toString();
  }
}
