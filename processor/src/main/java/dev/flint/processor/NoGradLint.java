package dev.flint.processor;

import com.google.auto.service.AutoService;
import dev.flint.processor.parse.BareNoGradScanner;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Flint's lint for every file compiled with the processor on the path, not only {@code @Model}
 * classes: warns on a bare {@code Autograd.noGrad();} statement ({@link BareNoGradScanner}). It
 * supports {@code "*"} so javac runs it on files without Flint annotations, and claims nothing
 * (returns false), so other processors still see every annotation. javac skips it in a round whose
 * annotations {@link ModelProcessor} claimed, so that one scans its round too (the scanner is shared:
 * one warning per statement). A lint never breaks a build: a failure inside it is swallowed.
 */
@AutoService(Processor.class)
public final class NoGradLint extends AbstractProcessor {

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  private BareNoGradScanner scanner;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    try {
      scanner = BareNoGradScanner.of(env);
    } catch (RuntimeException | LinkageError e) {
      scanner = null;   // a lint never breaks a build
    }
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (scanner != null) {
      scanner.scanQuietly(round.getRootElements());
    }
    return false;
  }
}
