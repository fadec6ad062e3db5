package dev.flint.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one scratch file a fuzz test writes each input into, so the reader under test opens a real
 * file as users do. Fuzzing calls a test thousands of times a second; one file, rewritten, keeps that
 * cheap and leaves nothing behind (it is deleted when the JVM exits).
 */
public final class FuzzFiles {
  private final Path file;

  public FuzzFiles(String name) {
    try {
      // memory-backed where there is one: rewriting a file on this machine's disk costs ~3 ms, on
      // /dev/shm ~0.1 ms, which is the difference between 250 and several thousand inputs a second
      Path shm = Path.of("/dev/shm");
      Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "flint-fuzz")
          : Files.createTempDirectory("flint-fuzz");
      dir.toFile().deleteOnExit();
      file = dir.resolve(name);
      file.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scratch file, now holding exactly {@code bytes}. */
  public Path holding(byte[] bytes) {
    try {
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
