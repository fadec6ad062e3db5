package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.internal.Internals;
import dev.flint.tensor.DType;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @TempDir Path dir;

  // ---------------------------------------------------------------- round trips

  @Test
  void roundTripsEveryWritableDtypeInOrder() {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("f32", Tensor.of(new float[] {1.5f, -0.0f, Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE, -3e-7f}, 2, 3));
    in.put("f64", Tensor.of(new double[] {Math.PI, -1e300, Double.NEGATIVE_INFINITY, 4.9e-324}, 2, 2));
    in.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}));
    in.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 3, 1));
    in.put("bool", Tensor.of(new boolean[] {true, false, false, true, true}));
    in.put("scalar", Tensor.scalar(2.25));
    in.put("empty", Tensor.zeros(DType.FLOAT64, 0, 3));
    Path file = dir.resolve("all.safetensors");
    SafeTensors.save(in, file);

    Map<String, Tensor> out = SafeTensors.load(file);
    assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()), "header order is kept");
    for (String name : in.keySet()) {
      Tensor a = in.get(name);
      Tensor b = out.get(name);
      assertEquals(a.dtype(), b.dtype(), name);
      assertArrayEquals(a.shape(), b.shape(), name);
      assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0.0, name);
    }
    // bit-exact, including NaN and signed zero
    float[] f = in.get("f32").toFloatArray();
    float[] g = out.get("f32").toFloatArray();
    for (int i = 0; i < f.length; i++) {
      assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(g[i]));
    }
    assertArrayEquals(in.get("i64").toLongArray(), out.get("i64").toLongArray());
    assertArrayEquals(in.get("bool").toBooleanArray(), out.get("bool").toBooleanArray());
  }

  @Test
  void savesNonContiguousViewsInLogicalOrder() throws IOException {
    // [[0,1,2],[3,4,5]] transposed is [[0,3],[1,4],[2,5]]
    Storage storage = Storage.of(new float[] {0, 1, 2, 3, 4, 5});
    Tensor transposed = Internals.view(storage, 0, new int[] {3, 2}, new int[] {1, 3});
    // the second column [1, 4] of the original, a strided view with an offset
    Tensor column = Internals.view(storage, 1, new int[] {2}, new int[] {3});
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("t", transposed);
    in.put("c", column);
    Path file = dir.resolve("views.safetensors");
    SafeTensors.save(in, file);

    Map<String, Tensor> out = SafeTensors.load(file);
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, out.get("t").toFloatArray());
    assertArrayEquals(new int[] {3, 2}, out.get("t").shape());
    assertArrayEquals(new float[] {1, 4}, out.get("c").toFloatArray());
    // the bytes on disk are the logical order, independently of the reader
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 32, 32).slice().order(ByteOrder.LITTLE_ENDIAN);
    float[] raw = new float[8];
    data.asFloatBuffer().get(raw);
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5, 1, 4}, raw);
  }

  @Test
  void metadataRoundTripsAndReadsWithoutTensors() {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put("note", "quotes \" and \\ and\nnewlines and ünïcödé");
    Path file = dir.resolve("meta.safetensors");
    SafeTensors.save(Map.of("w", Tensor.ones(2)), file, meta);

    assertEquals(meta, SafeTensors.readMetadata(file));
    SafeTensors.Contents contents = SafeTensors.loadWithMetadata(file);
    assertEquals(meta, contents.metadata());
    assertArrayEquals(new float[] {1, 1}, contents.tensors().get("w").toFloatArray());
    assertTrue(SafeTensors.readMetadata(save(Map.of("w", Tensor.ones(1)))).isEmpty());
  }

  // ---------------------------------------------------------------- byte-exact goldens

  /**
   * The serialization test vector of the reference implementation (huggingface/safetensors,
   * bindings/python/tests/test_simple.py, test_serialization: a 2×2 int32 array with [1, 1] = 1):
   * a 60-byte header padded with spaces to 64 ('@'), then 16 bytes of little-endian data.
   */
  @Test
  void writesTheReferenceImplementationsBytes() throws IOException {
    byte[] expected = referenceVector();
    Path file = dir.resolve("test.safetensors");
    SafeTensors.save(Map.of("test", Tensor.of(new int[] {0, 0, 0, 1}, 2, 2)), file);
    assertArrayEquals(expected, Files.readAllBytes(file));
  }

  /**
   * The Rust crate's serialization test vector (huggingface/safetensors, safetensors/src/tensor.rs,
   * test_serialization): "attn.0", F32 of shape [1, 2, 3] holding 0..5; its 64-byte header needs no
   * padding. The bytes are copied from that test.
   */
  @Test
  void writesTheRustCratesTestVector() throws IOException {
    int[] expected = {
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
      116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
      58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
      101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
      0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64
    };
    Path file = dir.resolve("attn.safetensors");
    SafeTensors.save(Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), file);
    byte[] actual = Files.readAllBytes(file);
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals((byte) expected[i], actual[i], "byte " + i);
    }
  }

  @Test
  void readsTheCommittedReferenceFixture() throws IOException {
    // runtime/src/test/resources/safetensors/reference_i32.safetensors holds the same bytes as
    // referenceVector() (see the README next to it); this checks the file and the reader together.
    byte[] fixture;
    try (InputStream in = getClass().getResourceAsStream("/safetensors/reference_i32.safetensors")) {
      fixture = in.readAllBytes();
    }
    assertArrayEquals(referenceVector(), fixture);
    Path file = dir.resolve("fixture.safetensors");
    Files.write(file, fixture);
    Tensor t = SafeTensors.load(file).get("test");
    assertEquals(DType.INT32, t.dtype());
    assertArrayEquals(new int[] {2, 2}, t.shape());
    assertArrayEquals(new int[] {0, 0, 0, 1}, t.toIntArray());
  }

  private static byte[] referenceVector() {
    String header = "{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}    ";
    ByteBuffer b = ByteBuffer.allocate(8 + 64 + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'@', 0, 0, 0, 0, 0, 0, 0});
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.put(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0});
    return b.array();
  }

  @Test
  void writesMixedDtypesAndMetadataByteExactly() throws IOException {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("a", Tensor.of(new float[] {1.5f, -2f}));
    in.put("mask", Tensor.of(new boolean[] {true, false, true}));
    in.put("b", Tensor.of(new long[] {7, -1}, 2, 1));
    Path file = dir.resolve("mixed.safetensors");
    SafeTensors.save(in, file, Map.of("epoch", "3"));

    // Header order is the map's; data is laid out by decreasing element size: b, a, mask.
    String json = "{\"__metadata__\":{\"epoch\":\"3\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]},"
        + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[24,27]},"
        + "\"b\":{\"dtype\":\"I64\",\"shape\":[2,1],\"data_offsets\":[0,16]}}";
    int padded = (json.length() + 7) / 8 * 8;
    ByteBuffer expected = ByteBuffer.allocate(8 + padded + 27).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
    for (int i = json.length(); i < padded; i++) {
      expected.put((byte) ' ');
    }
    expected.putLong(7).putLong(-1).putFloat(1.5f).putFloat(-2f).put((byte) 1).put((byte) 0).put((byte) 1);
    assertArrayEquals(expected.array(), Files.readAllBytes(file));
  }

  @Test
  void readsHalfAndBfloat16AsExactFloat32() throws IOException {
    // F16: 1.0, -2.0, smallest subnormal 2^-24, largest finite 65504, +inf, 0x3555 = 1365/4096
    short[] half = {0x3C00, (short) 0xC000, 0x0001, 0x7BFF, 0x7C00, 0x3555};
    // BF16: the top 16 bits of the float: 1.0, 3.140625, -123.5, -0.0
    short[] bf16 = {0x3F80, 0x4049, (short) 0xC2F7, (short) 0x8000};
    ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : half) {
      data.putShort(s);
    }
    for (short s : bf16) {
      data.putShort(s);
    }
    Path file = writeRaw("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[12,20]}}", data.array());
    Map<String, Tensor> out = SafeTensors.load(file);
    assertEquals(DType.FLOAT32, out.get("h").dtype());
    assertArrayEquals(new int[] {2, 3}, out.get("h").shape());
    assertArrayEquals(new float[] {1f, -2f, (float) Math.scalb(1.0, -24), 65504f, Float.POSITIVE_INFINITY, 1365f / 4096f},
        out.get("h").toFloatArray());
    float[] b = out.get("b").toFloatArray();
    assertArrayEquals(new float[] {1f, 3.140625f, -123.5f, -0.0f}, b);
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(b[3]));
  }

  @Test
  void halfConversionIsExactForEveryBitPattern() {
    // Independent truth: sign * 2^(e-15) * (1 + m/1024), or sign * 2^-14 * m/1024 for subnormals.
    for (int bits = 0; bits < 0x10000; bits++) {
      int e = (bits >>> 10) & 0x1F;
      int m = bits & 0x3FF;
      double sign = (bits & 0x8000) != 0 ? -1 : 1;
      float got = StDType.halfToFloat((short) bits);
      if (e == 0x1F) {
        assertTrue(m == 0 ? Float.isInfinite(got) : Float.isNaN(got), Integer.toHexString(bits));
        continue;
      }
      double want = e == 0 ? sign * Math.scalb(m / 1024.0, -14) : sign * Math.scalb(1 + m / 1024.0, e - 15);
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), Integer.toHexString(bits));
    }
  }

  // ---------------------------------------------------------------- corrupt and hostile files

  @Test
  void refusesAFileShorterThanTheLengthPrefix() throws IOException {
    Path file = dir.resolve("short.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertMessage(file, "too short for a safetensors file");
  }

  @Test
  void refusesAHeaderLengthBeyondTheFileSize() throws IOException {
    Path file = dir.resolve("long.safetensors");
    ByteBuffer b = ByteBuffer.allocate(8 + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}  ".getBytes(StandardCharsets.US_ASCII));
    Files.write(file, b.array());
    assertMessage(file, "header length 1000 exceeds the 4 bytes that follow the 8-byte length prefix");
    // a length with the top bit set (negative as a Java long) is refused the same way
    b.putLong(0, -8);
    Files.write(file, b.array());
    assertMessage(file, "header length 18446744073709551608 exceeds");
  }

  @Test
  void refusesAnAbsurdHeaderLengthEvenWhenTheFileIsThatLarge() throws IOException {
    Path file = dir.resolve("huge.safetensors");
    long claimed = 150_000_000L;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(claimed).array();
      raf.write(prefix);
      raf.setLength(8 + claimed + 16); // sparse: no disk space used
    }
    assertMessage(file, "header length 150000000 is larger than the 100000000-byte limit");
  }

  @Test
  void refusesInvalidJson() throws IOException {
    assertMessage(writeRaw("{\"a\":{\"dtype\":\"F32\",", new byte[0]), "the header is not valid JSON");
    assertMessage(writeRaw("[1, 2]", new byte[0]), "the header must be a JSON object, but it is an array");
    Path notUtf8 = dir.resolve("latin1.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8)
        .put(new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}', ' '});
    Files.write(notUtf8, b.array());
    assertMessage(notUtf8, "the header is not valid UTF-8");
  }

  @Test
  void refusesAnUnknownDtype() throws IOException {
    Path file = writeRaw("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
    assertMessage(file, "unknown dtype 'F8_E4M3' for tensor 'x'; supported: F32, F64, I64, I32, BOOL, F16, BF16");
  }

  @Test
  void refusesOffsetsOutOfRangeBeforeAllocating() throws IOException {
    // claims 2^31-1 doubles (16 GiB) in a file of a few bytes: refused, never allocated
    long bytes = (long) Integer.MAX_VALUE * 8;
    Path file = writeRaw("{\"x\":{\"dtype\":\"F64\",\"shape\":[2147483647],\"data_offsets\":[0," + bytes + "]}}", new byte[8]);
    assertMessage(file, "tensor 'x': data_offsets [0, " + bytes + "] reach beyond the end of the data section, which holds 8 bytes");
  }

  @Test
  void refusesOverlappingTensors() throws IOException {
    Path file = writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
    assertMessage(file, "tensors 'a' [0, 8) and 'b' [4, 12) overlap in the data section");
  }

  @Test
  void refusesOffsetsThatDoNotMatchShapeAndDtype() throws IOException {
    Path file = writeRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]);
    assertMessage(file, "tensor 'w': shape [2, 3] of dtype F32 needs 24 bytes, but data_offsets [0, 20] span 20");
  }

  @Test
  void refusesTruncatedData() throws IOException {
    Path good = dir.resolve("good.safetensors");
    SafeTensors.save(Map.of("w", Tensor.ones(4, 4)), good);
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 5));
    assertMessage(truncated, "the offsets are out of range or the file is truncated");
  }

  @Test
  void refusesDuplicateNames() throws IOException {
    Path file = writeRaw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
    assertMessage(file, "the header names tensor 'w' twice");
    Path nested = writeRaw("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
    assertMessage(nested, "the header is not valid JSON: duplicate key \"dtype\"");
  }

  @Test
  void refusesGapsTrailingBytesAndMalformedEntries() throws IOException {
    assertMessage(writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
        "bytes [0, 4) of the data section belong to no tensor (before tensor 'a')");
    assertMessage(writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]),
        "the data section holds 8 bytes, but the tensors use only 4");
    assertMessage(writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
        "tensor 'a': \"shape\" must hold non-negative integers, but element 0 is -1");
    assertMessage(writeRaw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", new byte[4]),
        "tensor 'a': \"data_offsets\" must have 2 integers, but it has 1");
    assertMessage(writeRaw("{\"__metadata__\":{\"n\":1}}", new byte[0]), "metadata entry \"n\" must be a string, but it is 1");
  }

  @Test
  void messagesNameTheFile() throws IOException {
    Path file = writeRaw("{\"x\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
  }

  // ---------------------------------------------------------------- atomic saves

  @Test
  void replacesAnExistingFile() {
    Path file = dir.resolve("model.safetensors");
    SafeTensors.save(Map.of("w", Tensor.zeros(3)), file);
    SafeTensors.save(Map.of("w", Tensor.ones(2)), file);
    assertArrayEquals(new float[] {1, 1}, SafeTensors.load(file).get("w").toFloatArray());
    assertEquals(List.of(file), listDir());
  }

  @Test
  void anInterruptedSaveLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    SafeTensors.save(Map.of("w", Tensor.full(3, 4)), file);
    byte[] before = Files.readAllBytes(file);

    // An interrupt closes the file channel during the first write (ClosedByInterruptException):
    // the save fails after its temporary file exists, as a killed or cancelled save would.
    Thread.currentThread().interrupt();
    try {
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> SafeTensors.save(Map.of("w", Tensor.full(9, 1000)), file));
      assertTrue(e.getMessage().startsWith("could not save tensors to " + file), e.getMessage());
    } finally {
      Thread.interrupted();
    }
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(file), listDir(), "no temporary file is left behind");
  }

  @Test
  void anInvalidSaveTouchesNothing() throws IOException {
    Path file = dir.resolve("model.safetensors");
    SafeTensors.save(Map.of("w", Tensor.ones(1)), file);
    byte[] before = Files.readAllBytes(file);
    Map<String, Tensor> bad = new LinkedHashMap<>();
    bad.put("w", Tensor.zeros(1));
    bad.put("__metadata__", Tensor.zeros(1));
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.save(bad, file));
    assertTrue(e.getMessage().contains("\"__metadata__\" is reserved for metadata"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(file), listDir());
  }

  @Test
  void savingIntoAMissingDirectoryFailsClearly() {
    Path file = dir.resolve("no-such-dir").resolve("m.safetensors");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SafeTensors.save(Map.of("w", Tensor.ones(1)), file));
    assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("no-such-dir")));
  }

  // ---------------------------------------------------------------- helpers

  private Path save(Map<String, Tensor> tensors) {
    Path file = dir.resolve("t" + System.nanoTime() + ".safetensors");
    SafeTensors.save(tensors, file);
    return file;
  }

  private Path writeRaw(String headerJson, byte[] data) throws IOException {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header).put(data);
    Path file = dir.resolve("raw" + System.nanoTime() + ".safetensors");
    Files.write(file, b.array());
    return file;
  }

  private static void assertMessage(Path file, String expected) {
    SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(file));
    assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
  }

  private List<Path> listDir() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
