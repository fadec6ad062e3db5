package dev.flint.io;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes safetensors files, the format of Hugging Face's {@code safetensors} library
 * that PyTorch users save models in. A file is an 8-byte little-endian header length N, N bytes
 * of JSON header ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
 * "__metadata__": {...}}}, padded with spaces to a multiple of 8), then the raw little-endian
 * tensor data.
 *
 * <p>Flint writes F32, F64, I64, I32 and BOOL and reads those plus F16 and BF16, which load as
 * FLOAT32 (exactly). Loading checks the whole header against the file size before allocating any
 * tensor, so a corrupt or hostile file fails with a {@link SafeTensorsException} that says what is
 * wrong, and never with an out-of-memory error. Saving is atomic: a temporary file in the same
 * directory is written, forced to disk and renamed over the target. I/O failures surface as
 * {@link UncheckedIOException}.
 */
public final class SafeTensors {
  private static final int CHUNK_BYTES = 1 << 16;

  private SafeTensors() {}

  /** The tensors and the string metadata of a safetensors file. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /**
   * One tensor's header entry.
   *
   * @param dtype the header's name for its element type: {@code F32}, {@code BF16}, {@code I64}
   * @param begin the first byte of its data, relative to the data section
   * @param end one past its last byte
   */
  public record TensorEntry(String name, String dtype, int[] shape, long begin, long end) {
    public TensorEntry {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** The bytes its data takes. */
    public long bytes() {
      return end - begin;
    }

    /** The Flint dtype it loads as (F16 and BF16 widen to FLOAT32). */
    public DType loadsAs() {
      return StDType.named(dtype).loadsAs;
    }
  }

  /**
   * A file's header: its tensors in header order, its {@code __metadata__}, the size of the JSON header
   * and of the data section in bytes.
   */
  public record Header(List<TensorEntry> tensors, Map<String, String> metadata, long headerBytes, long dataBytes) {}

  /** The validated header of a safetensors file; reads no tensor data. */
  public static Header readHeader(Path path) {
    return read(path, false).header();
  }

  /** The tensors of a safetensors file, in header order (an ordered, modifiable map). */
  public static Map<String, Tensor> load(Path path) {
    return read(path, true).tensors();
  }

  /** The tensors (in header order) and the {@code __metadata__} entries of a safetensors file. */
  public static Contents loadWithMetadata(Path path) {
    return read(path, true).contents();
  }

  /** The {@code __metadata__} entries of a safetensors file (empty when it has none); reads only the header. */
  public static Map<String, String> readMetadata(Path path) {
    return read(path, false).metadata();
  }

  /** Saves {@code tensors} (in map order) to {@code path}, atomically replacing any existing file. */
  public static void save(Map<String, Tensor> tensors, Path path) {
    save(tensors, path, Collections.emptyMap());
  }

  /**
   * Saves {@code tensors} (in map order) and the string {@code metadata} (stored as the header's
   * {@code __metadata__}) to {@code path}, atomically replacing any existing file.
   */
  public static void save(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(metadata, "metadata");
    String where = path.toString();
    List<Map.Entry<String, Tensor>> layout = dataLayout(where, tensors);
    byte[] header = header(tensors, layout, metadata, where);
    try {
      AtomicFiles.write(path, channel -> writeContent(channel, header, layout));
    } catch (IOException e) {
      throw new UncheckedIOException("could not save tensors to " + where + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------- reading

  private record Read(Contents contents, Header header) {
    Map<String, Tensor> tensors() {
      return contents.tensors();
    }

    Map<String, String> metadata() {
      return contents.metadata();
    }
  }

  private static Read read(Path path, boolean withTensors) {
    String where = path.toString();
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new SafeTensorsException(where + ": the file is " + fileSize
            + " bytes, too short for a safetensors file (an 8-byte header length comes first)");
      }
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, prefix, 0, where);
      long headerLength = prefix.getLong(0);
      SafeTensorsHeader.checkHeaderLength(where, headerLength, fileSize);
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8, where);
      long dataStart = 8 + headerLength;
      SafeTensorsHeader header = SafeTensorsHeader.parse(where, headerBytes.array(), fileSize - dataStart);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      if (withTensors) {
        for (SafeTensorsHeader.Entry e : header.entries) {
          tensors.put(e.name, readTensor(channel, dataStart, e, where));
        }
      }
      List<TensorEntry> entries = new ArrayList<>();
      for (SafeTensorsHeader.Entry e : header.entries) {
        entries.add(new TensorEntry(e.name, e.type.headerName, e.shape, e.begin, e.end));
      }
      return new Read(new Contents(tensors, header.metadata),
          new Header(List.copyOf(entries), header.metadata, headerLength, fileSize - dataStart));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read safetensors file " + where + ": " + e, e);
    }
  }

  private static Tensor readTensor(FileChannel channel, long dataStart, SafeTensorsHeader.Entry e, String where)
      throws IOException {
    Storage storage = Storage.allocate(e.type.loadsAs, e.numel);
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int perChunk = CHUNK_BYTES / e.type.byteSize;
    long position = dataStart + e.begin;
    for (int done = 0; done < e.numel; ) {
      int count = Math.min(perChunk, e.numel - done);
      buffer.clear().limit(count * e.type.byteSize);
      readFully(channel, buffer, position, where);
      buffer.flip();
      decode(buffer, e.type, storage, done, count);
      done += count;
      position += (long) count * e.type.byteSize;
    }
    return Internals.wrap(storage, e.shape);
  }

  private static void decode(ByteBuffer in, StDType type, Storage out, int at, int count) {
    switch (type) {
      case F32: in.asFloatBuffer().get(out.floats(), at, count); break;
      case F64: in.asDoubleBuffer().get(out.doubles(), at, count); break;
      case I64: in.asLongBuffer().get(out.longs(), at, count); break;
      case I32: in.asIntBuffer().get(out.ints(), at, count); break;
      case BOOL: {
        boolean[] b = out.bools();
        for (int i = 0; i < count; i++) {
          b[at + i] = in.get(i) != 0;
        }
        break;
      }
      case F16: {
        float[] f = out.floats();
        for (int i = 0; i < count; i++) {
          f[at + i] = StDType.halfToFloat(in.getShort(2 * i));
        }
        break;
      }
      default: {
        float[] f = out.floats();
        for (int i = 0; i < count; i++) {
          f[at + i] = StDType.bfloat16ToFloat(in.getShort(2 * i));
        }
      }
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position, String where) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new SafeTensorsException(where + ": the file ended at byte " + position
            + " while " + buffer.remaining() + " more bytes were expected: it is truncated");
      }
      position += n;
    }
  }

  // ---------------------------------------------------------------- writing

  // Data goes in order of decreasing element size, so every tensor starts aligned to its element
  // size (the header is padded to a multiple of 8), as the reference writer does.
  private static List<Map.Entry<String, Tensor>> dataLayout(String where, Map<String, Tensor> tensors) {
    List<Map.Entry<String, Tensor>> layout = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null) {
        throw new SafeTensorsException(where + ": a tensor name is null");
      }
      if (name.equals(SafeTensorsHeader.METADATA_KEY)) {
        throw new SafeTensorsException(where + ": \"" + name + "\" is reserved for metadata and cannot name a tensor");
      }
      if (e.getValue() == null) {
        throw new SafeTensorsException(where + ": tensor '" + name + "' is null");
      }
      layout.add(Map.entry(name, e.getValue()));
    }
    layout.sort((a, b) -> Integer.compare(b.getValue().dtype().byteSize(), a.getValue().dtype().byteSize()));
    return layout;
  }

  private static byte[] header(Map<String, Tensor> tensors, List<Map.Entry<String, Tensor>> layout,
      Map<String, String> metadata, String where) {
    Map<String, long[]> offsets = new LinkedHashMap<>();
    long at = 0;
    for (Map.Entry<String, Tensor> e : layout) {
      long bytes = (long) e.getValue().numel() * e.getValue().dtype().byteSize();
      offsets.put(e.getKey(), new long[] {at, at + bytes});
      at += bytes;
    }
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      Json.writeString(json, SafeTensorsHeader.METADATA_KEY);
      json.append(":{");
      boolean first = true;
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        if (m.getKey() == null || m.getValue() == null) {
          throw new SafeTensorsException(where + ": metadata keys and values must not be null, but found "
              + m.getKey() + " = " + m.getValue());
        }
        json.append(first ? "" : ",");
        first = false;
        Json.writeString(json, m.getKey());
        json.append(':');
        Json.writeString(json, m.getValue());
      }
      json.append('}');
    }
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      long[] range = offsets.get(e.getKey());
      json.append(json.length() > 1 ? "," : "");
      Json.writeString(json, e.getKey());
      json.append(":{\"dtype\":\"").append(StDType.of(t.dtype()).headerName).append("\",\"shape\":[");
      int[] shape = t.shape();
      for (int d = 0; d < shape.length; d++) {
        json.append(d == 0 ? "" : ",").append(shape[d]);
      }
      json.append("],\"data_offsets\":[").append(range[0]).append(',').append(range[1]).append("]}");
    }
    json.append('}');
    byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (text.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(text, 0, out, 0, text.length);
    for (int i = text.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  private static void writeContent(FileChannel channel, byte[] header, List<Map.Entry<String, Tensor>> layout)
      throws IOException {
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
    prefix.flip();
    writeFully(channel, prefix);
    writeFully(channel, ByteBuffer.wrap(header));
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, Tensor> e : layout) {
      Tensor t = e.getValue();
      // A non-contiguous view (a transpose, a slice) is written in its logical row-major order.
      Tensor c = t.isContiguous() ? t : t.copyData();
      int size = c.dtype().byteSize();
      int perChunk = CHUNK_BYTES / size;
      int numel = c.numel();
      for (int done = 0; done < numel; ) {
        int count = Math.min(perChunk, numel - done);
        buffer.clear();
        encode(c.storage(), c.offset() + done, count, buffer);
        buffer.position(0).limit(count * size);
        writeFully(channel, buffer);
        done += count;
      }
    }
  }

  private static void encode(Storage s, int from, int count, ByteBuffer out) {
    DType dtype = s.dtype();
    switch (dtype) {
      case FLOAT32: out.asFloatBuffer().put(s.floats(), from, count); break;
      case FLOAT64: out.asDoubleBuffer().put(s.doubles(), from, count); break;
      case INT64: out.asLongBuffer().put(s.longs(), from, count); break;
      case INT32: out.asIntBuffer().put(s.ints(), from, count); break;
      default: {
        boolean[] b = s.bools();
        for (int i = 0; i < count; i++) {
          out.put(i, (byte) (b[from + i] ? 1 : 0));
        }
      }
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
