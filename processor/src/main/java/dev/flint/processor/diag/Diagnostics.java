package dev.flint.processor.diag;

import dev.flint.processor.ir.SourceRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.tools.Diagnostic;

/**
 * The diagnostics of one model, collected by the stages and printed by the processor at the end. Stages
 * only add entries, so they run the same in unit tests (which read {@link #entries()}) and under javac.
 */
public final class Diagnostics {

  /** One diagnostic: severity, catalog row, full text, and where it points. */
  public record Entry(Diagnostic.Kind kind, Message message, String text, SourceRef where) {}

  private final List<Entry> entries = new ArrayList<>();

  public void error(Message message, SourceRef where, Object... args) {
    add(new Entry(Diagnostic.Kind.ERROR, message, message.format(args), where));
  }

  public void warning(Message message, SourceRef where, Object... args) {
    add(new Entry(Diagnostic.Kind.WARNING, message, message.format(args), where));
  }

  /** Adds {@code e} unless the same message was already reported at the same place (lowering runs per mode). */
  public void add(Entry e) {
    for (Entry old : entries) {
      if (old.kind() == e.kind() && old.text().equals(e.text()) && sameLine(old.where(), e.where())) {
        return;
      }
    }
    entries.add(e);
  }

  private static boolean sameLine(SourceRef a, SourceRef b) {
    return a == null || b == null ? a == b : a.file().equals(b.file()) && a.line() == b.line() && a.text().equals(b.text());
  }

  public boolean hasErrors() {
    return entries.stream().anyMatch(e -> e.kind() == Diagnostic.Kind.ERROR);
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  /** Prints every entry at its anchor, or through {@code fallback} where it has none. */
  public void printTo(SourceRef.Anchor fallback) {
    for (Entry e : entries) {
      SourceRef.Anchor anchor = e.where() != null && e.where().anchor() != null ? e.where().anchor() : fallback;
      anchor.print(e.kind(), e.text());
    }
  }
}
