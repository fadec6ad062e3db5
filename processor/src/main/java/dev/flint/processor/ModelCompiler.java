package dev.flint.processor;

import com.palantir.javapoet.JavaFile;
import dev.flint.processor.check.WellFormed;
import dev.flint.processor.diag.Diagnostics;
import dev.flint.processor.emit.Budgets;
import dev.flint.processor.emit.ClassEmitter;
import dev.flint.processor.emit.CompiledMode;
import dev.flint.processor.emit.GraphPicture;
import dev.flint.processor.emit.SummaryWriter;
import dev.flint.processor.grad.Differentiate;
import dev.flint.processor.ir.Graph;
import dev.flint.processor.ir.Leaf;
import dev.flint.processor.ir.Value;
import dev.flint.processor.lower.Lowering;
import dev.flint.processor.opt.CommonSubexpressions;
import dev.flint.processor.opt.DeadCode;
import dev.flint.processor.parse.ModelSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pipeline for one model, without javac: lower (per mode, with symbolic sizes: Note [Symbolic
 * sizes]) → check → differentiate → optimize → plan ({@link CompiledMode#of}) → emit. Stops after
 * the first stage that reports an error.
 */
public final class ModelCompiler {

  /** The generated source file, the summary text and the picture of the forward graph (SVG; null when not compiled). */
  public record Output(JavaFile file, String summary, String picture) {}

  private static final String EAGER_SUMMARY = "not compiled (see the processor's warning): forward runs eagerly\n";

  /** A mode's plan, or why there is none: an error was reported, or a warning left the model eager. */
  record Planned(CompiledMode mode, boolean fellBack) {}

  /**
   * Compiles {@code model}; returns null when it reported errors. After a warning that leaves it
   * uncompiled (unknown input shape, non-constant layer arguments), the class keeps the eager forward.
   */
  public Output compile(ModelSource model, Diagnostics diags) {
    Planned trainingPlan = mode(model, true, "Training", diags);
    CompiledMode training = trainingPlan.mode();
    if (training == null) {
      return trainingPlan.fellBack() ? new Output(new ClassEmitter(model, List.of(), EAGER_SUMMARY).emit(), EAGER_SUMMARY, null)
          : null;
    }
    Diagnostics evalDiags = new Diagnostics();
    CompiledMode eval = mode(model, false, "Eval", evalDiags).mode();
    evalDiags.entries().forEach(diags::add);
    if (eval == null) {
      return null;
    }
    List<CompiledMode> modes = render(training).equals(render(eval)) ? List.of(training.withSuffix(""))
        : List.of(training, eval);
    Budgets.check(model, training, diags);
    if (diags.hasErrors()) {
      return null;
    }
    String summary = SummaryWriter.write(model, training);
    return new Output(new ClassEmitter(model, modes, summary).emit(), summary, GraphPicture.write(model, training));
  }

  /** The plan of one mode's forward and backward passes; no mode after an error or a fall-back warning. */
  Planned mode(ModelSource model, boolean training, String suffix, Diagnostics diags) {
    Lowering lowering = new Lowering(model, training, diags);
    Graph forward = lowering.lower();
    if (forward == null) {
      return new Planned(null, lowering.fellBack() && !diags.hasErrors());
    }
    forward = new DeadCode().run(new CommonSubexpressions().run(forward));
    Differentiate.Backward backward = optimize(new Differentiate().run(forward));
    check(forward, backward);
    return new Planned(Objects.requireNonNull(CompiledMode.of(suffix, forward, backward)), false);
  }

  private static Differentiate.Backward optimize(Differentiate.Backward b) {
    List<Value> roots = new ArrayList<>();
    b.leafGrads().values().stream().filter(v -> v != null).forEach(roots::add);
    Graph g = new Graph(List.of(), b.nodes(), List.of(), null);
    return b.withNodes(new DeadCode(roots).run(g).nodes());
  }

  /** Internal consistency: both graphs well formed (see {@link WellFormed}); a violation is a processor bug. */
  private static void check(Graph forward, Differentiate.Backward backward) {
    List<String> problems = new ArrayList<>(WellFormed.problems(forward, Set.of()));
    Set<Value> outer = new HashSet<>();
    forward.leaves().forEach(l -> outer.add(l.value()));
    forward.nodes().forEach(n -> outer.add(n.out()));
    outer.add(backward.seed());
    problems.addAll(WellFormed.problems(new Graph(List.of(), backward.nodes(), List.of(), null), outer));
    if (!problems.isEmpty()) {
      throw new IllegalStateException("ill-formed IR: " + String.join("; ", problems));
    }
  }

  /** A canonical text of a mode's graphs, to see whether training and evaluation compile alike. */
  private static String render(CompiledMode m) {
    StringBuilder sb = new StringBuilder();
    for (Leaf l : m.forward().leaves()) {
      sb.append(l).append('\n');
    }
    m.forward().nodes().forEach(n -> sb.append(n).append('\n'));
    m.forward().effects().forEach(e -> sb.append(e.format()).append(e.args()).append('\n'));
    return sb.append(m.forward().output()).toString();
  }
}
