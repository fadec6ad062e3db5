package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesUtf8TextAndReplacesTheOldFileLeavingNoTemporaryFile() throws IOException {
    Path file = dir.resolve("curve.svg");
    AtomicFiles.writeString(file, "first");
    AtomicFiles.writeString(file, "zweite Fassung, 2 µm");
    assertEquals("zweite Fassung, 2 µm", Files.readString(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the target remains");
    }
  }

  @Test
  void aNewFileGetsTheUsualPermissionsNotOwnerOnlyOnes() throws IOException {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "a POSIX file system");
    Path plain = dir.resolve("plain.txt");
    Files.writeString(plain, "x");                        // what the umask gives any new file
    Path atomic = dir.resolve("atomic.txt");
    AtomicFiles.writeString(atomic, "x");
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
    assertEquals(expected, Files.getPosixFilePermissions(atomic));
    // Files.createTempFile, which the examples' writer used, gives rw------- whatever the umask
    Path temp = Files.createTempFile(dir, "t", ".tmp");
    assertTrue(expected.contains(PosixFilePermission.OWNER_READ));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(temp));
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Path file = dir.resolve("missing/out.csv");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.writeString(file, "x"));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }
}
