package dev.flint.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FLOAT32 copies of FLOAT64 kernel code, written once: the FLOAT64 code between {@code // twin-source: ID} and
 * {@code // twin-end: ID} is the code a person edits; the FLOAT32 code between {@code // twin-float: ID} and
 * {@code // twin-end: ID} is derived from it by {@link #toFloat} (whole words double → float, Double → Float,
 * doubles → floats, FLOAT64 → FLOAT32, and the name suffix F64 → F32), re-indented to where the copy stands. {@link FloatTwinsTest}
 * fails when a copy differs from its derivation and rewrites it with {@code -Dtwins.update=true}. Kernels whose
 * FLOAT32 path is not a word-for-word copy (the Vector API tiers, float sums accumulated in double) carry no markers.
 */
final class FloatTwins {
  private static final Pattern MARKER = Pattern.compile("^(\\s*)// twin-(source|float|end): (\\S+).*$");
  private static final Map<String, String> WORDS = new LinkedHashMap<>();

  static {
    WORDS.put("double", "float");
    WORDS.put("Double", "Float");
    WORDS.put("doubles", "floats");
    WORDS.put("FLOAT64", "FLOAT32");
  }

  /** A whole FLOAT64 word, or F64 ending a name (rowsF64). */
  private static final Pattern FLOAT64_WORDS =
      Pattern.compile("\\b(" + String.join("|", WORDS.keySet()) + ")\\b|F64\\b");

  private FloatTwins() {}

  /** One marked region: its kind ("source" or "float"), id, the marker line's indent, and its body lines. */
  record Region(String kind, String id, String indent, int begin, int end) {}

  /** {@code source} with every FLOAT32 copy replaced by the derivation of its FLOAT64 source. */
  static String derive(String fileName, String source) {
    List<String> lines = List.of(source.split("\n", -1));
    Map<String, Region> sources = new LinkedHashMap<>();
    Map<String, Region> floats = new LinkedHashMap<>();
    for (Region r : regions(fileName, lines)) {
      Map<String, Region> into = r.kind().equals("source") ? sources : floats;
      if (into.put(r.id(), r) != null) {
        throw new IllegalStateException(fileName + ": two twin-" + r.kind() + " regions named '" + r.id() + "'");
      }
    }
    if (!sources.keySet().equals(floats.keySet())) {
      throw new IllegalStateException(fileName + ": twin-source ids " + sources.keySet()
          + " and twin-float ids " + floats.keySet() + " differ; each source needs exactly one float copy");
    }
    List<String> out = new ArrayList<>(lines);
    // Replace from the bottom up so earlier line numbers stay valid.
    List<Region> copies = new ArrayList<>(floats.values());
    copies.sort((a, b) -> Integer.compare(b.begin(), a.begin()));
    for (Region copy : copies) {
      Region src = sources.get(copy.id());
      List<String> derived = new ArrayList<>();
      for (String line : lines.subList(src.begin() + 1, src.end())) {
        derived.add(reindent(toFloat(line), src.indent(), copy.indent()));
      }
      List<String> body = out.subList(copy.begin() + 1, copy.end());
      body.clear();
      body.addAll(derived);
    }
    return String.join("\n", out);
  }

  /** The FLOAT32 spelling of one FLOAT64 line. */
  static String toFloat(String line) {
    StringBuilder sb = new StringBuilder();
    Matcher m = FLOAT64_WORDS.matcher(line);
    while (m.find()) {
      m.appendReplacement(sb, m.group(1) != null ? WORDS.get(m.group(1)) : "F32");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String reindent(String line, String from, String to) {
    if (line.isBlank()) {
      return "";
    }
    if (!line.startsWith(from)) {
      throw new IllegalStateException("a twin-source line is indented less than its marker: '" + line + "'");
    }
    return to + line.substring(from.length());
  }

  static List<Region> regions(String fileName, List<String> lines) {
    List<Region> found = new ArrayList<>();
    Region open = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String kind = m.group(2);
      String id = m.group(3);
      if (kind.equals("end")) {
        if (open == null || !open.id().equals(id)) {
          throw new IllegalStateException(fileName + ":" + (i + 1) + ": twin-end: " + id + " closes "
              + (open == null ? "no open region" : "region '" + open.id() + "'"));
        }
        found.add(new Region(open.kind(), id, open.indent(), open.begin(), i));
        open = null;
      } else {
        if (open != null) {
          throw new IllegalStateException(fileName + ":" + (i + 1) + ": twin-" + kind + ": " + id
              + " opens inside region '" + open.id() + "' (regions do not nest)");
        }
        open = new Region(kind, id, m.group(1), i, -1);
      }
    }
    if (open != null) {
      throw new IllegalStateException(fileName + ": region '" + open.id() + "' has no twin-end");
    }
    return found;
  }
}
