/**
 * The annotation processor that compiles {@code @Model} classes into {@code Compiled<Name>}
 * subclasses. Javac finds it on the annotation-processor path (META-INF/services) or, on a
 * processor module path, through this descriptor's {@code provides}.
 */
module dev.flint.processor {
  requires java.compiler;
  requires jdk.compiler;   // com.sun.source: the @Forward body's syntax trees
  requires dev.flint.runtime;   // the op table (dev.flint.ops) that the compiler differentiates with
  requires com.palantir.javapoet;
  requires static com.google.auto.service;   // @AutoService, compile time only

  provides javax.annotation.processing.Processor with
      dev.flint.processor.ModelProcessor,
      dev.flint.processor.NoGradLint;
}
