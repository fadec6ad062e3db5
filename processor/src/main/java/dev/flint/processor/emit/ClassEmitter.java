package dev.flint.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code Compiled<Model>}: the model's constructors, {@code declaredLayers()} by plain field
 * reads, the compiled {@code forward} (one per mode when training and evaluation differ) with its
 * autograd node class, {@code summary()}, {@code forwardGraph()} (the evaluation pass as data, see
 * {@link GraphEmitter}), and the few helpers the generated code calls.
 */
public final class ClassEmitter {
  static final ClassName MODULE = ClassName.get("dev.flint.nn", "Module");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName TENSOR_SPEC = ClassName.get("dev.flint.tensor", "TensorSpec");
  private static final ClassName DTYPE = ClassName.get("dev.flint.tensor", "DType");
  private static final ClassName STATE_SCHEMA_CHECK = ClassName.get("dev.flint.compiled", "StateSchemaCheck");
  private static final ClassName COMPILED_MODEL = ClassName.get("dev.flint.nn", "CompiledModel");
  private static final TypeName MODULE_SUPPLIER = ParameterizedTypeName.get(ClassName.get(Supplier.class), MODULE);

  private final ModelSource model;
  private final List<CompiledMode> modes;
  private final String summary;

  /** {@code modes} holds one mode (used in both training and evaluation) or two: training, then evaluation. */
  public ClassEmitter(ModelSource model, List<CompiledMode> modes, String summary) {
    this.model = model;
    this.modes = modes;
    this.summary = summary;
  }

  public JavaFile emit() {
    String name = model.compiledName();
    String[] path = model.nameInPackage().split("\\.");
    ClassName modelType = ClassName.get(model.packageName(), path[0], java.util.Arrays.copyOfRange(path, 1, path.length));
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PUBLIC)
        .superclass(modelType)
        .addSuperinterface(COMPILED_MODEL)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", "dev.flint.processor.ModelProcessor")
            .addMember("comments", "$S", "from " + model.qualifiedName())
            .build())
        .addJavadoc("The compiled form of {@link $T}: the same model, whose {@code forward} runs straight-line\n"
            + "kernel calls and whose backward pass is one generated autograd node. Create it as\n"
            + "{@code $T model = new $N();}.\n", modelType, modelType, name);
    type.addField(FieldSpec.builder(String.class, "SUMMARY", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$S", summary).build());
    twins(type, modelType, ClassName.get(model.packageName(), name));
    type.addMethod(declaredLayers());
    stateSchema(type, name);
    String params = String.join(", ", model.forward().parameters());
    Constants constants = new Constants();
    ClassName self = ClassName.get(model.packageName(), name);
    boolean backwardEmitted = false;
    if (modes.isEmpty()) {
      type.addJavadoc("<p>Not compiled (see the processor's warning): {@code forward} is the eager one.\n");
    } else if (modes.size() == 1) {
      CompiledMode mode = modes.get(0);
      ForwardEmitter fwd = new ForwardEmitter(mode, model.forward().parameters(), name, fields(), constants, model.maxSizes());
      type.addMethod(fwd.emit("forward", true, "Backward"));
      modeFields(type, mode, fwd);
      if (!fwd.gradInputs().isEmpty()) {
        type.addType(new BackwardEmitter(mode, fwd, self, constants).emit("Backward", name + "Backward"));
        backwardEmitted = true;
      }
    } else {
      MethodSpec.Builder dispatch = MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(ForwardEmitter.TENSOR);
      model.forward().parameters().forEach(p -> dispatch.addParameter(ForwardEmitter.TENSOR, p));
      type.addMethod(dispatch.addStatement("return isTraining() ? forwardTraining($L) : forwardEval($L)", params, params)
          .build());
      for (CompiledMode mode : modes) {
        ForwardEmitter fwd = new ForwardEmitter(mode, model.forward().parameters(), name, fields(), constants, model.maxSizes());
        String backward = mode.suffix() + "Backward";
        type.addMethod(fwd.emit("forward" + mode.suffix(), false, backward));
        modeFields(type, mode, fwd);
        if (!fwd.gradInputs().isEmpty()) {
          type.addType(new BackwardEmitter(mode, fwd, self, constants).emit(backward, name + backward));
          backwardEmitted = true;
        }
      }
    }
    if (backwardEmitted) {
      type.addField(FieldSpec.builder(BackwardEmitter.TRAINING_OWNER, BackwardEmitter.OWNER_FIELD, Modifier.PRIVATE,
              Modifier.FINAL)
          .addJavadoc("The thread training this instance: its backward buffers are the instance's, so a second\n"
              + "thread's training forward fails while a graph of the first is live (concurrent noGrad forwards are fine).\n")
          .initializer("new $T($S)", BackwardEmitter.TRAINING_OWNER, name).build());
    }
    type.addMethod(MethodSpec.methodBuilder("summary").addModifiers(Modifier.PUBLIC).returns(String.class)
        .addJavadoc("Layers, output shapes, parameter count, FLOPs and saved-activation bytes per sample, computed at compile time.\n")
        .addStatement("return SUMMARY").build());
    if (!modes.isEmpty()) {
      type.addMethod(new GraphEmitter(modes.get(modes.size() - 1), name).emit());   // the evaluation mode is last
    }
    constants.fields().forEach(type::addField);
    return JavaFile.builder(model.packageName(), type.build())
        .addFileComment("Generated from $L. Do not edit.", model.fileName())
        .indent("  ")
        .skipJavaLangImports(true)
        .build();
  }

  /**
   * The model's fields for {@code mode}'s passes: the pool of forward buffer sets, and when gradients
   * can flow, the pool of node input arrays, the array of returned gradients and the backward buffers.
   */
  private static void modeFields(TypeSpec.Builder type, CompiledMode mode, ForwardEmitter fwd) {
    int sets = mode.forwardBuffers().size();
    if (sets > 0) {
      type.addField(FieldSpec.builder(BackwardEmitter.BUFFER_POOL, ForwardEmitter.poolField(mode), Modifier.PRIVATE,
              Modifier.FINAL)
          .addJavadoc("Sets of $L buffers for forward values and returned gradients, one per live graph (Note [Forward buffers]).\n",
              sets)
          .initializer("new $T($L)", BackwardEmitter.BUFFER_POOL, sets).build());
    }
    int inputs = fwd.gradInputs().size();
    if (inputs == 0) {
      return;
    }
    type.addField(FieldSpec.builder(BackwardEmitter.BUFFER_POOL, BackwardEmitter.inputsPoolField(mode), Modifier.PRIVATE,
            Modifier.FINAL)
        .addJavadoc("The arrays that autograd nodes return from {@code inputs()}, reused once a node is freed.\n")
        .initializer("new $T($L)", BackwardEmitter.BUFFER_POOL, inputs).build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(ForwardEmitter.TENSOR), BackwardEmitter.gradsField(mode),
            Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("The gradients a backward pass returns, one per node input; the engine reads them at once.\n")
        .initializer("new $T[$L]", ForwardEmitter.TENSOR, inputs).build());
    String field = BackwardEmitter.buffersField(mode);
    if (field != null) {
      type.addField(FieldSpec.builder(ArrayTypeName.of(ForwardEmitter.TENSOR), field, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("Intermediate gradients of the backward pass and its kept views, reused from step to step;\n"
              + "one thread trains the instance at a time ({@code trainingOwner}).\n")
          .initializer("new $T[$L]", ForwardEmitter.TENSOR, BackwardBuffers.size(mode.backward(), mode.backwardBuffers()))
          .build());
    }
  }

  private List<String> fields() {
    List<String> out = new ArrayList<>();
    model.layers().forEach(f -> out.add(f.name()));
    return out;
  }

  /**
   * The model's constructors, each also recording how to build the twins ({@code new Mlp(hidden)} and
   * {@code new CompiledMlp(hidden)}) with the same arguments, for {@link CompiledModel}'s tools.
   */
  private void twins(TypeSpec.Builder type, ClassName modelType, ClassName self) {
    type.addField(FieldSpec.builder(MODULE_SUPPLIER, "eagerTwin", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Builds the user's class as this instance was built (ModelCheck compares against it).\n").build());
    type.addField(FieldSpec.builder(MODULE_SUPPLIER, "compiledTwin", Modifier.PRIVATE, Modifier.FINAL).build());
    List<ModelSource.Constructor> ctors = model.constructors().isEmpty()
        ? List.of(new ModelSource.Constructor(List.of(), List.of(), false, List.of())) : model.constructors();
    for (ModelSource.Constructor c : ctors) {
      MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC);
      for (int i = 0; i < c.parameterTypes().size(); i++) {
        m.addParameter(c.parameterTypes().get(i), c.parameterNames().get(i));
      }
      m.varargs(c.varargs());
      c.thrown().forEach(m::addException);
      String args = String.join(", ", c.parameterNames());
      m.addStatement("super($L)", args);
      m.addCode("this.eagerTwin = $L;\n", twinFactory(c, model.isAbstract() ? "new $T($L) {}" : "new $T($L)", modelType));
      m.addCode("this.compiledTwin = $L;\n", twinFactory(c, "new $T($L)", self));
      type.addMethod(m.build());
    }
    type.addMethod(MethodSpec.methodBuilder("newEagerTwin").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(MODULE).addStatement("return eagerTwin.get()").build());
    type.addMethod(MethodSpec.methodBuilder("newCompiledTwin").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(MODULE).addStatement("return compiledTwin.get()").build());
  }

  /** {@code () -> new T(args)}; a constructor that declares exceptions rethrows them unchecked. */
  private static com.palantir.javapoet.CodeBlock twinFactory(ModelSource.Constructor c, String creation, ClassName type) {
    String args = String.join(", ", c.parameterNames());
    if (c.thrown().isEmpty()) {
      return com.palantir.javapoet.CodeBlock.of("() -> " + creation, type, args);
    }
    return com.palantir.javapoet.CodeBlock.builder().add("() -> {\n").indent()
        .beginControlFlow("try").addStatement("return " + creation, type, args)
        .nextControlFlow("catch ($T e)", RuntimeException.class).addStatement("throw e")
        .nextControlFlow("catch ($T e)", Exception.class)
        .addStatement("throw new $T($S, e)", IllegalStateException.class, "cannot build a twin of this model")
        .endControlFlow().unindent().add("}").build();
  }

  /**
   * {@code stateSchema()}: the state dict's keys, shapes and dtypes as constants, and {@code load(path)}
   * checking a file's header against them before any tensor data is read. Not written when a layer's
   * state is unknown at compile time (the model then fell back to eager).
   */
  private void stateSchema(TypeSpec.Builder type, String name) {
    Map<String, StateSchema.Entry> schema = StateSchema.of(model);
    if (schema == null) {
      return;
    }
    TypeName map = ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), TENSOR_SPEC);
    com.palantir.javapoet.CodeBlock.Builder init = com.palantir.javapoet.CodeBlock.builder()
        .addStatement("$T schema = new $T<>()", map, LinkedHashMap.class);
    schema.forEach((key, e) -> {
      StringBuilder dims = new StringBuilder();
      for (int d : e.shape()) {
        dims.append(", ").append(d);
      }
      init.addStatement("schema.put($S, $T.of($T.$L$L))", key, TENSOR_SPEC, DTYPE, e.counter() ? "INT64" : "FLOAT32", dims);
    });
    init.addStatement("return $T.unmodifiableMap(schema)", java.util.Collections.class);
    type.addField(FieldSpec.builder(map, "STATE_SCHEMA", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("stateSchemaEntries()").build());
    type.addMethod(MethodSpec.methodBuilder("stateSchemaEntries").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(map).addCode(init.build()).build());
    type.addMethod(MethodSpec.methodBuilder("stateSchema").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(map)
        .addJavadoc("The state dict's keys in order, each with its shape and dtype, known at compile time.\n")
        .addStatement("return STATE_SCHEMA").build());
    ClassName path = ClassName.get("java.nio.file", "Path");
    type.addMethod(MethodSpec.methodBuilder("load").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(MODULE).addParameter(path, "path")
        .addJavadoc("Loads a safetensors file after checking its header against {@link #stateSchema()}: every missing,\n"
            + "unexpected, mis-shaped or mis-typed key is named in one error, before any tensor data is read.\n")
        .addStatement("$T.check($S, STATE_SCHEMA, path)", STATE_SCHEMA_CHECK, name)
        .addStatement("return super.load(path)").build());
  }

  private MethodSpec declaredLayers() {
    TypeName map = ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class), MODULE);
    MethodSpec.Builder m = MethodSpec.methodBuilder("declaredLayers").addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED).returns(map)
        .addJavadoc("The @Layer fields by name, read directly (no reflection), so state-dict keys are {@code fc1.weight}.\n")
        .addStatement("$T layers = new $T<>()", map, LinkedHashMap.class);
    for (ModelSource.LayerField f : model.layers()) {
      // this.layers would be shadowed by the local map
      m.addStatement(f.name().equals("layers") ? "layers.put($S, this.$N)" : "layers.put($S, $N)", f.name(), f.name());
    }
    return m.addStatement("layers.values().removeIf($T::isNull)", Objects.class).addStatement("return layers").build();
  }
}
