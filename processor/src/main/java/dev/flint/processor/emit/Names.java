package dev.flint.processor.emit;

import com.palantir.javapoet.NameAllocator;
import dev.flint.processor.ir.Value;
import java.util.HashMap;
import java.util.Map;

/**
 * Java names for IR values in one scope, over JavaPoet's {@link NameAllocator}: user variables keep
 * their names, temporaries are numbered ({@code t1, t2}), and nothing shadows a name taken earlier.
 */
final class Names {
  private final NameAllocator allocator = new NameAllocator();
  private final Map<Integer, String> byValue = new HashMap<>();
  private final java.util.Set<String> taken = new java.util.HashSet<>();
  private final java.util.Set<String> avoid = new java.util.HashSet<>();
  private final String tempPrefix;
  private int temps;

  Names(String tempPrefix, String... reserved) {
    this.tempPrefix = tempPrefix;
    for (String r : reserved) {
      taken.add(allocator.newName(r, "reserved:" + r));
    }
  }

  /** Gives {@code v} a name from {@code hint} (a temporary when the hint is {@code t}); returns it. */
  String declare(Value v, String hint) {
    String suggestion = hint;
    if (hint == null || hint.equals("t")) {
      do {
        suggestion = tempPrefix + (++temps);
      } while (taken.contains(suggestion) || avoid.contains(suggestion));
    } else if (taken.contains(suggestion)) {
      // A reassigned variable: h, h2, h3 (rather than NameAllocator's h_).
      int n = 2;
      while (taken.contains(suggestion + n)) {
        n++;
      }
      suggestion = suggestion + n;
    }
    String name = allocator.newName(suggestion, v.id());
    taken.add(name);
    byValue.put(v.id(), name);
    return name;
  }

  String declare(Value v) {
    return declare(v, v.hint());
  }

  /** Names that temporaries must not take because user values will (a user variable called {@code t1}). */
  void avoid(java.util.Collection<String> names) {
    avoid.addAll(names);
  }

  boolean has(Value v) {
    return byValue.containsKey(v.id());
  }

  String get(Value v) {
    String name = byValue.get(v.id());
    if (name == null) {
      throw new IllegalStateException("no name for " + v);
    }
    return name;
  }

  /** A name for something that is not a value (a field, a helper), unique in this scope. */
  String reserve(String suggestion, Object tag) {
    String name = allocator.newName(suggestion, tag);
    taken.add(name);
    return name;
  }

  static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
