package dev.flint.processor;

import com.google.auto.service.AutoService;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.diag.Message;
import dev.flint.processor.ir.SourceRef;
import dev.flint.processor.parse.BareNoGradScanner;
import dev.flint.processor.parse.JavacFrontend;
import dev.flint.processor.parse.ModelSource;
import dev.flint.processor.parse.ModelValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * The Flint annotation processor: for each {@code @Model} class it validates the class, reads it
 * ({@link JavacFrontend}), compiles it ({@link ModelCompiler}) and writes {@code Compiled<Name>} plus
 * a summary and a picture of the forward graph (SVG) beside it. The only class that sees {@link RoundEnvironment}. Isolating: each
 * generated file has the model class as its one originating element. It never throws: an internal
 * failure becomes an {@code [internal]} error on the model.
 */
@AutoService(Processor.class)
public final class ModelProcessor extends AbstractProcessor {
  /**
   * Fault injection for the processor's own tests: {@code -Aflint.injectFailure=demo.Net} makes compiling
   * that model throw, to show that an internal failure becomes a diagnostic (no user model can reach
   * one on purpose).
   */
  static final String INJECT_FAILURE = "flint.injectFailure";

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(INJECT_FAILURE);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("dev.flint.dsl.Model", "dev.flint.dsl.Layer", "dev.flint.dsl.Forward");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /** Held for the compilation, so the shared scanner (held weakly by its class) keeps its record of scanned files. */
  private BareNoGradScanner noGradScanner;

  private BareNoGradScanner noGradScanner() {
    if (noGradScanner == null) {
      noGradScanner = BareNoGradScanner.of(processingEnv);
    }
    return noGradScanner;
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    noGradScanner().scanQuietly(round.getRootElements());   // see NoGradLint
    TypeElement model = processingEnv.getElementUtils().getTypeElement("dev.flint.dsl.Model");
    if (model == null) {
      return false;
    }
    for (Element e : round.getElementsAnnotatedWith(model)) {
      if (e instanceof TypeElement type) {
        compileSafely(type);
      }
    }
    return true;   // the Flint annotations are ours: claim them (no "not claimed" lint warning)
  }

  private void compileSafely(TypeElement type) {
    ModelValidator validator = new ModelValidator(processingEnv);
    SourceRef.Anchor atModel = validator.at(type).anchor();
    Diagnostics diags = new Diagnostics();
    try {
      compile(type, validator, diags);
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      String first = trace.toString().lines().limit(4).reduce((a, b) -> a + " " + b.trim()).orElse(e.toString());
      diags.error(Message.INTERNAL, validator.at(type), type.getQualifiedName(), first);
    }
    diags.printTo(atModel);
  }

  private void compile(TypeElement type, ModelValidator validator, Diagnostics diags) {
    if (type.getQualifiedName().contentEquals(processingEnv.getOptions().getOrDefault(INJECT_FAILURE, ""))) {
      throw new IllegalStateException("a failure injected by -A" + INJECT_FAILURE);
    }
    ExecutableElement forward = validator.validate(type, diags);
    if (forward == null) {
      return;
    }
    JavacFrontend frontend = JavacFrontend.create(processingEnv);
    if (frontend == null) {
      diags.error(Message.TREES_UNAVAILABLE, validator.at(type), type.getQualifiedName());
      return;
    }
    ModelSource source = frontend.read(type, forward, diags);
    if (source == null || diags.hasErrors()) {
      return;
    }
    ModelCompiler.Output out = new ModelCompiler().compile(source, diags);
    if (out == null || diags.hasErrors()) {
      return;
    }
    try {
      String generated = (source.packageName().isEmpty() ? "" : source.packageName() + ".") + source.compiledName();
      JavaFileObject file = processingEnv.getFiler().createSourceFile(generated, type);   // one originating element
      try (Writer w = file.openWriter()) {
        out.file().writeTo(w);
      }
      FileObject summary = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT,
          source.packageName(), source.compiledName() + ".summary.txt", type);
      try (Writer w = summary.openWriter()) {
        w.write(out.summary());
      }
      if (out.picture() != null) {
        FileObject picture = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT,
            source.packageName(), source.compiledName() + ".svg", type);
        try (Writer w = picture.openWriter()) {
          w.write(out.picture());
        }
      }
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Message.INTERNAL.format(type.getQualifiedName(), "cannot write the generated files: " + e.getMessage()), type);
    }
  }
}
