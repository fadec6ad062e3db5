package dev.flint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.flint.processor.ir.Effect;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.Dim;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.TensorType;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes a forward method: an input check, then one kernel call per node in definition order, each
 * block headed by the user's source line and each statement followed by its shape; then, when
 * gradients are needed, one autograd node holding the saved values.
 */
final class ForwardEmitter {
  static final ClassName TENSOR = ClassName.get("dev.flint.tensor", "Tensor");
  static final ClassName GRAD_MODE = ClassName.get("dev.flint.autograd", "GradMode");
  /** The runtime's facade for generated code (pools, buffer reuse, the lent output). */
  static final String COMPILED_PACKAGE = "dev.flint.compiled";
  private static final ClassName OUTPUTS = ClassName.get(COMPILED_PACKAGE, "Outputs");
  private static final ClassName DTYPE = ClassName.get("dev.flint.tensor", "DType");
  private static final ClassName INPUT_CHECKS = ClassName.get(COMPILED_PACKAGE, "InputChecks");

  private final CompiledMode mode;
  private final List<String> parameters;
  private final String compiledName;
  private final Names names;
  private final Constants constants;
  private final KernelCalls calls;
  private final java.util.Map<Integer, Value> inPlace;
  private final ForwardBuffers buffers;
  private final Fusions fusions;
  private final List<Leaf> gradInputs;
  private final java.util.Map<String, String> maxSizes;

  /** {@code fields} are the model's layer fields, which generated code reads and locals must not shadow. */
  ForwardEmitter(CompiledMode mode, List<String> parameters, String compiledName, List<String> fields, Constants constants) {
    this(mode, parameters, compiledName, fields, constants, java.util.Map.of());
  }

  /** As above; {@code maxSizes} are the declared bounds of named sizes ({@code T<=64}), checked on each call. */
  ForwardEmitter(CompiledMode mode, List<String> parameters, String compiledName, List<String> fields, Constants constants,
      java.util.Map<String, String> maxSizes) {
    this.maxSizes = maxSizes;
    this.mode = mode;
    this.constants = constants;
    this.calls = new KernelCalls(constants);
    this.buffers = mode.forwardBuffers();
    this.fusions = mode.forwardFusions();
    this.gradInputs = mode.gradInputs();
    this.parameters = parameters;
    this.compiledName = compiledName;
    List<String> reserved = new ArrayList<>(fields);
    reserved.addAll(mode.sizes().keySet());
    reserved.removeAll(parameters);
    this.names = new Names("t", reserved.toArray(new String[0]));
    this.inPlace = mode.inPlace();
    List<String> userNames = new ArrayList<>();
    mode.forward().nodes().forEach(n -> userNames.add(n.out().hint()));
    names.avoid(userNames);
  }

  /** The names given to forward values, which the backward node's fields reuse. */
  Names names() {
    return names;
  }

  MethodSpec emit(String methodName, boolean isOverride, String backwardClass) {
    List<Leaf> inputLeaves = mode.forward().leaves().stream().filter(l -> l.role() == Leaf.Role.INPUT).toList();
    inputLeaves.forEach(l -> names.declare(l.value(), l.access()));
    List<Leaf> inputs = gradInputs();
    boolean graph = !inputs.isEmpty();
    String record = graph ? names.reserve("record", "local:record") : null;
    String set = buffers.size() > 0 ? names.reserve("set", "local:set") : null;
    String pool = poolField(mode);
    CodeBlock.Builder body = CodeBlock.builder();
    if (graph) {
      List<CodeBlock> requires = new ArrayList<>();
      inputs.forEach(l -> requires.add(CodeBlock.of("$L.requiresGrad()", code(l.value()))));
      body.add("// Whether this pass records its autograd node (Note [Forward buffers] in the processor).\n");
      body.addStatement("boolean $N = $T.isEnabled() && ($L)", record, GRAD_MODE, CodeBlock.join(requires, " ||$W"));
    }
    if (set != null) {
      body.addStatement("$T[] $N = $N.claim()", TENSOR, set, pool);
    }
    List<Object> items = new ArrayList<>();
    mode.forward().leaves().stream().filter(l -> l.role() == Leaf.Role.COMPUTED).forEach(items::add);
    items.addAll(mode.forward().nodes());
    items.sort(Comparator.comparingInt(ForwardEmitter::idOf));
    List<Effect> effects = new ArrayList<>(mode.forward().effects());
    effects.sort(Comparator.comparingInt(Effect::after));
    String line = "";
    for (Object item : items) {
      line = flushEffects(effects, idOf(item), body, line);
      if (item instanceof Node n && fusions.absorbed(n.out())) {
        continue;   // a fused call below computes what it was for
      }
      SourceRef where = item instanceof Node n ? n.where() : null;
      if (where != null && !where.location().equals(line) && where.line() > 0) {
        body.add("\n// $L  $L\n", where.location(), where.lineText());
        line = where.location();
      }
      if (item instanceof Node n) {
        Value v = n.out();
        Value target = inPlace.get(v.id());
        String comment = target == null ? "" : ", in place: " + names.get(target) + " is not needed again";
        CodeBlock out = target == null ? null : code(target);
        Integer slot = buffers.forward().get(v);
        if (slot != null && KernelCalls.isPlannedView(n.op()) && fusions.call(v) == null) {
          // a view kept in the set from step to step (Note [Planned views] in PlannedViews)
          CodeBlock view = calls.plannedView(n, this::code, set, slot);
          if (buffers.outputOnly().contains(v)) {
            // the output may share this view's storage (or its kept copy, for a reshape that copies): when
            // no graph lends the output, the next call would overwrite what the caller keeps
            CodeBlock fresh = calls.call(n, this::code, null);
            view = graph ? CodeBlock.of("$N ? ($L) : $L", record, view, fresh) : fresh;
            comment += ", a new view when no graph is recorded: the caller keeps the output";
          }
          body.add("$T $N = $L; // $L$L\n", TENSOR, names.declare(v), view, v.type().display(), comment);
          continue;
        }
        if (slot != null) {
          CodeBlock reuse = reuse(set, slot, n);
          if (!buffers.outputOnly().contains(v)) {
            out = reuse;
          } else if (graph) {
            out = CodeBlock.of("$N ? ($L) : null", record, reuse);
            comment = ", a new tensor when no graph is recorded: the caller keeps the output";
          } else {
            comment = ", a new tensor: the caller keeps the output";
          }
        }
        Fusions.Call fused = fusions.call(v);
        CodeBlock call = fused != null ? calls.fused(fused, this::code, out) : calls.call(n, this::code, out);
        body.add("$T $N = $L; // $L$L\n", TENSOR, names.declare(v), call, v.type().display(), comment);
      } else {
        Leaf l = (Leaf) item;
        List<CodeBlock> args = new ArrayList<>();
        l.args().forEach(a -> args.add(code(a)));
        body.add("$T $N = $L; // $L\n", TENSOR, names.declare(l.value()), KernelCalls.template(l.access(), args),
            l.value().type().display());
      }
    }
    flushEffects(effects, Integer.MAX_VALUE, body, line);
    Value out = mode.forward().output();
    body.add("\n");
    if (graph) {
      body.beginControlFlow("if (!$N)", record);
    }
    if (set != null) {
      body.addStatement("$N.giveBack($N)", pool, set);
    }
    body.addStatement("return $L", code(out));
    if (graph) {
      body.endControlFlow();
      List<CodeBlock> ctorArgs = new ArrayList<>();
      ctorArgs.add(CodeBlock.of("this"));
      inputs.forEach(l -> ctorArgs.add(code(l.value())));
      mode.saved().forEach(v -> ctorArgs.add(code(v)));
      mode.backwardSizes().forEach(size -> ctorArgs.add(CodeBlock.of("$L", size)));
      if (set != null) {
        ctorArgs.add(CodeBlock.of("$N", set));
      }
      String backwardBuffers = BackwardEmitter.buffersField(mode);   // null when it keeps none
      if (backwardBuffers != null) {
        ctorArgs.add(CodeBlock.of("this.$N", backwardBuffers));
      }
      body.add("// One autograd node for the whole pass: its backward is the generated $N.backward. The caller\n"
          + "// gets a view of the output buffer, valid until a later forward reuses this buffer set.\n", backwardClass);
      body.addStatement("return $T.lend($L, new $N($L))", OUTPUTS, code(out), backwardClass,
          CodeBlock.join(ctorArgs, ", "));
    }

    CodeBlock.Builder full = CodeBlock.builder();
    java.util.Map<String, String> read = new java.util.HashMap<>();
    mode.sizes().forEach((size, axis) -> read.put(size, axis.input() + ".size(" + axis.axis() + ")"));
    inputLeaves.forEach(l -> full.add(inputCheck(l, read)));
    mode.sizes().forEach((size, axis) -> {
      if (mode.forwardSizes().contains(size)) {
        full.addStatement("int $L = $N.size($L)", size, axis.input(), axis.axis());
      }
    });
    full.add(body.build());
    MethodSpec.Builder m = MethodSpec.methodBuilder(methodName)
        .addModifiers(isOverride ? Modifier.PUBLIC : Modifier.PRIVATE)
        .returns(TENSOR)
        .addCode(full.build());
    parameters.forEach(p -> m.addParameter(TENSOR, p));
    if (isOverride) {
      m.addAnnotation(Override.class);
    } else {
      m.addJavadoc("The forward pass in $L mode.\n", mode.suffix().equals("Training") ? "training" : "evaluation");
    }
    return m.build();
  }

  /** The declared bounds of named sizes ({@code T<=64}) as numbers: buffers are sized for them. */
  java.util.Map<String, Long> bounds() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    maxSizes.forEach((k, v) -> out.put(k, Long.parseLong(v)));
    return out;
  }

  /** The model's field holding the pool of buffer sets of {@code mode}'s forward pass. */
  static String poolField(CompiledMode mode) {
    return "forwardPool" + mode.suffix();
  }

  /** {@code set[slot] = Buffers.reuse(set[slot], dtype, dims...)}: the buffer {@code n} writes into. */
  private CodeBlock reuse(String set, int slot, Node n) {
    Fusions.Call fused = fusions.call(n.out());
    CodeBlock dtype = fused != null ? calls.resultDtype(fused, this::code) : calls.resultDtype(n, this::code);
    return KernelCalls.reuse(set, slot, dtype, n.out(), bounds());
  }

  private String flushEffects(List<Effect> effects, int beforeId, CodeBlock.Builder body, String line) {
    while (!effects.isEmpty() && effects.get(0).after() <= beforeId) {
      Effect e = effects.remove(0);
      if (!e.where().location().equals(line) && e.where().line() > 0) {
        body.add("\n// $L  $L\n", e.where().location(), e.where().lineText());
        line = e.where().location();
      }
      List<CodeBlock> args = new ArrayList<>();
      e.args().forEach(a -> args.add(code(a)));
      body.add(KernelCalls.template(e.format(), args)).add("\n");
    }
    return line;
  }

  /** The leaves that the autograd node takes as inputs: the model input (if floating) and the parameters. */
  List<Leaf> gradInputs() {
    return gradInputs;
  }

  /** How forward code reads {@code v}: a local's name, or the field access of a parameter or buffer. */
  CodeBlock code(Value v) {
    if (names.has(v)) {
      return CodeBlock.of("$N", names.get(v));
    }
    Leaf l = mode.forward().leafOf(v);
    if (l != null && (l.role() == Leaf.Role.PARAM || l.role() == Leaf.Role.BUFFER)) {
      return KernelCalls.template(l.access(), List.of());
    }
    throw new IllegalStateException("forward code reads " + v + " before defining it");
  }

  /**
   * The checks of one input: its rank and known sizes, a named size that an earlier input defines (its read in
   * {@code read}) equal to it, a bounded size ({@code T<=64}) within its bound, then its dtype.
   */
  private CodeBlock inputCheck(Leaf input, java.util.Map<String, String> read) {
    String parameter = input.access();
    List<Dim> shape = input.value().type().dims();
    List<String> conditions = new ArrayList<>();
    conditions.add(parameter + ".dim() != " + shape.size());
    for (int i = 0; i < shape.size(); i++) {
      String own = parameter + ".size(" + i + ")";
      if (shape.get(i).isConstant()) {
        conditions.add(own + " != " + shape.get(i));
      } else if (read.containsKey(shape.get(i).toString()) && !read.get(shape.get(i).toString()).equals(own)) {
        conditions.add(own + " != " + read.get(shape.get(i).toString()));
      }
    }
    String what = parameters.size() == 1 ? "input" : parameter;
    CodeBlock.Builder b = CodeBlock.builder()
        .beginControlFlow("if ($L)", String.join(" || ", conditions))
        .addStatement("throw new $T($S + $T.toString($N.shape()))", IllegalArgumentException.class,
            compiledName + " expects " + what + " of shape " + input.value().type().shapeText() + ", but got ", Arrays.class,
            parameter)
        .endControlFlow();
    for (int i = 0; i < shape.size(); i++) {
      String size = shape.get(i).toString();
      if (maxSizes.containsKey(size)) {
        b.beginControlFlow("if ($N.size($L) > $L)", parameter, i, maxSizes.get(size))
            .addStatement("throw new $T($S + $T.toString($N.shape()))", IllegalArgumentException.class,
                compiledName + " takes " + size + " up to " + maxSizes.get(size) + " (@Model(inputDims)), so " + what
                    + " of shape " + input.value().type().shapeText() + " with " + size + " <= " + maxSizes.get(size)
                    + ", but got ", Arrays.class, parameter)
            .endControlFlow();
      }
    }
    return b.add(dtypeCheck(input)).build();
  }

  /**
   * A floating-point input must have the model's dtype, read from its first floating-point parameter at
   * run time (the model may have been converted with {@code to(DType)}); the message names both fixes.
   */
  private CodeBlock dtypeCheck(Leaf input) {
    if (input.value().type().elem() == TensorType.Elem.BOOL) {
      return CodeBlock.builder()
          .beginControlFlow("if ($N.dtype() != $T.BOOL)", input.access(), DTYPE)
          .addStatement("throw new $T($S + $N.dtype())", IllegalArgumentException.class,
              compiledName + " expects " + input.access() + " of dtype BOOL (@Input), but got ", input.access())
          .endControlFlow()
          .build();
    }
    if (input.value().type().elem() != TensorType.Elem.FLOAT) {
      return CodeBlock.of("");   // token ids for an embedding: their kernels check them
    }
    Leaf param = mode.forward().leaves().stream()
        .filter(l -> l.role() == Leaf.Role.PARAM && l.value().type().elem() == TensorType.Elem.FLOAT)
        .findFirst().orElse(null);
    if (param == null) {
      return CodeBlock.of("");
    }
    CodeBlock model = CodeBlock.of("$L.dtype()", KernelCalls.template(param.access(), List.of()));
    String parameter = input.access();
    return CodeBlock.builder()
        .beginControlFlow("if ($N.dtype() != $L)", parameter, model)
        .addStatement("throw $T.dtypeMismatch($S, $L, $N.dtype())", INPUT_CHECKS, compiledName, model, parameter)
        .endControlFlow()
        .build();
  }

  private static int idOf(Object item) {
    return item instanceof Node n ? n.out().id() : ((Leaf) item).value().id();
  }
}
