package dev.flint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flint.tensor.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form no dependency cycle (docs/design.md, "Packages"): jdeps reads the
 * compiled classes (the same analysis as {@code jdeps -verbose:class runtime/target/classes}) and
 * any strongly connected group of packages fails the test, naming the packages and one class-level
 * edge for each package pair inside it.
 */
class PackageCyclesTest {
  @Test
  void runtimePackagesHaveNoCycle() throws Exception {
    Path classes = location(Tensor.class);
    assertTrue(Files.isDirectory(classes), "expected the runtime's compiled classes in a directory, got " + classes);
    Map<String, Map<String, String>> graph = packageGraph(jdeps(classes));
    assertTrue(graph.containsKey("dev.flint.tensor") && graph.containsKey("dev.flint.kernel"),
        "jdeps output did not cover the runtime's packages: " + graph.keySet());
    List<Set<String>> cycles = cycles(graph);
    if (!cycles.isEmpty()) {
      StringBuilder message = new StringBuilder("package cycles in flint-runtime:");
      for (Set<String> cycle : cycles) {
        message.append("\n  ").append(cycle).append(" through");
        for (String from : cycle) {
          graph.get(from).forEach((to, edge) -> {
            if (cycle.contains(to)) {
              message.append("\n    ").append(edge);
            }
          });
        }
      }
      fail(message.toString());
    }
  }

  @Test
  void findsACycleAndIgnoresAcyclicEdges() {
    Map<String, Map<String, String>> graph = new TreeMap<>();
    edge(graph, "a", "b");
    edge(graph, "b", "c");
    edge(graph, "c", "a");
    edge(graph, "c", "d");
    edge(graph, "d", "e");
    assertEquals(List.of(Set.of("a", "b", "c")), cycles(graph));
    Map<String, Map<String, String>> layered = new TreeMap<>();
    edge(layered, "nn", "io");
    edge(layered, "nn", "tensor");
    edge(layered, "io", "tensor");
    assertEquals(List.of(), cycles(layered));
  }

  @Test
  void readsJdepsClassLines() {
    String out = "classes -> java.base\n"
        + "   dev.flint.tensor.Tensor        -> dev.flint.kernel.Kernels        classes\n"
        + "   dev.flint.tensor.Tensor        -> java.lang.Object                java.base\n"
        + "   dev.flint.kernel.Copy          -> dev.flint.tensor.Tensor         classes\n"
        + "   dev.flint.kernel.Copy          -> dev.flint.kernel.Kernels        classes\n";
    Map<String, Map<String, String>> graph = packageGraph(out);
    assertEquals(Set.of("dev.flint.kernel"), graph.get("dev.flint.tensor").keySet());
    assertEquals(Set.of("dev.flint.tensor"), graph.get("dev.flint.kernel").keySet());
    assertEquals(List.of(Set.of("dev.flint.kernel", "dev.flint.tensor")), cycles(graph));
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static String jdeps(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new AssertionError("this test needs a JDK with jdeps (module jdk.jdeps)"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // the runtime is a module (module-info.class): jdeps resolves its 'requires dev.flint.dsl' there
    String dsl = location(dev.flint.dsl.Layer.class).toString();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none",
        "--multi-release", "17", "--module-path", dsl, classes.toString());
    assertEquals(0, rc, "jdeps failed: " + err);
    return out.toString();
  }

  /** Package to package edges between dev.flint packages, each with one class edge as its witness. */
  static Map<String, Map<String, String>> packageGraph(String jdepsOutput) {
    Map<String, Map<String, String>> graph = new TreeMap<>();
    for (String line : jdepsOutput.split("\n")) {
      String[] t = line.trim().split("\\s+");
      if (t.length < 3 || !t[1].equals("->") || !t[0].startsWith("dev.flint.") || !t[2].startsWith("dev.flint.")) {
        continue;
      }
      String from = packageOf(t[0]);
      String to = packageOf(t[2]);
      graph.computeIfAbsent(from, k -> new TreeMap<>());
      if (!from.equals(to)) {
        graph.get(from).putIfAbsent(to, t[0] + " -> " + t[2]);
      }
    }
    return graph;
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static void edge(Map<String, Map<String, String>> graph, String from, String to) {
    graph.computeIfAbsent(from, k -> new TreeMap<>()).put(to, from + " -> " + to);
    graph.computeIfAbsent(to, k -> new TreeMap<>());
  }

  /** The strongly connected components with more than one package (Tarjan's algorithm). */
  static List<Set<String>> cycles(Map<String, Map<String, String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> found = new ArrayList<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, found);
      }
    }
    return found;
  }

  private static void connect(String v, Map<String, Map<String, String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> found) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, found);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
