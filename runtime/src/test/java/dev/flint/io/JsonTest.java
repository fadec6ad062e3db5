package dev.flint.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryKindOfValueKeepingKeyOrder() throws Json.ParseException {
    Object v = Json.parse(" {\"b\": [1, -2, 3.5, 1e3, 9223372036854775807], \"a\": {\"t\": true, \"f\": false, \"n\": null},"
        + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}  ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("b", "a", "s"), List.copyOf(m.keySet()));
    assertEquals(List.of(1L, -2L, 3.5, 1000.0, Long.MAX_VALUE), m.get("b"));
    Map<?, ?> a = (Map<?, ?>) m.get("a");
    assertEquals(true, a.get("t"));
    assertEquals(false, a.get("f"));
    assertTrue(a.containsKey("n"));
    assertNull(a.get("n"));
    assertEquals("q\"\\/\b\f\n\r\t\u00e9\ud83d\ude00", m.get("s"));
  }

  @Test
  void writtenStringsParseBack() throws Json.ParseException {
    String nasty = "a\"b\\c\nd\u0001e\u00e9\ud83d\ude00";
    StringBuilder sb = new StringBuilder();
    Json.writeString(sb, nasty);
    assertEquals(nasty, Json.parse(sb.toString()));
  }

  @Test
  void refusesMalformedTextWithAPosition() {
    for (String bad : Arrays.asList("", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "01", "1.", "-", "\"abc", "tru", "{} x",
        "\"\\x\"", "\"a\u0001\"", "{\"a\":1,\"a\":2}",
        "\"\\u+041\"", "\"\\u-041\"", "\"\\u00g1\"")) {
      Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().contains("at character"), e.getMessage());
    }
  }

  @Test
  void limitsNesting() {
    String deep = "[".repeat(100) + "]".repeat(100);
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().startsWith("nesting deeper than 64 levels"), e.getMessage());
  }
}
