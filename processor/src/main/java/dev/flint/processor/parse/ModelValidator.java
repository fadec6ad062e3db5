package dev.flint.processor.parse;

import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.SourceRef;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * The element checks that come before parsing: the class extends Module and can be subclassed, its
 * {@code @Layer} fields are readable, and it has exactly one well-formed {@code @Forward} method.
 */
public final class ModelValidator {
  public static final String MODULE = "dev.flint.nn.Module";
  public static final String TENSOR = "dev.flint.tensor.Tensor";
  static final String INPUT = "dev.flint.dsl.Input";
  public static final String LAYER = "dev.flint.dsl.Layer";
  public static final String FORWARD = "dev.flint.dsl.Forward";

  private final ProcessingEnvironment env;

  public ModelValidator(ProcessingEnvironment env) {
    this.env = env;
  }

  /** Checks {@code model}; returns its {@code @Forward} method when every check passed, else null. */
  public ExecutableElement validate(TypeElement model, Diagnostics diags) {
    int errorsBefore = countErrors(diags);
    SourceRef at = at(model);
    String name = model.getSimpleName().toString();
    TypeElement module = env.getElementUtils().getTypeElement(MODULE);
    TypeElement tensor = env.getElementUtils().getTypeElement(TENSOR);
    if (module == null || tensor == null) {
      diags.error(Message.RUNTIME_MISSING, at, module == null ? MODULE : TENSOR);
      return null;
    }
    if (model.getSuperclass().getKind() == TypeKind.ERROR) {
      return null;   // javac reports the unresolved supertype itself
    }
    if (model.getKind() != ElementKind.CLASS || !isSubtype(model.asType(), module)) {
      diags.error(Message.NOT_A_MODULE, at, name, model.getKind() != ElementKind.CLASS
          ? "nothing: it is " + model.getKind().toString().toLowerCase() : model.getSuperclass());
    }
    if (model.getModifiers().contains(Modifier.FINAL)) {
      diags.error(Message.MODEL_FINAL, at, name, name, name);
    }
    if (model.getModifiers().contains(Modifier.PRIVATE)) {
      diags.error(Message.MODEL_PRIVATE, at, name, name, packageOf(model));
    }
    if (model.getNestingKind() == NestingKind.MEMBER && !model.getModifiers().contains(Modifier.STATIC)) {
      diags.error(Message.MODEL_INNER, at, name);
    }
    boolean hasConstructor = ElementFilter.constructorsIn(model.getEnclosedElements()).stream()
        .anyMatch(c -> !c.getModifiers().contains(Modifier.PRIVATE));
    if (!hasConstructor) {
      diags.error(Message.NO_CONSTRUCTOR, at, name, name);
    }
    for (VariableElement field : objectFields(model, module)) {
      diags.warning(Message.CHILD_AS_OBJECT, at(field), describeField(field, model));
    }
    for (VariableElement field : unannotatedModuleFields(model, module)) {
      boolean isPrivate = field.getModifiers().contains(Modifier.PRIVATE);
      diags.error(Message.LAYER_MISSING, at(field), describeField(field, model), simple(field.asType().toString()),
          field.getSimpleName(), isPrivate ? " and make it non-private (generated code reads it directly)" : "");
    }
    for (VariableElement field : ElementFilter.fieldsIn(model.getEnclosedElements())) {
      if (!hasAnnotation(field, LAYER)) {
        continue;
      }
      SourceRef fieldAt = at(field);
      if (field.getModifiers().contains(Modifier.PRIVATE)) {
        diags.error(Message.LAYER_PRIVATE, fieldAt, field.getSimpleName());
      }
      if (field.getModifiers().contains(Modifier.STATIC)) {
        diags.error(Message.LAYER_STATIC, fieldAt, field.getSimpleName());
      }
      if (field.asType().getKind() != TypeKind.ERROR && !isSubtype(field.asType(), module)) {
        diags.error(Message.LAYER_NOT_MODULE, fieldAt, field.getSimpleName(), field.asType());
      }
    }
    ExecutableElement forward = forwardMethod(model, tensor, diags);
    return countErrors(diags) == errorsBefore ? forward : null;
  }

  /**
   * The non-static Module fields without {@code @Layer} of {@code model} and its superclasses: the
   * runtime counts them as children, so the compiled model must too, and it lists only @Layer fields.
   */
  private List<VariableElement> unannotatedModuleFields(TypeElement model, TypeElement module) {
    List<VariableElement> out = new ArrayList<>();
    for (TypeElement type = model; type != null && !type.equals(module); type = superclassOf(type)) {
      for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
        if (!hasAnnotation(field, LAYER) && !field.getModifiers().contains(Modifier.STATIC)
            && field.asType().getKind() == TypeKind.DECLARED && isSubtype(field.asType(), module)) {
          out.add(field);
        }
      }
    }
    return out;
  }

  /** The non-static fields declared {@code Object} without {@code @Layer}: the runtime counts one as a child when it holds a Module. */
  private List<VariableElement> objectFields(TypeElement model, TypeElement module) {
    List<VariableElement> out = new ArrayList<>();
    for (TypeElement type = model; type != null && !type.equals(module); type = superclassOf(type)) {
      for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
        if (!hasAnnotation(field, LAYER) && !field.getModifiers().contains(Modifier.STATIC)
            && field.asType().getKind() == TypeKind.DECLARED && field.asType().toString().equals("java.lang.Object")) {
          out.add(field);
        }
      }
    }
    return out;
  }

  private static TypeElement superclassOf(TypeElement type) {
    return type.getSuperclass() instanceof javax.lang.model.type.DeclaredType d ? (TypeElement) d.asElement() : null;
  }

  private static String describeField(VariableElement field, TypeElement model) {
    Element owner = field.getEnclosingElement();
    return owner.equals(model) ? "`" + field.getSimpleName() + "`"
        : "`" + owner.getSimpleName() + "." + field.getSimpleName() + "` (inherited)";
  }

  private ExecutableElement forwardMethod(TypeElement model, TypeElement tensor, Diagnostics diags) {
    List<ExecutableElement> forwards = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(model.getEnclosedElements())) {
      if (hasAnnotation(m, FORWARD)) {
        forwards.add(m);
      }
    }
    if (forwards.isEmpty()) {
      diags.error(Message.NO_FORWARD, at(model), model.getSimpleName());
      return null;
    }
    if (forwards.size() > 1) {
      List<String> names = new ArrayList<>();
      forwards.forEach(f -> names.add(f.getSimpleName() + "(…)"));
      for (ExecutableElement extra : forwards.subList(1, forwards.size())) {
        diags.error(Message.SEVERAL_FORWARDS, at(extra), model.getSimpleName(), forwards.size(), String.join(", ", names));
      }
      return null;
    }
    ExecutableElement f = forwards.get(0);
    boolean ok = f.getSimpleName().contentEquals("forward")
        && !f.getParameters().isEmpty()
        && f.getParameters().stream().allMatch(p -> env.getTypeUtils().isSameType(p.asType(), tensor.asType()))
        && env.getTypeUtils().isSameType(f.getReturnType(), tensor.asType())
        && !f.getModifiers().contains(Modifier.STATIC)
        && !f.getModifiers().contains(Modifier.ABSTRACT)
        && !f.getModifiers().contains(Modifier.FINAL)
        && !f.getModifiers().contains(Modifier.PRIVATE);
    if (!ok) {
      diags.error(Message.FORWARD_SIGNATURE, at(f), describe(f));
      return null;
    }
    return f;
  }

  private static String describe(ExecutableElement m) {
    StringBuilder s = new StringBuilder();
    for (Modifier mod : m.getModifiers()) {
      s.append(mod).append(' ');
    }
    s.append(simple(m.getReturnType().toString())).append(' ').append(m.getSimpleName()).append('(');
    for (int i = 0; i < m.getParameters().size(); i++) {
      VariableElement p = m.getParameters().get(i);
      s.append(i > 0 ? ", " : "").append(simple(p.asType().toString())).append(' ').append(p.getSimpleName());
    }
    return "`" + s.append(")`");
  }

  private static String simple(String type) {
    return type.substring(type.lastIndexOf('.') + 1);
  }

  private boolean isSubtype(TypeMirror type, TypeElement of) {
    return env.getTypeUtils().isSubtype(env.getTypeUtils().erasure(type), env.getTypeUtils().erasure(of.asType()));
  }

  static boolean hasAnnotation(Element e, String qualifiedName) {
    return e.getAnnotationMirrors().stream()
        .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(qualifiedName));
  }

  private String packageOf(TypeElement model) {
    return env.getElementUtils().getPackageOf(model).getQualifiedName().toString();
  }

  private static int countErrors(Diagnostics diags) {
    return (int) diags.entries().stream().filter(e -> e.kind() == Diagnostic.Kind.ERROR).count();
  }

  /** A reference that prints at {@code element} through the Messager. */
  public SourceRef at(Element element) {
    Messager messager = env.getMessager();
    String name = element.getSimpleName().toString();
    return new SourceRef("", 0, name, name, (kind, msg) -> messager.printMessage(kind, msg, element));
  }
}
