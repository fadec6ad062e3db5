package dev.flint.processor.parse;

import com.palantir.javapoet.TypeName;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.SourceRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Reads a {@code @Model} class through javac's Trees API into a {@link ModelSource}: the only code that
 * imports {@code com.sun.source}. It reads the {@code @Forward} body and the {@code @Layer} initializers
 * syntactically (method bodies are not attributed while processors run), resolving names through the
 * compilation unit's imports, and reports every construct outside the supported subset.
 */
public final class JavacFrontend {
  private static final String INDEX = "dev.flint.tensor.Index";
  static final String MODULE_LIST = "dev.flint.nn.ModuleList";

  private static final int MAX_NESTING = 8;

  private final ProcessingEnvironment env;
  private final Trees trees;

  private JavacFrontend(ProcessingEnvironment env, Trees trees) {
    this.env = env;
    this.trees = trees;
  }

  /** A frontend for {@code env}, or null when the compiler offers no Trees API (ECJ, some IDE wrappers). */
  public static JavacFrontend create(ProcessingEnvironment env) {
    try {
      return new JavacFrontend(env, Trees.instance(env));
    } catch (IllegalArgumentException | NoClassDefFoundError e) {
      return null;
    }
  }

  /** Reads {@code model}, whose {@code forward} method already passed {@link ModelValidator}. */
  public ModelSource read(TypeElement model, ExecutableElement forward, Diagnostics diags) {
    return read(model, forward, diags, 0);
  }

  private ModelSource read(TypeElement model, ExecutableElement forward, Diagnostics diags, int depth) {
    TreePath classPath = trees.getPath(model);
    if (classPath == null) {
      return null;
    }
    Unit unit = new Unit(classPath.getCompilationUnit(), model);
    String pkg = env.getElementUtils().getPackageOf(model).getQualifiedName().toString();
    String file = fileName(unit.cu);

    List<ModelSource.LayerField> layers = new ArrayList<>();
    Set<String> layerNames = new HashSet<>();
    for (VariableElement field : layerFields(model)) {
      layerNames.add(field.getSimpleName().toString());
    }
    java.util.Map<String, Integer> moduleLists = new java.util.HashMap<>();
    for (VariableElement field : layerFields(model)) {
      ModelSource.LayerField layer = layerField(field, unit, diags, depth);
      layers.add(layer);
      if (env.getTypeUtils().erasure(field.asType()).toString().equals(MODULE_LIST)) {
        boolean known = layer.init().type().equals(MODULE_LIST) && layer.init().args() != null;
        moduleLists.put(layer.name(), known ? layer.init().children().size() : -1);
      }
    }

    MethodTree method = trees.getTree(forward);
    Body body = new Body(unit, layerNames, moduleLists, diags);
    List<Ast.Input> inputs = new ArrayList<>();
    for (int i = 0; i < forward.getParameters().size(); i++) {
      VariableElement p = forward.getParameters().get(i);
      inputs.add(input(p, unit.ref(method.getParameters().get(i), p.getSimpleName().toString())));
      body.locals.add(p.getSimpleName().toString());
    }
    List<Ast.Stmt> stmts = body.block(method.getBody().getStatements());
    String params = String.join(", ", inputs.stream().map(Ast.Input::name).toList());
    Ast.Method fwd = new Ast.Method(inputs, stmts, unit.ref(method, method.getName() + "(" + params + ")"));

    List<ModelSource.Constructor> ctors = new ArrayList<>();
    for (ExecutableElement c : ElementFilter.constructorsIn(model.getEnclosedElements())) {
      if (c.getModifiers().contains(Modifier.PRIVATE)) {
        continue;
      }
      List<TypeName> types = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (VariableElement p : c.getParameters()) {
        types.add(TypeName.get(p.asType()));
        names.add(p.getSimpleName().toString());
      }
      List<TypeName> thrown = new ArrayList<>();
      c.getThrownTypes().forEach(t -> thrown.add(TypeName.get(t)));
      ctors.add(new ModelSource.Constructor(types, names, c.isVarArgs(), thrown));
    }
    SourceRef where = unit.ref(trees.getTree(model), model.getSimpleName().toString());
    return new ModelSource(pkg, model.getSimpleName().toString(), model.getQualifiedName().toString(), file,
        inputShape(model, where, diags), layers, fwd, ctors, where,
        model.getModifiers().contains(Modifier.ABSTRACT), budgets(model, where, diags));
  }

  /** A forward parameter with the shape and dtype of its {@code @Input} annotation, if any. */
  private static Ast.Input input(VariableElement p, SourceRef where) {
    List<String> shape = new ArrayList<>();
    String[] dtype = {"FLOAT"};
    p.getAnnotationMirrors().stream()
        .filter(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(ModelValidator.INPUT))
        .forEach(a -> a.getElementValues().forEach((k, v) -> {
          if (k.getSimpleName().contentEquals("value") && v.getValue() instanceof List<?> items) {
            for (Object item : items) {
              shape.add(String.valueOf(((javax.lang.model.element.AnnotationValue) item).getValue()).trim());
            }
          } else if (k.getSimpleName().contentEquals("dtype")) {
            dtype[0] = String.valueOf(v.getValue()).trim();
          }
        }));
    return new Ast.Input(p.getSimpleName().toString(), shape, dtype[0], where);
  }

  /** The {@code @Layer} fields of {@code model} and of its superclasses (superclass fields first), as Module does. */
  private List<VariableElement> layerFields(TypeElement model) {
    List<VariableElement> out = new ArrayList<>();
    TypeMirror sup = model.getSuperclass();
    if (sup.getKind() == TypeKind.DECLARED) {
      TypeElement parent = (TypeElement) ((DeclaredType) sup).asElement();
      if (!parent.getQualifiedName().contentEquals(ModelValidator.MODULE)) {
        out.addAll(layerFields(parent));
      }
    }
    for (VariableElement f : ElementFilter.fieldsIn(model.getEnclosedElements())) {
      if (ModelValidator.hasAnnotation(f, ModelValidator.LAYER)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The budgets given in {@code @Model}; a limit that is not positive is a {@code [budget-invalid]} error. */
  private List<ModelSource.Budget> budgets(TypeElement model, SourceRef where, Diagnostics diags) {
    List<ModelSource.Budget> out = new ArrayList<>();
    model.getAnnotationMirrors().stream()
        .filter(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals("dev.flint.dsl.Model"))
        .forEach(a -> a.getElementValues().forEach((k, v) -> {
          String name = k.getSimpleName().toString();
          if (!name.startsWith("max")) {
            return;
          }
          if (!(v.getValue() instanceof Number n) || n.longValue() <= 0) {
            diags.error(Message.BUDGET_INVALID, where, name, v.getValue(), model.getSimpleName(),
                name.equals("maxParameters") ? "parameters" : name.equals("maxFlopsPerSample") ? "FLOPs per sample"
                    : "saved bytes per sample");
          } else {
            out.add(new ModelSource.Budget(name, n.longValue(), where));
          }
        }));
    return out;
  }

  /** The sample shape from {@code @Model(input)} (numbers) or {@code @Model(inputDims)} (numbers and names). */
  private List<String> inputShape(TypeElement model, SourceRef where, Diagnostics diags) {
    List<String> numbers = new ArrayList<>();
    List<String> named = new ArrayList<>();
    model.getAnnotationMirrors().stream()
        .filter(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals("dev.flint.dsl.Model"))
        .forEach(a -> a.getElementValues().forEach((k, v) -> {
          boolean dims = k.getSimpleName().contentEquals("inputDims");
          if ((dims || k.getSimpleName().contentEquals("input")) && v.getValue() instanceof List<?> items) {
            for (Object item : items) {
              (dims ? named : numbers).add(String.valueOf(((javax.lang.model.element.AnnotationValue) item).getValue()).trim());
            }
          }
        }));
    if (!numbers.isEmpty() && !named.isEmpty()) {
      diags.error(Message.INPUT_DIMS_INVALID, where, model.getSimpleName(),
          "give the sample shape once, as @Model(input = {...}) or as @Model(inputDims = {...}), not both");
    }
    return named.isEmpty() ? numbers : named;
  }

  // ------------------------------------------------------------------ layers

  private ModelSource.LayerField layerField(VariableElement field, Unit modelUnit, Diagnostics diags, int depth) {
    TypeElement owner = (TypeElement) field.getEnclosingElement();
    TreePath ownerPath = trees.getPath(owner);
    Unit unit = ownerPath == null ? modelUnit : new Unit(ownerPath.getCompilationUnit(), owner);
    String name = field.getSimpleName().toString();
    String declared = env.getTypeUtils().erasure(field.asType()).toString();
    VariableTree tree = (VariableTree) trees.getTree(field);
    SourceRef where = tree == null ? modelUnit.ref(null, name) : unit.ref(tree, name);
    ExpressionTree init = tree == null ? null : tree.getInitializer();
    if (init == null) {
      init = assignmentInConstructors(owner, name);
    }
    ModelSource.LayerInit layer = init == null ? null : layerInit(init, unit, name, diags, depth);
    if (layer == null) {
      layer = new ModelSource.LayerInit(declared, null, List.of(), null, where);
    }
    return new ModelSource.LayerField(name, declared, layer, where);
  }

  /** The right-hand side of {@code this.name = ...} or {@code name = ...} in the first constructor that has one. */
  private ExpressionTree assignmentInConstructors(TypeElement owner, String name) {
    for (ExecutableElement c : ElementFilter.constructorsIn(owner.getEnclosedElements())) {
      MethodTree m = trees.getTree(c);
      if (m == null || m.getBody() == null) {
        continue;
      }
      for (StatementTree s : m.getBody().getStatements()) {
        if (s instanceof ExpressionStatementTree es && es.getExpression() instanceof AssignmentTree a) {
          ExpressionTree lhs = a.getVariable();
          boolean match = (lhs instanceof IdentifierTree id && id.getName().contentEquals(name))
              || (lhs instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals(name)
                  && ms.getExpression() instanceof IdentifierTree t && t.getName().contentEquals("this"));
          if (match) {
            return a.getExpression();
          }
        }
      }
    }
    return null;
  }

  private ModelSource.LayerInit layerInit(ExpressionTree t, Unit unit, String field, Diagnostics diags, int depth) {
    t = unwrap(t);
    if (t instanceof MethodInvocationTree mi) {
      return moduleList(mi, unit, field, diags, depth);
    }
    if (!(t instanceof NewClassTree nc) || nc.getClassBody() != null) {
      return null;
    }
    String type = unit.resolveType(nc.getIdentifier());
    if (type == null) {
      return null;
    }
    List<ModelSource.Arg> args = new ArrayList<>();
    List<ModelSource.LayerInit> children = new ArrayList<>();
    for (ExpressionTree a : nc.getArguments()) {
      ExpressionTree arg = unwrap(a);
      if (arg instanceof NewClassTree) {
        ModelSource.LayerInit child = layerInit(arg, unit, field, diags, depth);
        if (child == null) {
          return null;
        }
        children.add(child);
      } else {
        args.add(new ModelSource.Arg(constantArg(arg, unit), unit.text(arg)));
      }
    }
    SourceRef where = unit.ref(t, unit.text(t));
    ModelSource nested = null;
    TypeElement typeElement = env.getElementUtils().getTypeElement(type);
    if (typeElement != null && ModelValidator.hasAnnotation(typeElement, "dev.flint.dsl.Model")) {
      nested = nested(typeElement, field, where, diags, depth);
    }
    return new ModelSource.LayerInit(type, args, children, nested, where);
  }

  /**
   * {@code ModuleList.of(new Block(), new Block())} or {@code ModuleList.of(IntStream.range(0, N).mapToObj(i -> new
   * Block()).toList())} (also {@code collect(Collectors.toList())}, {@code rangeClosed}) with constant bounds: a
   * ModuleList whose children are known; null for any other form.
   */
  private ModelSource.LayerInit moduleList(MethodInvocationTree mi, Unit unit, String field, Diagnostics diags, int depth) {
    if (!(mi.getMethodSelect() instanceof MemberSelectTree ms) || !ms.getIdentifier().contentEquals("of")
        || !MODULE_LIST.equals(unit.resolveType(ms.getExpression())) || mi.getArguments().isEmpty()) {
      return null;
    }
    List<ModelSource.LayerInit> children = new ArrayList<>();
    List<? extends ExpressionTree> args = mi.getArguments();
    if (args.size() == 1 && !(unwrap(args.get(0)) instanceof NewClassTree)) {
      ExpressionTree body = null;
      long count = -1;
      ExpressionTree e = unwrap(args.get(0));
      if (e instanceof MethodInvocationTree last && last.getMethodSelect() instanceof MemberSelectTree lastSel
          && (lastSel.getIdentifier().contentEquals("toList") || lastSel.getIdentifier().contentEquals("collect"))
          && unwrap(lastSel.getExpression()) instanceof MethodInvocationTree map
          && map.getMethodSelect() instanceof MemberSelectTree mapSel && mapSel.getIdentifier().contentEquals("mapToObj")
          && map.getArguments().size() == 1 && unwrap(map.getArguments().get(0)) instanceof LambdaExpressionTree lambda
          && lambda.getBody() instanceof ExpressionTree made
          && unwrap(mapSel.getExpression()) instanceof MethodInvocationTree range
          && range.getMethodSelect() instanceof MemberSelectTree rangeSel
          && "java.util.stream.IntStream".equals(unit.resolveType(rangeSel.getExpression()))
          && range.getArguments().size() == 2
          && unit.constant(range.getArguments().get(0)) instanceof Integer from
          && unit.constant(range.getArguments().get(1)) instanceof Integer to) {
        boolean closed = rangeSel.getIdentifier().contentEquals("rangeClosed");
        if (closed || rangeSel.getIdentifier().contentEquals("range")) {
          body = made;
          count = Math.max(0, (long) to - from + (closed ? 1 : 0));
        }
      }
      if (body == null || count > 4096) {
        return null;
      }
      ModelSource.LayerInit child = layerInit(body, unit, field, diags, depth);
      if (child == null) {
        return null;
      }
      for (long i = 0; i < count; i++) {
        children.add(child);
      }
    } else {
      for (ExpressionTree a : args) {
        ModelSource.LayerInit child = unwrap(a) instanceof NewClassTree ? layerInit(a, unit, field, diags, depth) : null;
        if (child == null) {
          return null;
        }
        children.add(child);
      }
    }
    return new ModelSource.LayerInit(MODULE_LIST, List.of(), children, null, unit.ref(mi, unit.text(mi)));
  }

  private ModelSource nested(TypeElement type, String field, SourceRef where, Diagnostics diags, int depth) {
    Diagnostics scratch = new Diagnostics();
    ExecutableElement fwd = depth < MAX_NESTING ? new ModelValidator(env).validate(type, scratch) : null;
    ModelSource source = fwd == null || trees.getPath(type) == null ? null : read(type, fwd, scratch, depth + 1);
    if (source == null || scratch.hasErrors()) {
      diags.error(Message.NESTED_MODEL_INVALID, where, field, type.getQualifiedName());
      return null;
    }
    return source;
  }

  // ------------------------------------------------------------------ the forward body

  /** Turns statements and expressions of the forward body into {@link Ast}, reporting what it cannot. */
  private final class Body {
    final Unit unit;
    final Set<String> layers;
    /** The @Layer fields that are ModuleLists, which a for-each loop may iterate over, and their sizes (-1: unknown). */
    final java.util.Map<String, Integer> moduleLists;
    final Diagnostics diags;
    final Set<String> locals = new HashSet<>();
    /** The locals that are not tensors: ints, doubles and lists of tensors. */
    final java.util.Map<String, Ast.Kind> kinds = new java.util.HashMap<>();
    /** The counters of the enclosing for loops, which the body must not assign. */
    final Set<String> counters = new HashSet<>();

    Body(Unit unit, Set<String> layers, java.util.Map<String, Integer> moduleLists, Diagnostics diags) {
      this.unit = unit;
      this.layers = new HashSet<>(layers);
      this.moduleLists = moduleLists;
      this.diags = diags;
    }

    List<Ast.Stmt> block(List<? extends StatementTree> statements) {
      List<Ast.Stmt> out = new ArrayList<>();
      for (StatementTree s : statements) {
        statement(s, out);
      }
      return out;
    }

    void statement(StatementTree s, List<Ast.Stmt> out) {
      SourceRef where = unit.ref(s, unit.text(s));
      switch (s.getKind()) {
        case VARIABLE -> {
          VariableTree v = (VariableTree) s;
          Tree type = v.getType();
          String typeText = type == null ? "var" : unit.text(type);
          Ast.Kind kind = typeText.equals("var") && isSplit(v.getInitializer()) ? Ast.Kind.LIST
              : type != null && isLayerRecord(type) ? Ast.Kind.RECORD : kindOf(typeText);
          if (kind != null && v.getInitializer() != null) {
            Ast.Expr value = expr(v.getInitializer());
            locals.add(v.getName().toString());
            kinds.put(v.getName().toString(), kind);
            if (value != null) {
              out.add(new Ast.Let(v.getName().toString(), kind, value, where));
            }
          } else if (kind != null) {
            unsupported(s, "a " + typeText + " local without an initializer (`" + unit.text(s) + "`)");
          } else if (!(typeText.equals("var") || typeText.equals("Tensor") || typeText.equals(ModelValidator.TENSOR))) {
            unsupported(s, "a local variable of type " + typeText + " (`" + unit.text(s) + "`)");
          } else if (v.getInitializer() == null) {
            locals.add(v.getName().toString());   // assigned later, e.g. in both branches of if (isTraining())
          } else {
            Ast.Expr value = expr(v.getInitializer());
            locals.add(v.getName().toString());
            if (value != null) {
              out.add(new Ast.Declare(v.getName().toString(), value, where));
            }
          }
        }
        case EXPRESSION_STATEMENT -> {
          ExpressionTree e = ((ExpressionStatementTree) s).getExpression();
          if (e instanceof AssignmentTree a && a.getVariable() instanceof IdentifierTree id
              && counters.contains(id.getName().toString())) {
            unsupported(s, "assigning the loop counter " + id.getName() + " in the loop's body (`" + unit.text(s) + "`)");
          } else if (e instanceof AssignmentTree a && a.getVariable() instanceof IdentifierTree id
              && locals.contains(id.getName().toString())) {
            Ast.Expr value = expr(a.getExpression());
            if (value != null) {
              out.add(new Ast.Assign(id.getName().toString(), value, where));
            }
          } else {
            unsupported(s, describe(e) + " as a statement (`" + unit.text(s) + "`)");
          }
        }
        case RETURN -> {
          ExpressionTree e = ((ReturnTree) s).getExpression();
          Ast.Expr value = e == null ? null : expr(e);
          if (value != null) {
            out.add(new Ast.Return(value, where));
          }
        }
        case IF -> {
          IfTree i = (IfTree) s;
          Boolean training = trainingCondition(i.getCondition());
          if (training == null) {
            unsupported(s, "an if statement whose condition is not isTraining() (`if " + unit.text(i.getCondition()) + "`)");
            return;
          }
          List<Ast.Stmt> then = branch(i.getThenStatement());
          List<Ast.Stmt> otherwise = i.getElseStatement() == null ? List.of() : branch(i.getElseStatement());
          out.add(training ? new Ast.IfTraining(then, otherwise, where) : new Ast.IfTraining(otherwise, then, where));
        }
        case FOR_LOOP -> {
          Ast.Stmt loop = forLoop((ForLoopTree) s, where);
          if (loop != null) {
            out.add(loop);
          }
        }
        case ENHANCED_FOR_LOOP -> {
          Ast.Stmt loop = forEach((EnhancedForLoopTree) s, where);
          if (loop != null) {
            out.add(loop);
          }
        }
        case BLOCK -> out.addAll(block(((BlockTree) s).getStatements()));
        case EMPTY_STATEMENT -> { }
        default -> unsupported(s, describe(s) + " (`" + firstLine(unit.text(s)) + "`)");
      }
    }

    /** Whether {@code type} names the record a layer's forward returns: {@code LSTM.Output}, {@code GRU.Output}. */
    boolean isLayerRecord(Tree type) {
      String q = unit.resolveType(type);
      return q != null && q.endsWith(".Output")
          && dev.flint.layers.LayerSpec.forClass(q.substring(0, q.length() - ".Output".length())) != null;
    }

    /** The kind of a local declared with {@code type}, or null for a tensor (or an unsupported type). */
    Ast.Kind kindOf(String type) {
      return switch (type) {
        case "int", "long" -> Ast.Kind.INT;
        case "double", "float" -> Ast.Kind.DOUBLE;
        case "List<Tensor>", "java.util.List<Tensor>", "List<dev.flint.tensor.Tensor>" -> Ast.Kind.LIST;
        default -> null;
      };
    }

    /**
     * {@code for (int i = a; i < n; i++)} (also {@code <=, >, >=}, {@code ++i}, {@code i--}, {@code i += k}), the
     * counter an int local of the body that the body does not assign.
     */
    Ast.Stmt forLoop(ForLoopTree f, SourceRef where) {
      String shape = "a for loop of the form `for (int i = a; i < n; i++)` (`" + firstLine(unit.text(f)) + "`)";
      if (f.getInitializer().size() != 1 || !(f.getInitializer().get(0) instanceof VariableTree init)
          || init.getInitializer() == null || !unit.text(init.getType()).equals("int") || f.getUpdate().size() != 1
          || !(unwrap(f.getCondition()) instanceof BinaryTree cond) || !COMPARE.containsKey(cond.getKind())
          || !(unwrap(cond.getLeftOperand()) instanceof IdentifierTree left)
          || !left.getName().contentEquals(init.getName())) {
        unsupported(f, "a for loop other than " + shape.substring(2));
        return null;
      }
      String var = init.getName().toString();
      Integer step = step(f.getUpdate().get(0).getExpression(), var);
      if (step == null || step == 0) {
        unsupported(f, "a for loop whose update is not i++, i--, i += k or i -= k with a nonzero constant k (`"
            + firstLine(unit.text(f)) + "`)");
        return null;
      }
      Ast.Expr from = expr(init.getInitializer());
      Ast.Expr bound = expr(cond.getRightOperand());
      if (from == null || bound == null) {
        return null;
      }
      Set<String> saved = new HashSet<>(locals);
      locals.add(var);
      kinds.put(var, Ast.Kind.INT);
      counters.add(var);
      List<Ast.Stmt> body = new ArrayList<>();
      statement(f.getStatement(), body);
      counters.remove(var);
      locals.retainAll(saved);
      return new Ast.Loop(var, from, COMPARE.get(cond.getKind()), bound, step, body, where);
    }

    /** {@code for (Block b : blocks)} over a ModuleList field: in the body, {@code b} is a layer. */
    Ast.Stmt forEach(EnhancedForLoopTree f, SourceRef where) {
      String list = layerName(unwrap(f.getExpression()));
      if (list == null || !moduleLists.containsKey(list)) {
        diags.error(Message.FOR_EACH, unit.ref(f.getExpression(), unit.text(f.getExpression())),
            "for (" + unit.text(f.getVariable()) + " : " + unit.text(f.getExpression()) + ")",
            "`" + unit.text(f.getExpression()) + "` is not a @Layer field of type ModuleList; a for-each loop in @Forward"
                + " runs over a ModuleList field (unrolled), and counted loops for (int i = 0; i < n; i++) over constants");
        return null;
      }
      String var = f.getVariable().getName().toString();
      boolean shadows = layers.contains(var);
      Set<String> saved = new HashSet<>(locals);
      locals.remove(var);
      layers.add(var);
      List<Ast.Stmt> body = new ArrayList<>();
      statement(f.getStatement(), body);
      if (!shadows) {
        layers.remove(var);
      }
      locals.retainAll(saved);
      return new Ast.ForEach(var, list, body, where);
    }

    /** The step of {@code i++}, {@code i--}, {@code i += k}, {@code i -= k} on {@code var}, or null. */
    Integer step(ExpressionTree update, String var) {
      if (update instanceof UnaryTree u && unwrap(u.getExpression()) instanceof IdentifierTree id && id.getName().contentEquals(var)) {
        return switch (u.getKind()) {
          case POSTFIX_INCREMENT, PREFIX_INCREMENT -> 1;
          case POSTFIX_DECREMENT, PREFIX_DECREMENT -> -1;
          default -> null;
        };
      }
      if (update instanceof CompoundAssignmentTree c && unwrap(c.getVariable()) instanceof IdentifierTree id
          && id.getName().contentEquals(var) && unit.constant(c.getExpression()) instanceof Integer k) {
        return c.getKind() == Tree.Kind.PLUS_ASSIGNMENT ? k : c.getKind() == Tree.Kind.MINUS_ASSIGNMENT ? -k : null;
      }
      return null;
    }

    /** Whether {@code init} is {@code x.split(...)} or {@code x.chunk(...)}, whose {@code var} is a list. */
    boolean isSplit(ExpressionTree init) {
      return init != null && unwrap(init) instanceof MethodInvocationTree mi && mi.getMethodSelect() instanceof MemberSelectTree ms
          && (ms.getIdentifier().contentEquals("split") || ms.getIdentifier().contentEquals("chunk"));
    }

    List<Ast.Stmt> branch(StatementTree s) {
      Set<String> saved = new HashSet<>(locals);
      List<Ast.Stmt> out = new ArrayList<>();
      statement(s, out);
      locals.retainAll(saved);
      return out;
    }

    /** True for {@code isTraining()}, false for {@code !isTraining()}, null for anything else. */
    Boolean trainingCondition(ExpressionTree c) {
      c = unwrap(c);
      if (c instanceof UnaryTree u && u.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
        Boolean inner = trainingCondition(u.getExpression());
        return inner == null ? null : !inner;
      }
      if (c instanceof MethodInvocationTree mi && mi.getArguments().isEmpty()) {
        ExpressionTree sel = mi.getMethodSelect();
        if (sel instanceof IdentifierTree id && id.getName().contentEquals("isTraining")) {
          return true;
        }
        if (sel instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("isTraining")
            && ms.getExpression() instanceof IdentifierTree t && t.getName().contentEquals("this")) {
          return true;
        }
      }
      return null;
    }

    Ast.Expr expr(ExpressionTree t) {
      t = unwrap(t);
      SourceRef where = unit.ref(t, unit.text(t));
      if (t instanceof IdentifierTree id) {
        String n = id.getName().toString();
        if (locals.contains(n)) {
          return new Ast.Name(n, where);
        }
        if (layers.contains(n)) {
          return unsupportedExpr(t, "the @Layer field `" + n + "` used as a value; call " + n + ".forward(...)");
        }
      }
      if (t instanceof MethodInvocationTree mi) {
        return call(mi, where);
      }
      if (t instanceof MemberSelectTree ms && layerName(ms.getExpression()) != null) {
        return new Ast.LayerParam(layerName(ms.getExpression()), ms.getIdentifier().toString(), where);
      }
      if (t instanceof BinaryTree b && ARITHMETIC.containsKey(b.getKind())) {
        Ast.Expr l = expr(b.getLeftOperand());
        Ast.Expr r = l == null ? null : expr(b.getRightOperand());
        if (r == null) {
          return null;
        }
        if (l instanceof Ast.Literal x && r instanceof Ast.Literal y && x.value() instanceof Number p
            && y.value() instanceof Number q && arithmetic(b.getKind(), p, q) != null) {
          return new Ast.Literal(arithmetic(b.getKind(), p, q), where);
        }
        return new Ast.Arith(ARITHMETIC.get(b.getKind()), l, r, where);
      }
      if (t instanceof UnaryTree u && (u.getKind() == Tree.Kind.UNARY_MINUS || u.getKind() == Tree.Kind.UNARY_PLUS)
          && unit.constant(t) == null) {
        Ast.Expr e = expr(u.getExpression());
        return e == null || u.getKind() == Tree.Kind.UNARY_PLUS ? e
            : new Ast.Arith("-", new Ast.Literal(0, where), e, where);
      }
      if (t instanceof TypeCastTree cast && unit.constant(t) == null
          && List.of("int", "long", "double", "float").contains(unit.text(cast.getType()))) {
        Ast.Expr e = expr(cast.getExpression());
        return e == null ? null : new Ast.Cast(unit.text(cast.getType()), e, where);
      }
      if (t instanceof ArrayAccessTree aa && unwrap(aa.getExpression()) instanceof MethodInvocationTree mi
          && mi.getArguments().isEmpty() && mi.getMethodSelect() instanceof MemberSelectTree ms
          && (ms.getIdentifier().contentEquals("shape") || ms.getIdentifier().contentEquals("size"))) {
        // x.shape()[d] is x.size(d)
        Ast.Expr target = expr(ms.getExpression());
        Ast.Expr index = target == null ? null : expr(aa.getIndex());
        return index == null ? null : new Ast.MethodCall(target, "size", List.of(index), where);
      }
      if (t instanceof NewArrayTree na && na.getInitializers() != null) {
        List<Ast.Expr> items = new ArrayList<>();
        for (ExpressionTree e : na.getInitializers()) {
          Ast.Expr item = expr(e);
          if (item == null) {
            return null;
          }
          items.add(item);
        }
        return new Ast.IntList(items, where);
      }
      Object constant = unit.constant(t);
      if (constant != null) {
        return new Ast.Literal(constant, where);
      }
      if (t instanceof IdentifierTree id) {
        return unsupportedExpr(t, "`" + id.getName() + "`, which is not a Tensor local variable or a constant");
      }
      return unsupportedExpr(t, describe(t) + " (`" + unit.text(t) + "`)");
    }

    Ast.Expr call(MethodInvocationTree mi, SourceRef where) {
      ExpressionTree sel = mi.getMethodSelect();
      List<Ast.Expr> args = new ArrayList<>();
      for (ExpressionTree a : mi.getArguments()) {
        // null: an absent mask of a layer's forward (attn.forward(x, x, x, pad, null)), refused elsewhere below
        Ast.Expr e = unwrap(a).getKind() == Tree.Kind.NULL_LITERAL ? new Ast.Literal(null, unit.ref(a, "null")) : expr(a);
        if (e == null) {
          return null;
        }
        args.add(e);
      }
      if (sel instanceof IdentifierTree id && id.getName().contentEquals("isTraining") && args.isEmpty()) {
        return new Ast.StaticCall("this", "isTraining", args, where);
      }
      if (sel instanceof IdentifierTree id) {
        String supported = "calls to @Layer fields' forward, F functions, Tensor methods and Tensor.cat/stack";
        diags.error(Message.UNSUPPORTED_CALL, unit.ref(mi, unit.text(mi)),
            "calling the model's own method `" + id.getName() + "(...)`", supported);
        return null;
      }
      MemberSelectTree ms = (MemberSelectTree) sel;
      String method = ms.getIdentifier().toString();
      ExpressionTree recv = unwrap(ms.getExpression());
      if (recv instanceof MethodInvocationTree get && get.getMethodSelect() instanceof MemberSelectTree getSel
          && getSel.getIdentifier().contentEquals("get") && get.getArguments().size() == 1
          && moduleLists.containsKey(String.valueOf(layerName(unwrap(getSel.getExpression()))))) {
        String list = layerName(unwrap(getSel.getExpression()));
        if (!method.equals("forward") || args.isEmpty()) {
          diags.error(Message.UNSUPPORTED_CALL, where, "`" + unit.text(mi) + "`", "`" + list + ".get(i).forward(x, ...)`");
          return null;
        }
        Ast.Expr index = expr(get.getArguments().get(0));
        return index == null ? null : new Ast.ItemCall(list, index, args.get(0), args.subList(1, args.size()), where);
      }
      String layer = layerName(recv);
      if (layer != null && method.equals("size") && args.isEmpty() && moduleLists.getOrDefault(layer, -1) >= 0) {
        return new Ast.Literal(moduleLists.get(layer), where);   // blocks.size(), known from how the list is built
      }
      if (layer != null) {
        if (method.equals("forward") && !args.isEmpty()) {
          return new Ast.LayerCall(layer, args.get(0), args.subList(1, args.size()), where);
        }
        diags.error(Message.UNSUPPORTED_CALL, where, "`" + layer + "." + method + "(...)`",
            "`" + layer + ".forward(x, ...)`");
        return null;
      }
      if (args.stream().anyMatch(e -> e instanceof Ast.Literal l && l.value() == null)) {
        diags.error(Message.UNSUPPORTED_CALL, where, "`null` as an argument of `" + unit.text(mi) + "`",
            "null only for an absent mask of a @Layer's forward");
        return null;
      }
      if (recv instanceof IdentifierTree id && !locals.contains(id.getName().toString())) {
        String owner = unit.resolveType(id);
        if ("dev.flint.nn.F".equals(owner)) {
          return new Ast.StaticCall("F", method, args, where);
        }
        if (ModelValidator.TENSOR.equals(owner)) {
          return new Ast.StaticCall("Tensor", method, args, where);
        }
        if (INDEX.equals(owner)) {
          return new Ast.StaticCall("Index", method, args, where);
        }
        if ("java.lang.Math".equals(owner)) {
          return new Ast.StaticCall("Math", method, args, where);
        }
      }
      if (recv instanceof MemberSelectTree q) {
        String owner = unit.text(q);
        if (owner.equals("dev.flint.nn.F") || owner.equals(ModelValidator.TENSOR)) {
          return new Ast.StaticCall(owner.endsWith("F") ? "F" : "Tensor", method, args, where);
        }
        if (owner.equals(INDEX)) {
          return new Ast.StaticCall("Index", method, args, where);
        }
      }
      Ast.Expr target = expr(recv);
      return target == null ? null : new Ast.MethodCall(target, method, args, where);
    }

    /** The @Layer field that {@code t} names ({@code fc1} or {@code this.fc1}), or null. */
    String layerName(ExpressionTree t) {
      if (t instanceof IdentifierTree id && layers.contains(id.getName().toString())
          && !locals.contains(id.getName().toString())) {
        return id.getName().toString();
      }
      if (t instanceof MemberSelectTree ms && ms.getExpression() instanceof IdentifierTree th
          && th.getName().contentEquals("this") && layers.contains(ms.getIdentifier().toString())) {
        return ms.getIdentifier().toString();
      }
      return null;
    }

    void unsupported(Tree t, String what) {
      diags.error(Message.UNSUPPORTED_STATEMENT, unit.ref(t, unit.text(t)), capitalize(what));
    }

    Ast.Expr unsupportedExpr(Tree t, String what) {
      diags.error(Message.UNSUPPORTED_EXPRESSION, unit.ref(t, unit.text(t)), capitalize(what));
      return null;
    }
  }

  // ------------------------------------------------------------------ one compilation unit

  /** A compilation unit: positions, source text, name resolution through its imports, constant folding. */
  private final class Unit {
    final CompilationUnitTree cu;
    final TypeElement context;
    final SourcePositions positions = trees.getSourcePositions();
    final CharSequence source;

    Unit(CompilationUnitTree cu, TypeElement context) {
      this.cu = cu;
      this.context = context;
      CharSequence text;
      try {
        text = cu.getSourceFile().getCharContent(true);
      } catch (IOException e) {
        text = "";
      }
      this.source = text;
    }

    SourceRef ref(Tree tree, String text) {
      if (tree == null) {
        return new SourceRef(fileName(cu), 0, text, text, null);
      }
      long start = positions.getStartPosition(cu, tree);
      int line = start < 0 ? 0 : (int) cu.getLineMap().getLineNumber(start);
      return new SourceRef(fileName(cu), line, text, lineText(start), (kind, msg) -> trees.printMessage(kind, msg, tree, cu));
    }

    /** The trimmed source line that holds {@code pos}. */
    String lineText(long pos) {
      if (pos < 0 || pos > source.length()) {
        return "";
      }
      int begin = (int) pos;
      while (begin > 0 && source.charAt(begin - 1) != '\n') {
        begin--;
      }
      int end = (int) pos;
      while (end < source.length() && source.charAt(end) != '\n' && source.charAt(end) != '\r') {
        end++;
      }
      return source.subSequence(begin, end).toString().trim();
    }

    /** The tree's source, whitespace collapsed to single spaces. */
    String text(Tree tree) {
      long start = positions.getStartPosition(cu, tree);
      long end = positions.getEndPosition(cu, tree);
      if (start < 0 || end < start || end > source.length()) {
        return tree.toString();
      }
      return source.subSequence((int) start, (int) end).toString().replaceAll("\\s+", " ").trim();
    }

    /** The qualified name of the type that {@code name} (an identifier or a qualified name) denotes, or null. */
    String resolveType(Tree name) {
      String text = text(name);
      int generic = text.indexOf('<');
      if (generic >= 0) {
        text = text.substring(0, generic);
      }
      if (text.contains(".") && exists(text)) {
        return text;
      }
      String first = text.contains(".") ? text.substring(0, text.indexOf('.')) : text;
      String rest = text.substring(first.length());
      for (Element e = context; e != null && (e.getKind().isClass() || e.getKind().isInterface()); e = e.getEnclosingElement()) {
        for (TypeElement member : ElementFilter.typesIn(e.getEnclosedElements())) {
          if (member.getSimpleName().contentEquals(first)) {
            return checked(member.getQualifiedName() + rest);
          }
        }
        if (e.getSimpleName().contentEquals(first)) {
          return checked(((TypeElement) e).getQualifiedName() + rest);
        }
      }
      for (ImportTree imp : cu.getImports()) {
        String q = text(imp.getQualifiedIdentifier());
        if (!imp.isStatic() && q.endsWith("." + first)) {
          return checked(q + rest);
        }
      }
      String pkg = env.getElementUtils().getPackageOf(context).getQualifiedName().toString();
      String samePackage = (pkg.isEmpty() ? "" : pkg + ".") + first + rest;
      if (exists(samePackage)) {
        return samePackage;
      }
      for (ImportTree imp : cu.getImports()) {
        String q = text(imp.getQualifiedIdentifier());
        if (!imp.isStatic() && q.endsWith(".*") && exists(q.substring(0, q.length() - 1) + first + rest)) {
          return q.substring(0, q.length() - 1) + first + rest;
        }
      }
      return exists("java.lang." + first + rest) ? "java.lang." + first + rest : null;
    }

    private String checked(String qualified) {
      return exists(qualified) ? qualified : null;
    }

    private boolean exists(String qualified) {
      return env.getElementUtils().getTypeElement(qualified) != null;
    }

    /** The compile-time value of {@code t} (literals, constant fields, arithmetic on them), or null. */
    Object constant(ExpressionTree t) {
      t = unwrap(t);
      if (t instanceof LiteralTree lit) {
        Object v = lit.getValue();
        return v instanceof Number || v instanceof Boolean || v instanceof String ? v : null;
      }
      if (t instanceof TypeCastTree cast) {
        Object v = constant(cast.getExpression());
        return v instanceof Number n ? castTo(text(cast.getType()), n) : null;
      }
      if (t instanceof UnaryTree u) {
        Object v = constant(u.getExpression());
        if (!(v instanceof Number n)) {
          return null;
        }
        return switch (u.getKind()) {
          case UNARY_PLUS -> n;
          case UNARY_MINUS -> n instanceof Integer i ? (Object) (-i) : n instanceof Long l ? (Object) (-l)
              : n instanceof Float f ? (Object) (-f) : (Object) (-n.doubleValue());
          default -> null;
        };
      }
      if (t instanceof BinaryTree b) {
        Object l = constant(b.getLeftOperand());
        Object r = constant(b.getRightOperand());
        return l instanceof Number x && r instanceof Number y ? arithmetic(b.getKind(), x, y) : null;
      }
      if (t instanceof IdentifierTree id) {
        return constantField(context, id.getName().toString());
      }
      if (t instanceof MemberSelectTree ms) {
        String owner = resolveType(ms.getExpression());
        TypeElement type = owner == null ? null : env.getElementUtils().getTypeElement(owner);
        return type == null ? null : constantField(type, ms.getIdentifier().toString());
      }
      return null;
    }

    private Object constantField(TypeElement type, String name) {
      for (Element e = type; e != null && (e.getKind().isClass() || e.getKind().isInterface()); e = e.getEnclosingElement()) {
        for (VariableElement f : ElementFilter.fieldsIn(env.getElementUtils().getAllMembers((TypeElement) e))) {
          if (f.getSimpleName().contentEquals(name) && f.getConstantValue() != null) {
            return f.getConstantValue();
          }
        }
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Binary operators of int/double expressions, by tree kind. */
  private static final java.util.Map<Tree.Kind, String> ARITHMETIC = java.util.Map.of(
      Tree.Kind.PLUS, "+", Tree.Kind.MINUS, "-", Tree.Kind.MULTIPLY, "*", Tree.Kind.DIVIDE, "/", Tree.Kind.REMAINDER, "%");

  /** The comparisons a for loop's condition may use. */
  private static final java.util.Map<Tree.Kind, String> COMPARE = java.util.Map.of(
      Tree.Kind.LESS_THAN, "<", Tree.Kind.LESS_THAN_EQUAL, "<=", Tree.Kind.GREATER_THAN, ">", Tree.Kind.GREATER_THAN_EQUAL, ">=");

  private static Object castTo(String type, Number n) {
    return switch (type) {
      case "int" -> n.intValue();
      case "long" -> n.longValue();
      case "float" -> n.floatValue();
      case "double" -> n.doubleValue();
      default -> null;
    };
  }

  private static Object arithmetic(Tree.Kind op, Number x, Number y) {
    boolean integral = !(x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float);
    if (integral) {
      long a = x.longValue();
      long b = y.longValue();
      Long v = switch (op) {
        case PLUS -> a + b;
        case MINUS -> a - b;
        case MULTIPLY -> a * b;
        case DIVIDE -> b == 0 ? null : a / b;
        case REMAINDER -> b == 0 ? null : a % b;
        default -> null;
      };
      boolean isLong = x instanceof Long || y instanceof Long;
      return v == null ? null : isLong ? (Object) v : (Object) (int) (long) v;
    }
    double a = x.doubleValue();
    double b = y.doubleValue();
    return switch (op) {
      case PLUS -> a + b;
      case MINUS -> a - b;
      case MULTIPLY -> a * b;
      case DIVIDE -> a / b;
      default -> null;
    };
  }

  private static ExpressionTree unwrap(ExpressionTree t) {
    while (t instanceof ParenthesizedTree p) {
      t = p.getExpression();
    }
    return t;
  }

  private static String fileName(CompilationUnitTree cu) {
    String path = cu.getSourceFile().getName();
    return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  }

  /** A construct's name for messages: {@code FOR_LOOP} → "a for loop". */
  private static String describe(Tree t) {
    String words = t.getKind().toString().toLowerCase().replace('_', ' ');
    words = switch (t.getKind()) {
      case ENHANCED_FOR_LOOP -> "for-each loop";
      case METHOD_INVOCATION -> "method call";
      case NEW_CLASS -> "object creation";
      case CONDITIONAL_EXPRESSION -> "conditional expression (?:)";
      case LAMBDA_EXPRESSION -> "lambda";
      case STRING_LITERAL -> "string literal";
      default -> words;
    };
    return (words.matches("^[aeiou].*") ? "an " : "a ") + words;
  }

  private static String firstLine(String text) {
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** A constructor argument's compile-time value; {@code new int[] {4, 8}} of constants is an {@code int[]}. */
  private static Object constantArg(ExpressionTree arg, Unit unit) {
    if (arg instanceof NewArrayTree na && na.getInitializers() != null) {
      int[] values = new int[na.getInitializers().size()];
      for (int i = 0; i < values.length; i++) {
        if (!(unit.constant(na.getInitializers().get(i)) instanceof Integer v)) {
          return null;
        }
        values[i] = v;
      }
      return values;
    }
    return unit.constant(arg);
  }
}
