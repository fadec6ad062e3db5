package dev.flint.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files atomically: the content goes to a temporary file in the target's directory, is
 * forced to disk, and then renamed over the target. A reader sees the old file or the new one,
 * never a half-written one, and a failed or interrupted write leaves the old file and no
 * temporary file behind. A new file gets the usual permissions (those a plain
 * {@code Files.writeString} would give it under the process's umask), not the owner-only ones of a
 * {@code Files.createTempFile}. {@link SafeTensors} saves this way; {@link #writeString} does it for
 * text (loss curves, prediction tables), {@link #writeBytes} for bytes (ONNX files).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code text} encoded as UTF-8, atomically; its directory must exist.
   *
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void writeString(Path target, CharSequence text) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
    try {
      write(target, channel -> {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target.toAbsolutePath() + ": " + e, e);
    }
  }

  /**
   * Replaces {@code target} with {@code bytes}, atomically; its directory must exist.
   *
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void writeBytes(Path target, byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    try {
      write(target, channel -> {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target.toAbsolutePath() + ": " + e, e);
    }
  }

  /** Writes a file's content to an open channel. */
  @FunctionalInterface
  interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Replaces {@code target} with what {@code content} writes, atomically. */
  static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(String.valueOf(dir), null, "the directory to save into does not exist");
    }
    Path tmp = createTemporary(dir, absolute.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
      forceDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  // Created with CREATE_NEW rather than Files.createTempFile so the file gets the usual
  // permissions (umask) instead of owner-only ones, which would then carry over to the target.
  private static Path createTemporary(Path dir, String name) throws IOException {
    while (true) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
      Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException taken) {
        // try another name
      }
    }
  }

  // Makes the rename itself durable; not every platform can open a directory, which is harmless.
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort
    }
  }
}
