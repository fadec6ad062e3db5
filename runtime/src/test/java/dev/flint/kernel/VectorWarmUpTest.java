package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the vector tier warms up, in a forked JVM with the module: not at the first small product (a
 * program's first prediction stays free of it), but once the pure-Java products have done
 * {@code flint.vector.warmupAfter} multiply-adds; after it the tier is active.
 */
class VectorWarmUpTest {

  @Test
  void theWarmUpStartsOnlyAfterEnoughPureJavaWork() throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Dflint.vector.warmupAfter=1000000",
        "-cp", System.getProperty("java.class.path"), VectorWarmUpProbe.class.getName());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      out = buf.toString(StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish in 60 s");
    assertEquals(0, p.exitValue(), "the probe JVM failed:\n" + out);
    assertEquals(List.of("first: started=false active=false", "after: started=true", "warm: true active=true"),
        out.lines().toList(), out);
  }
}
