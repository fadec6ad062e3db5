package dev.flint.examples.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsTest {
  @TempDir Path dir;

  @Test
  void writesHeaderAndOneLinePerRow() throws Exception {
    Path csv = dir.resolve("out/p.csv");
    Predictions.writeCsv(csv, List.of("row", "target", "prediction"),
        new double[] {3, 7}, new double[] {85.00000001f, 64}, new double[] {138.05912345, -1.5e-7});
    assertEquals(List.of("row,target,prediction", "3,85,138.0591", "7,64,-1.5E-7"), Files.readAllLines(csv));
  }

  @Test
  void refusesRaggedColumns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Predictions.writeCsv(dir.resolve("p.csv"), List.of("a", "b"), new double[] {1, 2}, new double[] {1}));
    assertEquals("writeCsv: column 'b' has 1 rows, but column 'a' has 2", e.getMessage());
  }
}
