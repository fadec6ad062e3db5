package dev.flint.spark;

import dev.flint.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Training checkpoints in a directory of any Hadoop file system ({@code file://}, {@code hdfs://},
 * {@code s3a://} ...): one {@link Checkpoint} file per saved step, {@code step-000000000120.safetensors}.
 * A checkpoint is written under a hidden temporary name and renamed when complete, so a reader never
 * sees half a file (the rename is atomic on HDFS and local file systems; object stores such as S3
 * copy instead, and the hidden name keeps an interrupted copy out of {@link #latest()} too).
 * The newest {@value #KEPT} are kept.
 */
final class CheckpointStore {
  static final int KEPT = 3;
  private static final String PREFIX = "step-";
  private static final String SUFFIX = ".safetensors";

  private final org.apache.hadoop.fs.Path dir;
  private final FileSystem fs;

  CheckpointStore(String uri, Configuration conf) {
    this.dir = new org.apache.hadoop.fs.Path(uri);
    try {
      this.fs = dir.getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException("no file system for the checkpoint directory " + uri + ": " + e, e);
    }
  }

  String location() {
    return dir.toString();
  }

  /** Writes {@code checkpoint} as the one for {@code step}, atomically, and drops the oldest beyond {@value #KEPT}. */
  void save(Checkpoint checkpoint, long step) {
    Path local = null;
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir, name(step));
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dir, "." + name(step) + ".tmp-" + UUID.randomUUID());
    try {
      local = Files.createTempFile("flint-checkpoint-", SUFFIX);
      checkpoint.save(local);
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(tmp, false)) {
        Files.copy(local, out);
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
      List<Long> steps = steps();
      for (int i = 0; i < steps.size() - KEPT; i++) {
        fs.delete(new org.apache.hadoop.fs.Path(dir, name(steps.get(i))), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write checkpoint " + target + ": " + e, e);
    } finally {
      deleteQuietly(local);
      try {
        fs.delete(tmp, false);
      } catch (IOException ignored) {
        // only a leftover hidden file
      }
    }
  }

  /** The step of the newest checkpoint, or -1 when there is none. */
  long latestStep() {
    List<Long> steps = steps();
    return steps.isEmpty() ? -1 : steps.get(steps.size() - 1);
  }

  /** Reads the checkpoint of {@code step}. */
  Checkpoint load(long step) {
    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(dir, name(step));
    Path local = null;
    try {
      local = Files.createTempFile("flint-checkpoint-", SUFFIX);
      try (InputStream in = fs.open(source)) {
        Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return Checkpoint.load(local);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read checkpoint " + source + ": " + e, e);
    } finally {
      deleteQuietly(local);
    }
  }

  String pathOf(long step) {
    return new org.apache.hadoop.fs.Path(dir, name(step)).toString();
  }

  private List<Long> steps() {
    List<Long> steps = new ArrayList<>();
    try {
      if (!fs.exists(dir)) {
        return steps;
      }
      for (FileStatus f : fs.listStatus(dir)) {
        String n = f.getPath().getName();
        if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) {
          try {
            steps.add(Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())));
          } catch (NumberFormatException ignored) {
            // not one of ours
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the checkpoint directory " + dir + ": " + e, e);
    }
    Collections.sort(steps);
    return steps;
  }

  private static String name(long step) {
    return String.format("%s%012d%s", PREFIX, step, SUFFIX);
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }
}
