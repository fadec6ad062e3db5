package dev.flint.processor.diag;

/**
 * The catalog of everything the processor can say. Each row has a kebab-case id, shown in brackets at
 * the start of the message so users and tests can recognize it, and a format for its arguments.
 */
public enum Message {
  // The model class.
  NOT_A_MODULE("not-a-module", "@Model class %s must extend dev.flint.nn.Module (it extends %s)"),
  MODEL_FINAL("model-final", "@Model class %s must not be final: the processor writes Compiled%s extends %s"),
  MODEL_PRIVATE("model-private", "@Model class %s must not be private: Compiled%s in package %s extends it"),
  MODEL_INNER("model-inner", "@Model class %s must be a top-level or static nested class, not an inner class"),
  NO_CONSTRUCTOR("no-constructor", "@Model class %s has no non-private constructor for Compiled%s to call"),
  LAYER_PRIVATE("layer-private", "@Layer field %s must not be private: generated code reads it directly (make it package-private)"),
  LAYER_STATIC("layer-static", "@Layer field %s must not be static: each model instance owns its layers"),
  LAYER_MISSING("layer-missing", "field %s holds a %s, a Module, so it is a child of the model (as every module attribute in PyTorch), but the processor compiles only @Layer fields: add @Layer to %s%s"),
  CHILD_AS_OBJECT("child-as-object", "field %s is declared as Object: when it holds a Module, the eager model trains and saves it as a child, but the compiled model reads only @Layer fields; declare it with its layer type and add @Layer (or give it another type if it never holds a Module)"),
  LAYER_NOT_MODULE("layer-not-module", "@Layer field %s has type %s, which is not a dev.flint.nn.Module"),
  NO_FORWARD("no-forward", "@Model class %s has no @Forward method; add one: @Forward public Tensor forward(Tensor x) { ... }"),
  SEVERAL_FORWARDS("several-forwards", "@Model class %s has %d @Forward methods (%s); exactly one is allowed"),
  FORWARD_SIGNATURE("forward-signature", "@Forward method must be a non-static, non-final, non-private, non-abstract `Tensor forward(Tensor x)` (or with several Tensor parameters) with a body, but found %s"),
  RUNTIME_MISSING("runtime-missing", "%s is not on the classpath: add the flint-runtime dependency"),
  TREES_UNAVAILABLE("trees-unavailable", "this compiler does not offer javac's Trees API, so %s cannot be compiled; use javac (JDK 17+)"),

  // The @Forward body.
  UNSUPPORTED_STATEMENT("unsupported-statement", "%s is not supported in @Forward; supported statements: Tensor, int, double, List<Tensor> and LSTM.Output/GRU.Output local variables, reassignment, return, if (isTraining()) { ... } else { ... } for (int i = a; i < n; i++) with constant bounds and for (Block b : blocks) over a ModuleList field"),
  UNSUPPORTED_EXPRESSION("unsupported-expression", "%s is not supported in @Forward; supported expressions: Tensor, int, double and List<Tensor> variables, calls to @Layer fields' forward, F functions, Tensor methods, Tensor.cat/stack, list.get(i), numeric literals, constant fields and int/double arithmetic"),
  UNSUPPORTED_CALL("unsupported-call", "%s is not supported in @Forward; supported: %s"),
  UNSUPPORTED_LAYER("unsupported-layer", "@Layer %s has type %s, which the processor cannot compile; supported layers: %s"),
  UNKNOWN_LAYER_INIT("unknown-layer-init", "@Layer %s is not initialized with `new %s(...)` in its declaration or a constructor; the processor needs to see how it is built"),
  NESTED_MODEL_INVALID("nested-model-invalid", "@Layer %s is the @Model %s, which has errors of its own; fix those first"),
  NON_CONSTANT_ARG("non-constant-arg", "argument `%s` of %s is not a compile-time constant, so %s cannot be checked or compiled; %s runs the eager forward instead, with its run-time shape checks"),
  INPUT_SHAPE_NEEDED("input-shape-needed", "%s needs the input's shape, which the processor cannot infer from the first layer; give the shape of one sample as @Model(input = {...}). Until then %s runs the eager forward"),
  INPUT_DIMS_INVALID("input-dims-invalid", "the input shape in @Model of %s: %s"),
  BUDGET_INVALID("budget-invalid", "@Model(%s = %s) of %s: a budget must be a positive number (the most %s allowed); leave it out for no budget"),
  OVER_BUDGET("over-budget", "%s has %s %s, over the budget @Model(%s = %s); the largest: %s"),
  BUDGET_SYMBOLIC("budget-symbolic", "@Model(%s) of %s cannot be checked: its %s is %s, which depends on the input's named sizes"),
  INPUT_UNDECLARED("input-undeclared", "forward parameter %s has no shape: the processor reads the first parameter's from @Model(input) or @Model(inputDims), and every other's from its @Input annotation, such as @Input(value = {\"B\", \"T\"}, dtype = \"BOOL\") Tensor %s"),
  INPUT_INVALID("input-invalid", "@Input of forward parameter %s: %s"),
  NO_RETURN("no-return", "@Forward method must end with `return <tensor>;`"),
  SIZE_ARITHMETIC("size-arithmetic", "%s: %s"),
  LOOP_BOUND("loop-bound", "%s: the loop's %s `%s` is %s, not a compile-time constant; the processor unrolls for loops, so their bounds must be int constants, constant fields or int locals computed from them"),
  FOR_EACH("for-each", "%s: %s"),
  MODULE_LIST("module-list", "%s: %s"),
  UNASSIGNED("unassigned", "variable %s is used before it holds a tensor"),

  // Shapes and dtypes.
  SHAPE_MISMATCH("shape-mismatch", "%s expects %s, but %s has shape %s%s"),
  MATMUL_MISMATCH("matmul-mismatch", "matmul: %s @ %s: inner dimensions %s != %s"),
  BROADCAST_MISMATCH("broadcast-mismatch", "%s: shapes %s and %s cannot be broadcast (%s vs %s)"),
  CAT_MISMATCH("cat-mismatch", "%s along dim %d: %s and %s differ in dim %d (%s vs %s)"),
  DIM_OUT_OF_RANGE("dim-out-of-range", "%s: dim %d is out of range for %s, which has %d dims (expected %d..%d)"),
  RESHAPE_MISMATCH("reshape-mismatch", "%s: cannot reshape %s (%s elements per sample) into %s"),
  SHAPE_ERROR("shape-error", "%s: %s"),
  SPLIT_MISMATCH("split-mismatch", "%s: split sizes %s add up to %s, but dim %d of %s has size %s"),
  LIST_INDEX("list-index", "%s: index %s is out of range for %s, which holds %d tensors"),
  DTYPE_MISMATCH("dtype-mismatch", "%s expects %s, but %s is %s%s"),

  // Any file on the processor path.
  BARE_NO_GRAD("bare-no-grad", "`Autograd.noGrad();` as a statement turns gradients off for the rest of this thread (in PyTorch a bare torch.no_grad() does nothing): write try (var s = Autograd.noGrad()) { ... } or Autograd.noGrad(() -> ...)"),

  INTERNAL("internal", "internal error in the Flint processor while compiling %s: %s. Please report it; the eager model still works");

  private final String id;
  private final String format;

  Message(String id, String format) {
    this.id = id;
    this.format = format;
  }

  /** The kebab-case id, such as {@code shape-mismatch}. */
  public String id() {
    return id;
  }

  /** The full text: {@code [id] } followed by the formatted arguments. */
  public String format(Object... args) {
    return "[" + id + "] " + String.format(format, args);
  }
}
