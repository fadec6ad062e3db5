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
import javax.lang.model.element.Modifier;

/**
 * Writes {@code Compiled<Model>}: the model's constructors, {@code declaredLayers()} by plain field
 * reads, the compiled {@code forward} (one per mode when training and evaluation differ) with its
 * autograd node class, {@code summary()}, and the few helpers the generated code calls.
 */
public final class ClassEmitter {
  static final ClassName MODULE = ClassName.get("dev.flint.nn", "Module");
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName GENERATOR = ClassName.get("dev.flint.tensor", "Generator");
  private static final ClassName DTYPE = ClassName.get("dev.flint.tensor", "DType");

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
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", "dev.flint.processor.ModelProcessor")
            .addMember("comments", "$S", "from " + model.qualifiedName())
            .build())
        .addJavadoc("The compiled form of {@link $T}: the same model, whose {@code forward} runs straight-line\n"
            + "kernel calls and whose backward pass is one generated autograd node. Create it as\n"
            + "{@code $T model = new $N();}.\n", modelType, modelType, name);
    type.addField(FieldSpec.builder(String.class, "SUMMARY", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$S", summary).build());
    constructors(type);
    type.addMethod(declaredLayers());
    String param = model.forward().parameter();
    Constants constants = new Constants();
    ClassName self = ClassName.get(model.packageName(), name);
    if (modes.isEmpty()) {
      type.addJavadoc("<p>Not compiled (see the processor's warning): {@code forward} is the eager one.\n");
    } else if (modes.size() == 1) {
      CompiledMode mode = modes.get(0);
      ForwardEmitter fwd = new ForwardEmitter(mode, param, name, fields(), constants);
      type.addMethod(fwd.emit("forward", true, "Backward"));
      modeFields(type, mode, fwd);
      if (!fwd.gradInputs().isEmpty()) {
        type.addType(new BackwardEmitter(mode, fwd, self, constants).emit("Backward", name + "Backward"));
      }
    } else {
      type.addMethod(MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(ForwardEmitter.TENSOR).addParameter(ForwardEmitter.TENSOR, param)
          .addStatement("return isTraining() ? forwardTraining($N) : forwardEval($N)", param, param).build());
      for (CompiledMode mode : modes) {
        ForwardEmitter fwd = new ForwardEmitter(mode, param, name, fields(), constants);
        String backward = mode.suffix() + "Backward";
        type.addMethod(fwd.emit("forward" + mode.suffix(), false, backward));
        modeFields(type, mode, fwd);
        if (!fwd.gradInputs().isEmpty()) {
          type.addType(new BackwardEmitter(mode, fwd, self, constants).emit(backward, name + backward));
        }
      }
    }
    type.addMethod(MethodSpec.methodBuilder("summary").addModifiers(Modifier.PUBLIC).returns(String.class)
        .addJavadoc("Layers, output shapes, parameter count, FLOPs and saved-activation bytes per sample, computed at compile time.\n")
        .addStatement("return SUMMARY").build());
    helpers(type);
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
          .addJavadoc("Intermediate gradients of the backward pass, reused from step to step. A model instance\n"
              + "must not run two backward passes at the same time on different threads.\n")
          .initializer("new $T[$L]", ForwardEmitter.TENSOR, mode.backwardBuffers().size()).build());
    }
  }

  private List<String> fields() {
    List<String> out = new ArrayList<>();
    model.layers().forEach(f -> out.add(f.name()));
    return out;
  }

  private void constructors(TypeSpec.Builder type) {
    for (ModelSource.Constructor c : model.constructors()) {
      MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC);
      for (int i = 0; i < c.parameterTypes().size(); i++) {
        m.addParameter(c.parameterTypes().get(i), c.parameterNames().get(i));
      }
      m.varargs(c.varargs());
      c.thrown().forEach(m::addException);
      m.addStatement("super($L)", String.join(", ", c.parameterNames()));
      type.addMethod(m.build());
    }
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

  private void helpers(TypeSpec.Builder type) {
    TypeName tensor = ForwardEmitter.TENSOR;
    List<String> used = usedHelpers();
    if (used.contains("dropoutMask")) {
      type.addMethod(MethodSpec.methodBuilder("dropoutMask").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("The mask of {@code F.dropout}: 0 with probability p, else 1/(1-p), drawn from the default\n"
              + "generator in the same order, so compiled and eager models agree under the same seed.\n")
          .returns(tensor).addParameter(tensor, "x").addParameter(double.class, "p")
          .addStatement("double keep = 1 / (1 - p)")
          .addStatement("$T g = $T.defaultGenerator()", GENERATOR, GENERATOR)
          .addStatement("int n = x.numel()")
          .beginControlFlow("if (x.dtype() == $T.FLOAT64)", DTYPE)
          .addStatement("double[] m = new double[n]")
          .beginControlFlow("for (int i = 0; i < n; i++)").addStatement("m[i] = g.nextDouble() < p ? 0 : keep").endControlFlow()
          .addStatement("return $T.of(m, x.shape())", tensor)
          .endControlFlow()
          .addStatement("float[] m = new float[n]")
          .beginControlFlow("for (int i = 0; i < n; i++)").addStatement("m[i] = g.nextDouble() < p ? 0f : (float) keep").endControlFlow()
          .addStatement("return $T.of(m, x.shape())", tensor).build());
    }
    if (used.contains("leakyReluMask")) {
      type.addMethod(MethodSpec.methodBuilder("leakyReluMask").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("The slopes of {@code F.leakyRelu}: 1 where x is positive, else the negative slope.\n")
          .returns(tensor).addParameter(tensor, "x").addParameter(double.class, "slope")
          .addStatement("double[] v = x.toDoubleArray()")
          .beginControlFlow("for (int i = 0; i < v.length; i++)").addStatement("v[i] = v[i] > 0 ? 1 : slope").endControlFlow()
          .beginControlFlow("if (x.dtype() == $T.FLOAT64)", DTYPE)
          .addStatement("return $T.of(v, x.shape())", tensor)
          .endControlFlow()
          .addStatement("float[] f = new float[v.length]")
          .beginControlFlow("for (int i = 0; i < v.length; i++)").addStatement("f[i] = (float) v[i]").endControlFlow()
          .addStatement("return $T.of(f, x.shape())", tensor).build());
    }
    if (used.contains("updateRunningStats")) {
      type.addMethod(MethodSpec.methodBuilder("updateRunningStats").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("Batch norm's running statistics, as {@code F.batchNorm} updates them: running = (1 - momentum)\n"
              + "running + momentum batch, with the unbiased variance.\n")
          .addParameter(tensor, "runningMean").addParameter(tensor, "runningVar").addParameter(tensor, "mean")
          .addParameter(tensor, "var").addParameter(double.class, "momentum").addParameter(int.class, "count")
          .addStatement("double[] m = mean.toDoubleArray()")
          .addStatement("double[] v = var.toDoubleArray()")
          .addStatement("double[] rm = runningMean.toDoubleArray()")
          .addStatement("double[] rv = runningVar.toDoubleArray()")
          .addStatement("double unbias = count / (count - 1.0)")
          .beginControlFlow("for (int i = 0; i < rm.length; i++)")
          .addStatement("rm[i] = (1 - momentum) * rm[i] + momentum * m[i]")
          .addStatement("rv[i] = (1 - momentum) * rv[i] + momentum * v[i] * unbias")
          .endControlFlow()
          .addStatement("$T.copy($T.of(rm), runningMean)", KernelCalls.KERNELS, tensor)
          .addStatement("$T.copy($T.of(rv), runningVar)", KernelCalls.KERNELS, tensor).build());
    }
    if (used.contains("countBatch")) {
      type.addMethod(MethodSpec.methodBuilder("countBatch").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addJavadoc("Adds one to batch norm's {@code num_batches_tracked}.\n")
          .addParameter(tensor, "counter")
          .addStatement("counter.storage().setLong(counter.offset(), counter.getLong() + 1)").build());
    }
  }

  private List<String> usedHelpers() {
    List<String> used = new ArrayList<>();
    for (CompiledMode mode : modes) {
      mode.forward().leaves().forEach(l -> addIfUsed(used, l.access()));
      mode.forward().effects().forEach(e -> addIfUsed(used, e.format()));
    }
    return used;
  }

  private static void addIfUsed(List<String> used, String code) {
    for (String helper : List.of("dropoutMask", "leakyReluMask", "updateRunningStats", "countBatch")) {
      if (code.startsWith(helper + "(") && !used.contains(helper)) {
        used.add(helper);
      }
    }
  }
}
