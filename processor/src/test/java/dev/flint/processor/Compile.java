package dev.flint.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Compiles test models with the processor (compile-testing) and loads the resulting classes. */
public final class Compile {
  private Compile() {}

  /** Compiles {@code models/<name>.java} for each name, with the processor. */
  public static Compilation models(String... names) {
    List<JavaFileObject> sources = new ArrayList<>();
    for (String n : names) {
      sources.add(JavaFileObjects.forResource("models/" + n.replace('.', '/') + ".java"));
    }
    return javac().withProcessors(new ModelProcessor()).withOptions("--release", "17").compile(sources);
  }

  /** Compiles one source given as text. */
  public static Compilation source(String qualifiedName, String... lines) {
    return javac().withProcessors(new ModelProcessor())
        .compile(JavaFileObjects.forSourceLines(qualifiedName, lines));
  }

  /** A class loader over the compilation's class files (parent: the test's loader, which has the runtime). */
  public static ClassLoader loader(Compilation c) {
    return new ClassLoader(Compile.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        String suffix = "/" + name.replace('.', '/') + ".class";
        for (JavaFileObject f : c.generatedFiles()) {
          if (f.getKind() == JavaFileObject.Kind.CLASS && f.toUri().getPath().endsWith(suffix)) {
            try (InputStream in = f.openInputStream()) {
              byte[] bytes = in.readAllBytes();
              return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
        throw new ClassNotFoundException(name);
      }
    };
  }

  /** The text of a generated source file, by qualified class name. */
  public static String generatedSource(Compilation c, String qualifiedName) {
    String suffix = "/" + qualifiedName.replace('.', '/') + ".java";
    for (JavaFileObject f : c.generatedSourceFiles()) {
      if (f.toUri().getPath().endsWith(suffix)) {
        try {
          return f.getCharContent(true).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no generated source " + qualifiedName + " among " + c.generatedSourceFiles());
  }
}
