package dev.flint.processor.parse;

import dev.flint.processor.ir.SourceRef;
import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * What the processor read from a {@code @Model} class, with no javac types: its names, its layers as
 * their initializers build them, its {@code @Forward} body as a small statement tree, and its
 * constructors (which the generated class repeats).
 *
 * @param budgets the budgets given in {@code @Model} (positive limits only; others were reported)
 * @param isAbstract whether the model class is abstract (its eager twin is then an anonymous subclass)
 * @param inputShape the sample shape from {@code @Model(input = ...)} or {@code @Model(inputDims = ...)}:
 *     each size a number or the name of a size that varies ({@code T}); empty when not given
 */
public record ModelSource(
    String packageName,
    String simpleName,
    String qualifiedName,
    String fileName,
    List<String> inputShape,
    List<LayerField> layers,
    Ast.Method forward,
    List<Constructor> constructors,
    SourceRef where,
    boolean isAbstract,
    List<Budget> budgets) {

  /** A model of a concrete class without budgets. */
  public ModelSource(String packageName, String simpleName, String qualifiedName, String fileName, List<String> inputShape,
      List<LayerField> layers, Ast.Method forward, List<Constructor> constructors, SourceRef where) {
    this(packageName, simpleName, qualifiedName, fileName, inputShape, layers, forward, constructors, where, false,
        List.of());
  }

  /** A budget from {@code @Model}: {@code maxParameters} and its positive limit. */
  public record Budget(String name, long limit, SourceRef where) {}

  private static final java.util.regex.Pattern BOUNDED = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*<=\\s*(\\S+)");

  /** The most each named size may be, from entries such as {@code "T<=64"} of {@code @Model(inputDims)}; the bound as written. */
  public java.util.Map<String, String> maxSizes() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String entry : inputShape) {
      java.util.regex.Matcher m = BOUNDED.matcher(entry.trim());
      if (m.matches()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  /** An entry of the sample shape without its bound: {@code "T<=64"} is {@code "T"}. */
  public static String sizeName(String entry) {
    java.util.regex.Matcher m = BOUNDED.matcher(entry.trim());
    return m.matches() ? m.group(1) : entry.trim();
  }

  /** The name of the generated class: {@code CompiledMlp}, or {@code CompiledOuter_Inner} for nested models. */
  public String compiledName() {
    String binary = packageName.isEmpty() ? qualifiedName : qualifiedName.substring(packageName.length() + 1);
    return "Compiled" + binary.replace('.', '_');
  }

  /** The source name of the model class inside its package ({@code Outer.Inner}). */
  public String nameInPackage() {
    return packageName.isEmpty() ? qualifiedName : qualifiedName.substring(packageName.length() + 1);
  }

  /** A {@code @Layer} field: its name, declared type, and how it is built. */
  public record LayerField(String name, String declaredType, LayerInit init, SourceRef where) {}

  /**
   * How a layer is built: the class constructed and its arguments ({@code new Linear(10, 20)}); the
   * children of a {@code Sequential}; the source of a nested {@code @Model}.
   *
   * @param type the qualified name of the constructed class
   * @param args the constructor arguments, or null when the processor cannot see how the layer is built
   * @param children the layers passed to a Sequential's constructor, in order
   * @param nested the nested model's source when {@code type} is a {@code @Model} class, else null
   */
  public record LayerInit(String type, List<Arg> args, List<LayerInit> children, ModelSource nested, SourceRef where) {
    public String simpleType() {
      return type.substring(type.lastIndexOf('.') + 1);
    }
  }

  /** A constructor argument: its compile-time value (Integer, Long, Double, Boolean, String, int[]) or null, and its text. */
  public record Arg(Object value, String text) {
    public boolean isConstant() {
      return value != null;
    }
  }

  /** A constructor of the model, which the generated class repeats: parameter types and names, thrown types. */
  public record Constructor(List<TypeName> parameterTypes, List<String> parameterNames, boolean varargs, List<TypeName> thrown) {}
}
