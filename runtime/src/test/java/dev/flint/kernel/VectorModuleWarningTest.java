package dev.flint.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The warning of a JVM without {@code jdk.incubator.vector}: when it applies, what it says, and, in
 * forked JVMs launched as a user would, that it is logged exactly once however many kernels run, and
 * never with the module or with {@code -Dflint.vector=false}.
 */
class VectorModuleWarningTest {

  @Test
  void appliesOnlyWhenTheModuleIsMissingAndThePureJavaKernelsWereNotChosen() {
    assertTrue(VectorModuleWarning.applies(false, null));
    assertTrue(VectorModuleWarning.applies(false, "true"));
    assertFalse(VectorModuleWarning.applies(false, "false"));
    assertFalse(VectorModuleWarning.applies(false, " FALSE "));
    assertFalse(VectorModuleWarning.applies(true, null));
    assertFalse(VectorModuleWarning.applies(true, "false"));
  }

  @Test
  void logsOneWarningThatNamesTheFlagAndTheSlowdown() {
    RecordingLogger log = new RecordingLogger();
    VectorModuleWarning.log(log);
    assertEquals(List.of(Level.WARNING), log.levels);
    String message = log.messages.get(0);
    assertTrue(message.contains("--add-modules jdk.incubator.vector"), message);
    assertTrue(message.matches(".*\\d+x slower.*"), message);
    assertTrue(message.contains("-Dflint.vector=false"), message);
  }

  @Test
  void aJvmWithoutTheModuleWarnsOnceAtFirstUse() throws Exception {
    String err = runProbe();
    assertEquals(1, count(err, "Flint: the jdk.incubator.vector module is not loaded"), err);
    assertTrue(err.indexOf("probe: first use") < err.indexOf("Flint: the jdk.incubator.vector"),
        "the warning comes at the first kernel call, not at class loading of the probe:\n" + err);
  }

  @Test
  void aJvmWithTheModuleOrThePropertyDoesNotWarn() throws Exception {
    assertEquals(0, count(runProbe("--add-modules", "jdk.incubator.vector"), "Flint: the jdk.incubator.vector"));
    assertEquals(0, count(runProbe("-Dflint.vector=false"), "Flint: the jdk.incubator.vector"));
  }

  /** Runs {@link VectorModuleWarningProbe} in a new JVM with the given options; returns its stderr. */
  private static String runProbe(String... jvmOptions) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");   // the probe is short: C1 alone starts faster
    cmd.addAll(List.of(jvmOptions));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(VectorModuleWarningProbe.class.getName());
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err;
    try (InputStream in = p.getErrorStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      err = buf.toString(StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish in 60 s");
    assertEquals(0, p.exitValue(), "the probe JVM failed:\n" + err);
    return err;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  /** A {@link System.Logger} that keeps what it is given. */
  private static final class RecordingLogger implements Logger {
    final List<Level> levels = new ArrayList<>();
    final List<String> messages = new ArrayList<>();

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      levels.add(level);
      messages.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      levels.add(level);
      messages.add(format);
    }
  }
}
