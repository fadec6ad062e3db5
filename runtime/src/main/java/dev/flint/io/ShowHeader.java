package dev.flint.io;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A command that prints a safetensors file's header without reading tensor data, like the
 * {@code safetensors} CLI: each tensor's name, dtype, shape, bytes and data offsets, then the metadata.
 *
 * <pre>{@code java -cp flint-runtime.jar dev.flint.io.ShowHeader model.safetensors}</pre>
 *
 * <p>Exit status 0, or 1 with the reason on standard error for a file that is not valid safetensors.
 */
public final class ShowHeader {
  private ShowHeader() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command without {@code System.exit}: prints each file's header, returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("usage: java -cp flint-runtime.jar dev.flint.io.ShowHeader FILE.safetensors...");
      return 2;
    }
    int status = 0;
    for (String a : args) {
      Path path = Path.of(a);
      try {
        out.print(render(path, SafeTensors.readHeader(path)));
      } catch (SafeTensorsException | UncheckedIOException e) {
        err.println(e.getMessage());
        status = 1;
      }
    }
    return status;
  }

  /** The header as an aligned table, then the metadata. */
  static String render(Path path, SafeTensors.Header h) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"name", "dtype", "shape", "bytes", "offsets"});
    for (SafeTensors.TensorEntry e : h.tensors()) {
      rows.add(new String[] {e.name(), e.dtype(), Arrays.toString(e.shape()), String.format("%,d", e.bytes()),
          "[" + e.begin() + ", " + e.end() + ")"});
    }
    int[] width = new int[5];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    });
    StringBuilder sb = new StringBuilder(String.format("%s: %d tensors, %,d bytes of data, %,d-byte header%n", path,
        h.tensors().size(), h.dataBytes(), h.headerBytes()));
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < r.length; i++) {
        boolean right = i == 3;
        line.append(right ? " ".repeat(width[i] - r[i].length()) + r[i] : r[i] + " ".repeat(width[i] - r[i].length()));
        line.append(i < r.length - 1 ? "  " : "");
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    if (h.metadata().isEmpty()) {
      sb.append("metadata: none\n");
    } else {
      sb.append("metadata:\n");
      for (Map.Entry<String, String> m : h.metadata().entrySet()) {
        sb.append("  ").append(m.getKey()).append(": ").append(m.getValue()).append('\n');
      }
    }
    return sb.toString();
  }
}
