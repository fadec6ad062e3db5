package dev.flint.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {
  @TempDir Path dir;

  @Test
  void readsIrisFromTheClasspath() {
    CsvDataset iris = CsvDataset.fromResource(CsvDatasetTest.class, "/data/iris.csv").skipLines(1).build();
    assertEquals(150, iris.size());
    assertArrayEquals(new int[] {150, 4}, iris.features().shape());
    assertEquals(DType.FLOAT32, iris.features().dtype());
    assertEquals(DType.INT64, iris.targets().dtype());
    // first and last rows of the file: 5.1,3.5,1.4,0.2,0 and 5.9,3.0,5.1,1.8,2
    Sample first = iris.get(0);
    assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, first.x().toFloatArray());
    assertEquals(0, first.y().dim(), "a class target is 0-d per sample");
    assertEquals(0L, first.y().getLong());
    assertArrayEquals(new float[] {5.9f, 3.0f, 5.1f, 1.8f}, iris.get(149).x().toFloatArray());
    assertEquals(2L, iris.get(149).y().getLong());
    // 50 of each class; the first column adds up to 876.5 (computed with awk)
    long[] counts = new long[3];
    for (long c : iris.targets().toLongArray()) {
      counts[(int) c]++;
    }
    assertArrayEquals(new long[] {50, 50, 50}, counts);
    double sum = 0;
    for (int i = 0; i < 150; i++) {
      sum += iris.features().get(i, 0);
    }
    assertEquals(876.5, sum, 1e-3);
  }

  @Test
  void readsGzippedWhitespaceSeparatedFiles() {
    CsvDataset x = CsvDataset.fromResource(CsvDatasetTest.class, "/data/diabetes_data_raw.csv.gz")
        .whitespaceSeparated().noTarget().build();
    assertArrayEquals(new int[] {442, 10}, x.features().shape());
    assertNull(x.targets());
    assertNull(x.get(0).y());
    assertArrayEquals(new float[] {59, 2, 32.1f, 101, 157, 93.2f, 38, 4, 4.8598f, 87}, x.get(0).x().toFloatArray());
    assertArrayEquals(new float[] {36, 1, 19.6f, 71, 250, 133.2f, 97, 3, 4.5951f, 92}, x.get(441).x().toFloatArray());

    CsvDataset y = CsvDataset.fromResource(CsvDatasetTest.class, "/data/diabetes_target.csv.gz").noTarget().build();
    assertArrayEquals(new int[] {442, 1}, y.features().shape());
    assertEquals(151.0, y.features().get(0, 0));
    assertEquals(57.0, y.features().get(441, 0));
    double sum = 0;
    for (float v : y.features().toFloatArray()) {
      sum += v;
    }
    assertEquals(67243.0, sum, 0.0);
  }

  @Test
  void regressionTargetsAreFloatColumnsAndFeaturesCanBeChosen() throws IOException {
    Path file = write("a.csv", "id;x1;x2;y\n0;1.5;2;10.25\n1;-3e2;.5;-1\n");
    CsvDataset ds = CsvDataset.fromPath(file).delimiter(';').header(true).features(2, 1).target(-1).regression().build();
    assertArrayEquals(new int[] {2, 2}, ds.features().shape());
    assertArrayEquals(new float[] {2, 1.5f, 0.5f, -300}, ds.features().toFloatArray());
    assertArrayEquals(new int[] {2, 1}, ds.targets().shape());
    assertEquals(DType.FLOAT32, ds.targets().dtype());
    assertArrayEquals(new float[] {10.25f, -1}, ds.targets().toFloatArray());
    assertArrayEquals(new int[] {1}, ds.get(1).y().shape());

    CsvDataset wide = CsvDataset.fromPath(file).delimiter(';').header(true).regression().dtype(DType.FLOAT64).build();
    assertEquals(DType.FLOAT64, wide.features().dtype());
    assertArrayEquals(new double[] {0, 1.5, 2, 1, -300, 0.5}, wide.features().toDoubleArray());
  }

  @Test
  void detectsGzipByContentNotName() throws IOException {
    Path file = dir.resolve("plain-name.csv");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("1,2,0\n3,4,1\n\n".getBytes(StandardCharsets.UTF_8));
    }
    CsvDataset ds = CsvDataset.fromPath(file).build();
    assertArrayEquals(new float[] {1, 2, 3, 4}, ds.features().toFloatArray());
    assertArrayEquals(new long[] {0, 1}, ds.targets().toLongArray());
  }

  @Test
  void badNumbersNameFileLineAndColumn() throws IOException {
    Path file = write("bad.csv", "a,b,c\n1,2,0\n3,oops,1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(file).header(true).build());
    assertEquals(file + ", line 3, column 1 (0-based): expected a number, but found \"oops\"", e.getMessage());

    Path javaism = write("f.csv", "1f,0\n");
    e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(javaism).build());
    assertTrue(e.getMessage().contains("line 1, column 0 (0-based): expected a number, but found \"1f\""), e.getMessage());

    Path empty = write("e.csv", "1,,0\n");
    e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(empty).build());
    assertTrue(e.getMessage().contains("column 1 (0-based): expected a number, but found \"\""), e.getMessage());
  }

  @Test
  void everyDecimalFormParsesAndALongBadFieldFailsFast() throws IOException {
    Path forms = write("forms.csv", "1.,.5,0\n+2E-1,-0,1\n1.e3,7,0\n");
    assertArrayEquals(new float[] {1, 0.5f, 0.2f, -0f, 1000, 7}, CsvDataset.fromPath(forms).build().features().toFloatArray());
    // 100,000 digits and an 'x': the number pattern once backtracked quadratically here (minutes)
    Path hostile = write("long.csv", "1".repeat(100_000) + "x,0\n");
    IllegalArgumentException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
        () -> assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(hostile).build()));
    assertTrue(e.getMessage().contains("line 1, column 0 (0-based): expected a number"), e.getMessage());
  }

  @Test
  void raggedRowsNameTheLine() throws IOException {
    Path file = write("ragged.csv", "1,2,0\n3,4,1\n5,1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(file).build());
    assertEquals(file + ", line 3: expected 3 columns (as on line 1), but found 2", e.getMessage());
  }

  @Test
  void classLabelsMustBeIntegers() throws IOException {
    Path file = write("labels.csv", "1,2,0\n3,4,1.0\n5,6,1.5\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(file).build());
    assertTrue(e.getMessage().startsWith(file + ", line 3, column 2 (0-based): a class label must be an integer, but found \"1.5\""),
        e.getMessage());
  }

  @Test
  void missingColumnsFilesAndResourcesAreClear() throws IOException {
    Path file = write("small.csv", "1,2,0\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(file).target(5).build());
    assertTrue(e.getMessage().contains("target column 5 does not exist; line 1 has 3 columns"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(file).features(0, 2).build());
    assertTrue(e.getMessage().contains("column 2 is both a feature and the target"), e.getMessage());

    UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> CsvDataset.fromPath(dir.resolve("nope.csv")).build());
    assertTrue(io.getMessage().contains("nope.csv does not exist"), io.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromResource(CsvDatasetTest.class, "/data/nope.csv").build());
    assertTrue(e.getMessage().contains("/data/nope.csv was not found on the classpath"), e.getMessage());

    Path headerOnly = write("h.csv", "a,b\n");
    e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.fromPath(headerOnly).header(true).build());
    assertTrue(e.getMessage().endsWith("no data rows after skipping 1 lines"), e.getMessage());
  }

  @Test
  void worksWithTheDataLoader() {
    CsvDataset iris = CsvDataset.fromResource(CsvDatasetTest.class, "/data/iris.csv").skipLines(1).build();
    DataLoader loader = DataLoader.builder(iris).batchSize(32).build();
    Batch b = loader.iterator().next();
    assertArrayEquals(new int[] {32, 4}, b.x().shape());
    assertArrayEquals(new int[] {32}, b.y().shape());
    Tensor rows = iris.features();
    assertEquals(rows.get(31, 3), b.x().get(31, 3));
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
