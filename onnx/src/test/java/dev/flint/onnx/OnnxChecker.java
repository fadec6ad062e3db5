package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code onnx.checker.check_model(model, full_check=True)} from the onnx Python package (Debian's
 * python3-onnx) on an exported file; a JUnit assumption skips the check where that package is not
 * installed.
 */
final class OnnxChecker {
  static final String PYTHON = "/usr/bin/python3";
  private static Boolean available;

  private OnnxChecker() {}

  static synchronized boolean available() {
    if (available == null) {
      available = Files.isExecutable(Path.of(PYTHON)) && run("import onnx").exit() == 0;
    }
    return available;
  }

  /** The checker accepts {@code file}; skipped (an assumption) without python3-onnx. */
  static void assertValid(Path file) {
    assumeTrue(available(), "python3-onnx is not installed (" + PYTHON + " -c 'import onnx' failed): onnx.checker skipped");
    Result r = run("import onnx, sys\nm = onnx.load(sys.argv[1])\nonnx.checker.check_model(m, full_check=True)\n"
        + "print('ok', m.ir_version, m.opset_import[0].version)", file.toString());
    assertEquals(0, r.exit(), "onnx.checker rejected " + file.getFileName() + ":\n" + r.output());
  }

  record Result(int exit, String output) {}

  static Result run(String script, String... args) {
    String[] command = new String[3 + args.length];
    command[0] = PYTHON;
    command[1] = "-c";
    command[2] = script;
    System.arraycopy(args, 0, command, 3, args.length);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
