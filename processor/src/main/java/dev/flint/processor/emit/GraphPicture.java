package dev.flint.processor.emit;

import dev.flint.processor.ir.Node;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code Compiled<Name>.svg}: the forward graph as a picture, top to bottom: the input, a box per layer
 * call and per call in {@code @Forward} (from {@link ForwardBoxes}) with its output shape, parameters,
 * the user's variable and source line, and the output. Plain SVG 1.1 in ASCII (other characters as
 * character references), so any browser shows it whatever the platform's encoding; hovering a box shows
 * its source expression and the kernels it lowers to.
 */
public final class GraphPicture {
  private static final double FONT = 12;
  private static final double CHAR_WIDTH = 0.6 * FONT;   // monospace advance
  private static final double LINE = 16;
  private static final double PAD_X = 10;
  private static final double PAD_Y = 7;
  private static final double MARGIN = 16;
  private static final double HEADER = 28;

  private GraphPicture() {}

  /** The picture of {@code training}'s forward graph. */
  public static String write(ModelSource model, CompiledMode training) {
    ForwardBoxes graph = ForwardBoxes.of(training.forward());
    List<ForwardBoxes.Box> boxes = graph.boxes();
    List<List<String>> lines = new ArrayList<>();
    double[] widths = new double[boxes.size()];
    double[] heights = new double[boxes.size()];
    for (int i = 0; i < boxes.size(); i++) {
      List<String> text = lines(boxes.get(i));
      lines.add(text);
      widths[i] = text.stream().mapToInt(String::length).max().orElse(0) * CHAR_WIDTH + 2 * PAD_X;
      heights[i] = text.size() * LINE + 2 * PAD_Y;
    }
    List<int[]> edges = graph.edges().stream().map(e -> new int[] {e.from(), e.to()}).toList();
    LayeredLayout.Result layout = LayeredLayout.of(widths, heights, edges, MARGIN);

    String title = model.compiledName() + ": forward of " + model.qualifiedName();
    double width = Math.max(layout.width(), title.length() * CHAR_WIDTH + 2 * MARGIN);
    double height = layout.height() + HEADER;
    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n")
        .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\""
            + " viewBox=\"0 0 %.0f %.0f\" xml:space=\"preserve\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"%.0f\">%n",
            width, height, width, height, FONT))
        .append("<title>").append(escape(title)).append("</title>\n")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
            + " markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#64748b\"/></marker></defs>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
        .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">%s</text>%n", MARGIN,
            MARGIN + FONT, escape(title)));
    svg.append(String.format(Locale.ROOT, "<g transform=\"translate(0,%.0f)\">%n", HEADER));
    for (int i = 0; i < edges.size(); i++) {
      svg.append(String.format(Locale.ROOT, "<path class=\"edge\" data-from=\"box%d\" data-to=\"box%d\" d=\"",
          edges.get(i)[0], edges.get(i)[1])).append(path(layout.edges().get(i)))
          .append("\" fill=\"none\" stroke=\"#64748b\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>\n");
    }
    for (int i = 0; i < boxes.size(); i++) {
      box(svg, i, boxes.get(i), lines.get(i), layout.boxes().get(i));
    }
    return svg.append("</g>\n</svg>\n").toString();
  }

  /** The text lines of a box: title; shape and parameters; variable and source line. */
  private static List<String> lines(ForwardBoxes.Box b) {
    List<String> out = new ArrayList<>();
    switch (b.kind()) {
      case INPUT -> out.add("input " + b.variable());
      case OUTPUT -> out.add("output");
      default -> out.add(b.title());
    }
    out.add(b.shape() + (b.parameters() > 0 ? String.format(Locale.ROOT, "  %,d params", b.parameters()) : ""));
    if (b.kind() != ForwardBoxes.Kind.INPUT && !(b.location() + b.variable()).isEmpty()) {
      out.add(b.location() + (b.variable().isEmpty() ? "" : " \u2192 " + b.variable()));
    }
    return out;
  }

  private static void box(StringBuilder svg, int i, ForwardBoxes.Box b, List<String> lines, LayeredLayout.Rect r) {
    String kind = b.kind().name().toLowerCase(Locale.ROOT);
    String fill = switch (b.kind()) {
      case LAYER -> "#dbeafe";
      case OP -> "#f8fafc";
      default -> "#fef3c7";
    };
    String stroke = switch (b.kind()) {
      case LAYER -> "#2563eb";
      case OP -> "#94a3b8";
      default -> "#d97706";
    };
    svg.append(String.format(Locale.ROOT, "<g class=\"box %s\" id=\"box%d\">%n", kind, i));
    svg.append("<title>").append(escape(tooltip(b))).append("</title>\n");
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%d\""
        + " fill=\"%s\" stroke=\"%s\" stroke-width=\"1.2\"/>%n", r.x(), r.y(), r.width(), r.height(),
        b.kind() == ForwardBoxes.Kind.LAYER || b.kind() == ForwardBoxes.Kind.OP ? 4 : 14, fill, stroke));
    String[] classes = {"title", "shape", "where"};
    for (int k = 0; k < lines.size(); k++) {
      String style = k == 0 ? " font-weight=\"bold\"" : k == 2 ? " fill=\"#64748b\"" : "";
      svg.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", classes[k],
          r.x() + PAD_X, r.y() + PAD_Y + k * LINE + FONT, style, escape(lines.get(k))));
    }
    svg.append("</g>\n");
  }

  /** The hover text: the source expression and the kernels the box runs. */
  private static String tooltip(ForwardBoxes.Box b) {
    if (b.nodes().isEmpty()) {
      return b.title() + " " + b.shape();
    }
    Node root = b.nodes().get(b.nodes().size() - 1);
    String source = root.where() == null || root.where().text().isEmpty() ? "" : root.where().text() + "\n";
    return source + "kernels: " + String.join(", ", b.nodes().stream().map(Node::name).toList());
  }

  /** Straight down through the points, each step a curve that leaves and arrives vertically. */
  private static String path(List<double[]> points) {
    StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "M%.1f,%.1f", points.get(0)[0], points.get(0)[1]));
    for (int i = 1; i < points.size(); i++) {
      double[] a = points.get(i - 1);
      double[] b = points.get(i);
      if (a[0] == b[0]) {
        d.append(String.format(Locale.ROOT, " L%.1f,%.1f", b[0], b[1]));
      } else {
        double mid = (a[1] + b[1]) / 2;
        d.append(String.format(Locale.ROOT, " C%.1f,%.1f %.1f,%.1f %.1f,%.1f", a[0], mid, b[0], mid, b[0], b[1]));
      }
    }
    return d.toString();
  }

  /** XML text: markup characters and everything outside ASCII as character references. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> {
          if (c < 0x20 && c != '\n') {
            out.append(' ');
          } else if (c > 0x7e) {
            out.append("&#").append(c).append(';');
          } else {
            out.append((char) c);
          }
        }
      }
    });
    return out.toString();
  }
}
