package dev.flint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Node;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes the autograd node of a compiled forward pass: a nested class whose {@code backward} is the
 * chain rule written out, node by node, as the op table's derivative rules produced it. Gradients
 * are named {@code d<Name>} after the forward value they belong to. The steps needed only for the
 * input's gradient run only when the input requires one.
 */
final class BackwardEmitter {
  static final ClassName NODE = ClassName.get("dev.flint.autograd", "Node");
  private static final TypeName TENSORS = ArrayTypeName.of(ForwardEmitter.TENSOR);
  static final ClassName BUFFER_POOL = ClassName.get(ForwardEmitter.COMPILED_PACKAGE, "BufferPool");
  static final ClassName TRAINING_OWNER = ClassName.get(ForwardEmitter.COMPILED_PACKAGE, "TrainingOwner");
  /** The model's field that records which thread is training it (one per model, for every mode). */
  static final String OWNER_FIELD = "trainingOwner";

  private final CompiledMode mode;
  private final ForwardEmitter forward;
  private final Names names;
  private final KernelCalls calls;
  private final ClassName model;
  private final Map<Integer, String> fields = new HashMap<>();
  private final Map<Value, Integer> buffered;
  private final ForwardBuffers forwardBuffers;
  private final Fusions fusions;
  private String buffersField;
  private String setField;
  private String modelField;

  /** {@code model} is the generated class, whose pools and arrays the node uses. */
  BackwardEmitter(CompiledMode mode, ForwardEmitter forward, ClassName model, Constants constants) {
    this.mode = mode;
    this.forward = forward;
    this.model = model;
    this.calls = new KernelCalls(constants);
    this.buffered = mode.backwardBuffers();
    this.forwardBuffers = mode.forwardBuffers();
    this.fusions = mode.backwardFusions();
    this.names = new Names("g", mode.sizes().keySet().toArray(new String[0]));
  }

  /** The model's pool of the arrays that nodes of {@code mode} return from {@code inputs()}. */
  static String inputsPoolField(CompiledMode mode) {
    return "nodeInputs" + mode.suffix();
  }

  /** The model's array that the backward pass of {@code mode} returns its gradients in. */
  static String gradsField(CompiledMode mode) {
    return "inputGrads" + mode.suffix();
  }

  /** The model's field holding the buffers of {@code mode}'s backward pass, or null when it needs none. */
  static String buffersField(CompiledMode mode) {
    return mode.backwardBuffers().isEmpty() ? null : "backwardBuffers" + mode.suffix();
  }

  TypeSpec emit(String className, String nodeName) {
    List<Leaf> inputs = forward.gradInputs();
    names.declare(mode.backward().seed(), "dOut");
    TypeSpec.Builder type = TypeSpec.classBuilder(className)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .superclass(NODE)
        .addJavadoc("The backward pass of {@code $L}: the chain rule written out, from {@code dOut} = dL/d(output).\n",
            mode.suffix().isEmpty() ? "forward" : "forward" + mode.suffix());
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
    modelField = names.reserve("model", "field:model");
    String inputsField = names.reserve("inputs", "field:inputs");
    String noInputs = names.reserve("NO_INPUTS", "field:NO_INPUTS");
    type.addField(FieldSpec.builder(TENSORS, noInputs, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("What {@code inputs()} shows once backward has freed the node, as eager nodes do.\n")
        .initializer("new $T[$L]", ForwardEmitter.TENSOR, inputs.size()).build());
    type.addField(FieldSpec.builder(model, modelField, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("The model whose pools and arrays this pass uses (Note [Forward buffers]).\n").build());
    type.addField(FieldSpec.builder(TENSORS, inputsField, Modifier.PRIVATE)
        .addJavadoc("The inputs in argument order, in an array from the model's pool, given back with the node.\n").build());
    ctor.addParameter(model, modelField).addStatement("this.$N = $N", modelField, modelField);
    ctor.addComment("a graph of this model is live: no other thread may train it until the graph is freed");
    ctor.addStatement("$N.$N.claim()", modelField, OWNER_FIELD);
    List<String> inputFields = new ArrayList<>();
    for (Leaf l : inputs) {
      String name = field(l.value(), l.role() == Leaf.Role.INPUT ? forward.names().get(l.value()) : l.value().hint());
      inputFields.add(name);
      type.addField(ForwardEmitter.TENSOR, name, Modifier.PRIVATE, Modifier.FINAL);
      ctor.addParameter(ForwardEmitter.TENSOR, name).addStatement("this.$N = $N", name, name);
    }
    List<String> savedFields = new ArrayList<>();
    for (Value v : mode.saved()) {
      String name = field(v, forward.names().get(v));
      savedFields.add(name);
      type.addField(FieldSpec.builder(ForwardEmitter.TENSOR, name, Modifier.PRIVATE).build());
      ctor.addParameter(ForwardEmitter.TENSOR, name).addStatement("this.$N = $N", name, name);
    }
    for (String size : mode.backwardSizes()) {
      type.addField(int.class, size, Modifier.PRIVATE, Modifier.FINAL);
      ctor.addParameter(int.class, size).addStatement("this.$L = $L", size, size);
    }
    if (forwardBuffers.size() > 0) {
      setField = names.reserve("set", "field:set");
      type.addField(FieldSpec.builder(TENSORS, setField, Modifier.PRIVATE)
          .addJavadoc("The forward pass's buffer set: saved values and returned gradients (Note [Forward buffers]).\n")
          .build());
      ctor.addParameter(TENSORS, setField).addStatement("this.$N = $N", setField, setField);
    }
    if (!buffered.isEmpty()) {
      buffersField = names.reserve("buffers", "buffers" + buffered.size());
      type.addField(FieldSpec.builder(TENSORS, buffersField, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("The model's reused buffers for intermediate gradients (Note [Backward buffers]).\n").build());
      ctor.addParameter(TENSORS, buffersField).addStatement("this.$N = $N", buffersField, buffersField);
    }
    ctor.addStatement("this.$N = $N.$N.claim()", inputsField, modelField, inputsPoolField(mode));
    for (int i = 0; i < inputFields.size(); i++) {
      ctor.addStatement("$N[$L] = $N", inputsField, i, inputFields.get(i));
    }
    type.addMethod(ctor.build());

    type.addMethod(MethodSpec.methodBuilder("inputs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(TENSORS).addStatement("return $N", inputsField).build());
    type.addMethod(MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
        .returns(TENSORS).addParameter(ForwardEmitter.TENSOR, "dOut").addCode(body(inputs)).build());
    MethodSpec.Builder release = MethodSpec.methodBuilder("releaseSaved").addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED);
    savedFields.forEach(f -> release.addStatement("$N = null", f));
    if (setField != null) {
      release.addStatement("$N.$N.giveBack($N)", modelField, ForwardEmitter.poolField(mode), setField);
      release.addStatement("$N = null", setField);
    }
    release.addStatement("$N.$N.giveBack($N)", modelField, inputsPoolField(mode), inputsField);
    release.addStatement("$N = $N", inputsField, noInputs);
    release.addStatement("$N.$N.release()", modelField, OWNER_FIELD);
    type.addMethod(release.build());
    type.addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(String.class).addStatement("return $S", nodeName).build());
    return type.build();
  }

  private String field(Value v, String suggestion) {
    String name = names.reserve(suggestion, "field" + v.id());
    fields.put(v.id(), name);
    return name;
  }

  private CodeBlock body(List<Leaf> inputs) {
    Map<Integer, Value> gradOf = new HashMap<>();
    mode.backward().grads().forEach((v, g) -> gradOf.putIfAbsent(g.id(), v));
    List<Leaf> inputLeaves = inputs.stream().filter(l -> l.role() == Leaf.Role.INPUT).toList();
    // the steps only an input's gradient needs run when it requires one; with several inputs, always
    Leaf input = inputLeaves.size() == 1 ? inputLeaves.get(0) : null;
    Value inputGrad = input == null ? null : mode.backward().leafGrads().get(input.value());
    Set<Value> forParams = mode.neededForParams();
    List<Node> always = new ArrayList<>();
    List<Node> onlyInput = new ArrayList<>();
    for (Node n : mode.backward().nodes()) {
      (forParams.contains(n.out()) ? always : onlyInput).add(n);
    }
    CodeBlock.Builder b = CodeBlock.builder();
    String line = write(always, b, gradOf, "", null);
    boolean split = inputGrad != null && onlyInput.stream().anyMatch(n -> n.out().equals(inputGrad));
    if (!split) {
      write(onlyInput, b, gradOf, line, null);
    } else {
      String dx = names.declare(inputGrad, "d" + Names.capitalize(forward.names().get(input.value())));
      b.add("\n");
      b.addStatement("$T $N = null", ForwardEmitter.TENSOR, dx);
      b.beginControlFlow("if ($N.requiresGrad())", fields.get(input.value().id()));
      write(onlyInput, b, gradOf, line, inputGrad);
      b.endControlFlow();
    }
    String grads = names.reserve("grads", "local:grads");
    b.add("\n// The model's array for the returned gradients: the engine reads them before the next node runs.\n");
    b.addStatement("$T $N = $N.$N", TENSORS, grads, modelField, gradsField(mode));
    for (int i = 0; i < inputs.size(); i++) {
      Value g = mode.backward().leafGrads().get(inputs.get(i).value());
      b.addStatement("$N[$L] = $L", grads, i, g == null ? CodeBlock.of("null") : code(g));
    }
    b.addStatement("return $N", grads);
    return b.build();
  }

  private String write(List<Node> nodes, CodeBlock.Builder b, Map<Integer, Value> gradOf, String line, Value assignedOutside) {
    for (Node n : nodes) {
      if (fusions.absorbed(n.out())) {
        continue;   // a fused call below computes what it was for
      }
      SourceRef where = n.where();
      if (!where.location().equals(line) && where.line() > 0) {
        b.add("\n// $L  $L\n", where.location(), where.lineText());
        line = where.location();
      }
      Fusions.Call fused = fusions.call(n.out());
      boolean view = fused == null && KernelCalls.isPlannedView(n.op()) && buffered.containsKey(n.out());
      CodeBlock out = view ? null : buffer(n);
      CodeBlock call = view ? calls.plannedView(n, this::code, buffersField, buffered.get(n.out()))
          : fused != null ? calls.fused(fused, this::code, out) : calls.call(n, this::code, out);
      String type = n.out().type().display();
      if (view) {
        type += ", kept view";
      } else if (buffered.containsKey(n.out())) {
        type += ", reused buffer";
      }
      if (forwardBuffers.grads().containsKey(n.out())) {
        type += ", returned";
      }
      if (n.out().equals(assignedOutside)) {
        b.add("$N = $L; // $L\n", names.get(n.out()), call, type);
        continue;
      }
      Value of = gradOf.get(n.out().id());
      String hint = of == null ? "t" : "d" + Names.capitalize(forwardName(of));
      b.add("$T $N = $L; // $L\n", ForwardEmitter.TENSOR, names.declare(n.out(), hint), call, type);
    }
    return line;
  }

  /**
   * The out argument that writes {@code n} into its reused buffer or, for a returned gradient, into
   * the forward pass's buffer set; null when {@code n} gets a fresh tensor.
   */
  private CodeBlock buffer(Node n) {
    Integer slot = buffered.get(n.out());
    String array = buffersField;
    if (slot == null) {
      slot = forwardBuffers.grads().get(n.out());
      array = setField;
    }
    if (slot == null) {
      return null;
    }
    Fusions.Call fused = fusions.call(n.out());
    CodeBlock dtype = fused != null ? calls.resultDtype(fused, this::code)
        : n.op() == dev.flint.ops.Op.SUM_TO ? CodeBlock.of("$L.dtype()", code(n.inputs().get(0)))   // a gradient: floating
        : calls.resultDtype(n, this::code);
    return KernelCalls.reuse(array, slot, dtype, n.out(), forward.bounds());
  }

  private String forwardName(Value v) {
    if (forward.names().has(v)) {
      return forward.names().get(v);
    }
    return v.hint();
  }

  private CodeBlock code(Value v) {
    if (names.has(v)) {
      return CodeBlock.of("$N", names.get(v));
    }
    String field = fields.get(v.id());
    if (field != null) {
      return CodeBlock.of("$N", field);
    }
    throw new IllegalStateException("backward code reads " + v + ", which is neither saved nor computed");
  }
}
