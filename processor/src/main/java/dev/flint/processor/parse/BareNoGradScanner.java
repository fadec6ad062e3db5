package dev.flint.processor.parse;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.flint.processor.diag.Message;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Finds {@code Autograd.noGrad();} written as a statement: the scope it opens is never closed, so
 * gradients stay off for the rest of the thread, while in PyTorch a bare {@code torch.no_grad()} does
 * nothing. Warns on that line. Works on the syntax alone (the trees are not attributed yet while
 * processors run): a call to {@code noGrad} with no arguments whose result is discarded, where the
 * compilation unit's imports make {@code Autograd} (or the bare {@code noGrad}) Flint's.
 */
public final class BareNoGradScanner {
  static final String AUTOGRAD = "dev.flint.autograd.Autograd";

  private final Trees trees;
  private final Set<CompilationUnitTree> scanned = Collections.newSetFromMap(new IdentityHashMap<>());

  private BareNoGradScanner(Trees trees) {
    this.trees = trees;
  }

  // One scanner per compilation, shared by the processors that call it: javac runs NoGradLint only for
  // annotations nobody claimed, so ModelProcessor scans the files it is given, and neither warns twice.
  // The map holds the scanner weakly (the processors hold it strongly, for the compilation): its Trees
  // reach the compilation's context, the key among it, so a strong value would keep every compilation
  // of a long-lived JVM (an IDE, a build daemon) alive.
  private static final Map<ProcessingEnvironment, WeakReference<BareNoGradScanner>> SHARED = new WeakHashMap<>();

  /** The scanner of this compilation; one that finds nothing when the compiler offers no Trees API. Never throws. */
  public static BareNoGradScanner of(ProcessingEnvironment env) {
    synchronized (SHARED) {
      WeakReference<BareNoGradScanner> ref = SHARED.get(env);
      BareNoGradScanner scanner = ref == null ? null : ref.get();
      if (scanner == null) {
        Trees trees;
        try {
          trees = Trees.instance(env);
        } catch (RuntimeException | LinkageError unavailable) {
          trees = null;   // not javac (Trees.instance refuses): there is nothing to check
        }
        scanner = new BareNoGradScanner(trees);
        SHARED.put(env, new WeakReference<>(scanner));
      }
      return scanner;
    }
  }

  /** Scans the compilation units of {@code roots}; never throws (a lint must not break the user's build). */
  public void scanQuietly(Iterable<? extends Element> roots) {
    try {
      for (Element root : roots) {
        scan(root);
      }
    } catch (RuntimeException | LinkageError e) {
      // say nothing rather than fail a build over a warning
    }
  }

  /** Scans the compilation unit of {@code root} unless it was scanned before; returns the warnings printed. */
  public synchronized int scan(Element root) {
    if (trees == null) {
      return 0;
    }
    TreePath path = trees.getPath(root);
    if (path == null || !scanned.add(path.getCompilationUnit())) {
      return 0;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    Imports imports = Imports.of(unit);
    if (!imports.simpleName() && !imports.staticNoGrad() && !imports.qualified()) {
      return 0;   // cheap: a file that cannot name Flint's Autograd is not walked
    }
    int[] found = {0};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitExpressionStatement(ExpressionStatementTree node, Void unused) {
        if (node.getExpression() instanceof MethodInvocationTree call && call.getArguments().isEmpty()
            && isNoGrad(call.getMethodSelect(), imports)) {
          trees.printMessage(Diagnostic.Kind.WARNING, Message.BARE_NO_GRAD.format(), node, unit);
          found[0]++;
        }
        return super.visitExpressionStatement(node, unused);
      }
    }.scan(unit, null);
    return found[0];
  }

  private static boolean isNoGrad(ExpressionTree select, Imports imports) {
    if (select instanceof IdentifierTree id) {
      return id.getName().contentEquals("noGrad") && imports.staticNoGrad();
    }
    if (select instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("noGrad")) {
      String owner = ms.getExpression().toString();
      return owner.equals(AUTOGRAD) || owner.equals("Autograd") && imports.simpleName();
    }
    return false;
  }

  /**
   * What a compilation unit's package and imports make visible: {@code Autograd} as a simple name,
   * {@code noGrad} statically imported, and whether the file spells the qualified name anywhere.
   */
  private record Imports(boolean simpleName, boolean staticNoGrad, boolean qualified) {
    static Imports of(CompilationUnitTree unit) {
      String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
      boolean autograd = pkg.equals("dev.flint.autograd");
      boolean staticNoGrad = false;
      for (ImportTree i : unit.getImports()) {
        String name = i.getQualifiedIdentifier().toString();
        if (i.isStatic()) {
          staticNoGrad |= name.equals(AUTOGRAD + ".noGrad") || name.equals(AUTOGRAD + ".*");
        } else {
          autograd |= name.equals(AUTOGRAD) || name.equals("dev.flint.autograd.*");
        }
      }
      return new Imports(autograd, staticNoGrad, unit.getSourceFile() != null && contains(unit, AUTOGRAD));
    }

    private static boolean contains(CompilationUnitTree unit, String text) {
      try {
        CharSequence source = unit.getSourceFile().getCharContent(true);
        return source != null && source.toString().contains(text);
      } catch (java.io.IOException | RuntimeException e) {
        return true;   // cannot tell: walk the file
      }
    }
  }
}
