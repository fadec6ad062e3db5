package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLineTest {
  @Test
  void roundsDoublesToSixSignificantDigitsAsPythonsFormat() {
    // Python: float("%.6g" % v) then json.dumps
    assertEquals("1234.57", JsonLine.number(1234.5678));
    assertEquals("0.123457", JsonLine.number(0.1234567));
    assertEquals("2820.0", JsonLine.number(2820.0));
    assertEquals("123457.0", JsonLine.number(123456.7));
    assertEquals("null", JsonLine.number(Double.NaN));
  }

  @Test
  void writesFieldsInOrderWithEscapes() {
    String s = new JsonLine().put("workload", "gemm").put("batch", null).put("ok", true).put("n", 3)
        .put("shape", List.of(4, 4)).put("note", "a \"b\"\n").toString();
    assertEquals("{\"workload\": \"gemm\", \"batch\": null, \"ok\": true, \"n\": 3, \"shape\": [4, 4], "
        + "\"note\": \"a \\\"b\\\"\\n\"}", s);
  }
}
