package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header command: names, dtypes, shapes, bytes, offsets and metadata of a file; a clear error for a bad one. */
class ShowHeaderTest {
  @TempDir Path dir;

  @Test
  void printsEveryTensorAndTheMetadata() throws Exception {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("fc1.weight", Tensor.zeros(20, 10));
    t.put("fc1.bias", Tensor.zeros(DType.FLOAT64, 20));
    t.put("bn.num_batches_tracked", Tensor.scalar(3L));
    Path file = dir.resolve("m.safetensors");
    SafeTensors.save(t, file, Map.of("format", "pt"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ShowHeader.run(new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    // the data section holds 8-byte types first (the reference writer's alignment order)
    long header = Files.size(file) - 8 - (800 + 160 + 8);
    assertEquals(file + ": 3 tensors, 968 bytes of data, " + header + "-byte header\n"
        + "  name                    dtype  shape     bytes  offsets\n"
        + "  fc1.weight              F32    [20, 10]    800  [168, 968)\n"
        + "  fc1.bias                F64    [20]        160  [0, 160)\n"
        + "  bn.num_batches_tracked  I64    []            8  [160, 168)\n"
        + "metadata:\n"
        + "  format: pt\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aCorruptFileIsReportedWithExitStatusOne() throws Exception {
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ShowHeader.run(new String[] {file.toString()}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    assertEquals(file + ": header length 255 exceeds the 2 bytes that follow the 8-byte length prefix (the file is 10"
        + " bytes): the header length is corrupt or the file is truncated\n", err.toString(StandardCharsets.UTF_8));
  }
}
