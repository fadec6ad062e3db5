package dev.flint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.flint.ops.Attrs;
import dev.flint.ops.DimAlgebra;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code forwardGraph()}: the evaluation mode's planned forward graph as constants for
 * {@code dev.flint.compiled.ForwardGraph} (what ONNX export translates; nothing is traced). Values
 * are named as the user named them (temporaries {@code t1, t2}), parameters and buffers by their
 * state-dict keys, sizes known only at run time by their text ({@code B*T}).
 */
final class GraphEmitter {
  static final ClassName FORWARD_GRAPH = ClassName.get(ForwardEmitter.COMPILED_PACKAGE, "ForwardGraph");
  private static final ClassName ELEM = FORWARD_GRAPH.nestedClass("Elem");
  /** {@code {T:dev.flint.compiled.LayerKernels}.leakyReluSlopes(%s, 0.01)}: a computed leaf's access. */
  private static final Pattern KERNEL_CALL = Pattern.compile("\\{T:[\\w.]*\\.(\\w+)}\\.(\\w+)\\((.*)\\)");

  private final CompiledMode mode;
  private final String compiledName;
  private final Map<Integer, String> names = new HashMap<>();
  private final Set<String> taken = new HashSet<>();
  private int temps;

  GraphEmitter(CompiledMode mode, String compiledName) {
    this.mode = mode;
    this.compiledName = compiledName;
  }

  MethodSpec emit() {
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T.Builder g = $T.builder($S)", FORWARD_GRAPH, FORWARD_GRAPH, compiledName);
    List<Leaf> inputs = mode.forward().leaves().stream().filter(l -> l.role() == Leaf.Role.INPUT).toList();
    for (Leaf l : inputs) {
      body.addStatement("g.input($S, $T.$L$L)", name(l.value(), l.access()), ELEM, l.value().type().elem(),
          dims(l.value().type()));
    }
    Set<String> symbols = new LinkedHashSet<>();
    inputs.forEach(l -> symbols.addAll(l.value().type().symbols()));
    for (String s : symbols) {
      for (Leaf l : inputs) {
        int axis = l.value().type().dims().indexOf(Dim.symbol(s));
        if (axis >= 0) {
          body.addStatement("g.size($S, $S, $L)", s, names.get(l.value().id()), axis);
          break;
        }
      }
    }
    for (Leaf l : mode.forward().leaves()) {
      if (l.role() == Leaf.Role.PARAM || l.role() == Leaf.Role.BUFFER) {
        // a state leaf's origin is its state-dict key (LoweredLayer.read)
        body.addStatement("g.$L($S$L)", l.role() == Leaf.Role.PARAM ? "parameter" : "buffer",
            name(l.value(), l.value().origin()), dims(l.value().type()));
      }
    }
    List<Object> items = new ArrayList<>();
    mode.forward().leaves().stream().filter(l -> l.role() == Leaf.Role.COMPUTED).forEach(items::add);
    items.addAll(mode.forward().nodes());
    items.sort(Comparator.comparingInt(i -> i instanceof Node n ? n.out().id() : ((Leaf) i).value().id()));
    for (Object item : items) {
      body.addStatement(item instanceof Node n ? node(n) : computed((Leaf) item));
    }
    Value out = mode.forward().output();
    body.addStatement("return g.output($S)", names.get(out.id()));
    return MethodSpec.methodBuilder("forwardGraph").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(FORWARD_GRAPH)
        .addJavadoc("The evaluation forward pass as compiled: inputs, parameters and buffers by state-dict key, and\n"
            + "each op with its output's shape and source line (what {@code dev.flint.onnx.Onnx.export} writes).\n")
        .addCode(body.build()).build();
  }

  private CodeBlock node(Node n) {
    CodeBlock.Builder b = CodeBlock.builder().add("g.node($S, $S, $T.$L$L)", n.op().name(), name(n.out(), n.out().hint()),
        ELEM, n.out().type().elem(), dims(n.out().type()));
    b.add(".in($L)", inputNames(n.inputs()));
    for (String key : n.attrs().keys()) {
      b.add(".attr($S, $L)", key, attr(n.attrs().get(key)));
    }
    if (!n.out().origin().isEmpty()) {
      b.add(".layer($S)", n.out().origin());
    }
    if (n.where().line() > 0) {
      b.add(".at($S, $S)", n.where().location(), n.where().text());
    }
    return b.build();
  }

  /** A value computed outside the op table ({@code LayerKernels.leakyReluSlopes(x, 0.01)}), as a node. */
  private CodeBlock computed(Leaf l) {
    Matcher m = KERNEL_CALL.matcher(l.access());
    String op = m.matches() ? m.group(1) + "." + m.group(2) : "computed " + l.access();
    List<Double> numbers = new ArrayList<>();
    if (m.matches()) {
      for (String arg : m.group(3).split(",\\s*")) {
        if (!arg.equals("%s")) {
          try {
            numbers.add(number(arg));
          } catch (NumberFormatException e) {
            op = "computed " + l.access();   // an argument this graph cannot carry: exporters report the op
          }
        }
      }
    }
    CodeBlock.Builder b = CodeBlock.builder().add("g.node($S, $S, $T.$L$L)", op, name(l.value(), l.value().hint()), ELEM,
        l.value().type().elem(), dims(l.value().type()));
    b.add(".in($L)", inputNames(l.args()));
    if (!numbers.isEmpty()) {
      List<CodeBlock> items = numbers.stream().map(GraphEmitter::real).toList();
      b.add(".attr($S, new double[] {$L})", "args", CodeBlock.join(items, ", "));
    }
    return b.build();
  }

  private CodeBlock inputNames(List<Value> inputs) {
    List<CodeBlock> items = new ArrayList<>();
    inputs.forEach(v -> items.add(CodeBlock.of("$S", names.get(v.id()))));
    return CodeBlock.join(items, ", ");
  }

  /** A unique name for {@code v}: its hint, numbered when taken ({@code h2}); a temporary {@code t1}. */
  private String name(Value v, String hint) {
    String n = hint;
    if (hint == null || hint.isEmpty() || hint.equals("t")) {
      do {
        n = "t" + (++temps);
      } while (taken.contains(n));
    } else if (taken.contains(n)) {
      int i = 2;
      while (taken.contains(hint + i)) {
        i++;
      }
      n = hint + i;
    }
    taken.add(n);
    names.put(v.id(), n);
    return n;
  }

  private static CodeBlock dims(TensorType t) {
    CodeBlock.Builder b = CodeBlock.builder();
    t.dims().forEach(d -> b.add(", $S", d.toString()));
    return b.build();
  }

  /** An attribute as a Java constant; sizes known only at run time as their text. */
  private static CodeBlock attr(Object a) {
    if (a instanceof Integer code) {
      return Dim.of(code).isConstant() ? CodeBlock.of("$L", code) : CodeBlock.of("$S", Dim.of(code).toString());
    }
    if (a instanceof int[] codes) {
      boolean symbolic = false;
      List<CodeBlock> items = new ArrayList<>();
      for (int c : codes) {
        symbolic |= c >= DimAlgebra.SYMBOLIC;
      }
      for (int c : codes) {
        items.add(symbolic ? CodeBlock.of("$S", Dim.of(c).toString()) : CodeBlock.of("$L", c));
      }
      return CodeBlock.of("new $L[] {$L}", symbolic ? "String" : "int", CodeBlock.join(items, ", "));
    }
    if (a instanceof Double x) {
      Dim d = Dim.reciprocalOf(x);
      return d != null ? CodeBlock.of("$S", "1/(" + d + ")") : real(x);
    }
    if (a instanceof Boolean || a instanceof Long) {
      return CodeBlock.of("$L", a);
    }
    if (a instanceof Number n) {
      return real(n.doubleValue());
    }
    return CodeBlock.of("$S", String.valueOf(a));
  }

  /** A number as the template writes it: a literal, or Double's infinities and NaN (a maskedFill's -inf). */
  private static double number(String arg) {
    return switch (arg) {
      case "Double.NEGATIVE_INFINITY" -> Double.NEGATIVE_INFINITY;
      case "Double.POSITIVE_INFINITY" -> Double.POSITIVE_INFINITY;
      case "Double.NaN" -> Double.NaN;
      default -> Double.parseDouble(arg);
    };
  }

  private static CodeBlock real(double x) {
    if (Double.isNaN(x)) {
      return CodeBlock.of("$T.NaN", Double.class);
    }
    if (Double.isInfinite(x)) {
      return CodeBlock.of("$T.$L", Double.class, x > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY");
    }
    return CodeBlock.of("$Ld", Double.toString(x).replace("E", "e"));
  }
}
