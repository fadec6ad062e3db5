package dev.flint.processor.ir;

import dev.flint.ops.DimAlgebra;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A size of the IR: a polynomial in named sizes with integer coefficients, {@code 784}, {@code B},
 * {@code B*T*16}, {@code T+2}. The batch {@code B} and any size named in {@code @Model(inputDims)}
 * are symbols; sizes computed from them (a flatten, a concatenation, a mean's count) are products and
 * sums of them. Equal polynomials are equal dims, which is how shapes unify.
 *
 * <p>Note [Symbolic sizes]: the op table's shape and derivative rules compute with {@code int[]}
 * shapes, so each dim has an int code ({@link #code}, Note [Dimension algebra] in the runtime's
 * {@code DimAlgebra}): a constant of magnitude below {@link DimAlgebra#SYMBOLIC} is its own code, any
 * other dim is interned once per JVM and gets a code from {@code SYMBOLIC} up. Codes flow unchanged
 * through the rules (which copy sizes, compare them with {@code ==} and do their arithmetic through
 * {@link SymbolicDims}) and into op attributes; {@link #of} reads them back.
 */
public final class Dim {
  /** The batch size: dim 0 of the model input. */
  public static final String BATCH = "B";

  private static final Map<Dim, Integer> CODES = new ConcurrentHashMap<>();
  private static final List<Dim> BY_CODE = Collections.synchronizedList(new ArrayList<>());

  /** Monomials (sorted symbol lists, repeated for powers) to their nonzero coefficients. */
  private final TreeMap<List<String>, Long> terms;

  private Dim(TreeMap<List<String>, Long> terms) {
    this.terms = terms;
  }

  public static Dim constant(long c) {
    TreeMap<List<String>, Long> t = new TreeMap<>(Dim::compareMonomials);
    if (c != 0) {
      t.put(List.of(), c);
    }
    return new Dim(t);
  }

  public static Dim symbol(String name) {
    TreeMap<List<String>, Long> t = new TreeMap<>(Dim::compareMonomials);
    t.put(List.of(name), 1L);
    return new Dim(t);
  }

  /** The dim with code {@code code}. */
  public static Dim of(int code) {
    if (code < DimAlgebra.SYMBOLIC) {
      return constant(code);
    }
    return BY_CODE.get(code - DimAlgebra.SYMBOLIC);
  }

  /** The int code of this dim: itself when a constant in (-2^30, 2^30), else an interned number. */
  public int code() {
    Long c = constantValue();
    if (c != null && c > -DimAlgebra.SYMBOLIC && c < DimAlgebra.SYMBOLIC) {
      return (int) (long) c;
    }
    return CODES.computeIfAbsent(this, d -> {
      synchronized (BY_CODE) {
        BY_CODE.add(d);
        return DimAlgebra.SYMBOLIC + BY_CODE.size() - 1;
      }
    });
  }

  /** The value when this dim is a constant, else null. */
  public Long constantValue() {
    if (terms.isEmpty()) {
      return 0L;
    }
    return terms.size() == 1 && terms.firstKey().isEmpty() ? terms.firstEntry().getValue() : null;
  }

  public boolean isConstant() {
    return constantValue() != null;
  }

  public Dim plus(Dim o) {
    TreeMap<List<String>, Long> t = new TreeMap<>(terms);
    o.terms.forEach((m, c) -> t.merge(m, c, Long::sum));
    t.values().removeIf(c -> c == 0);
    return new Dim(t);
  }

  public Dim minus(Dim o) {
    return plus(o.times(constant(-1)));
  }

  public Dim times(Dim o) {
    TreeMap<List<String>, Long> t = new TreeMap<>(Dim::compareMonomials);
    terms.forEach((m1, c1) -> o.terms.forEach((m2, c2) -> {
      List<String> m = new ArrayList<>(m1);
      m.addAll(m2);
      m.sort(Dim::compareSymbols);
      t.merge(List.copyOf(m), c1 * c2, Long::sum);
    }));
    t.values().removeIf(c -> c == 0);
    return new Dim(t);
  }

  /** {@code this / d} when every term divides by the single term {@code d} (or {@code this == d}), else null. */
  public Dim dividedBy(Dim d) {
    if (equals(d) && !terms.isEmpty()) {
      return constant(1);
    }
    if (d.terms.size() != 1) {
      return null;
    }
    List<String> dm = d.terms.firstKey();
    long dc = d.terms.firstEntry().getValue();
    TreeMap<List<String>, Long> t = new TreeMap<>(Dim::compareMonomials);
    for (Map.Entry<List<String>, Long> e : terms.entrySet()) {
      List<String> m = new ArrayList<>(e.getKey());
      for (String s : dm) {
        if (!m.remove(s)) {
          return null;
        }
      }
      if (e.getValue() % dc != 0) {
        return null;
      }
      t.put(List.copyOf(m), e.getValue() / dc);
    }
    return new Dim(t);
  }

  /**
   * Whether this dim is at least {@code o} when the sizes are large: the terms of highest degree of
   * the difference decide (a batch of 20 rows outgrows a vector of 20), then its value at all sizes 1.
   */
  public boolean atLeastForLargeSizes(Dim o) {
    Dim d = minus(o);
    if (d.terms.isEmpty()) {
      return true;
    }
    int degree = d.terms.lastKey().size();
    long top = 0;
    long atOne = 0;
    for (Map.Entry<List<String>, Long> e : d.terms.entrySet()) {
      top += e.getKey().size() == degree ? Long.signum(e.getValue()) : 0;
      atOne += e.getValue();
    }
    return degree > 0 ? top > 0 || top == 0 && atOne >= 0 : atOne >= 0;
  }

  /** This dim with {@code values} put in for their symbols. */
  public Dim substitute(Map<String, Long> values) {
    Dim out = constant(0);
    for (Map.Entry<List<String>, Long> e : terms.entrySet()) {
      Dim term = constant(e.getValue());
      for (String s : e.getKey()) {
        term = term.times(values.containsKey(s) ? constant(values.get(s)) : symbol(s));
      }
      out = out.plus(term);
    }
    return out;
  }

  /** The symbols this dim names, {@code B} first. */
  public Set<String> symbols() {
    Set<String> out = new TreeSet<>(Dim::compareSymbols);
    terms.keySet().forEach(out::addAll);
    return out;
  }

  /** As users read it: {@code 784}, {@code B}, {@code B*16}, {@code B*T}, {@code T+2}. */
  @Override
  public String toString() {
    return render("*", "+", "-");
  }

  /** As Java code over int locals named after the symbols: {@code B * T * 16}, {@code T + 2}. */
  public String java() {
    return render(" * ", " + ", " - ");
  }

  private String render(String times, String plus, String minus) {
    if (terms.isEmpty()) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    // highest degree first, the constant last: B*T+2
    List<Map.Entry<List<String>, Long>> ordered = new ArrayList<>(terms.entrySet());
    ordered.sort((x, y) -> x.getKey().size() != y.getKey().size()
        ? Integer.compare(y.getKey().size(), x.getKey().size()) : compareMonomials(x.getKey(), y.getKey()));
    for (Map.Entry<List<String>, Long> e : ordered) {
      long c = e.getValue();
      if (sb.length() > 0) {
        sb.append(c < 0 ? minus : plus);
      } else if (c < 0) {
        sb.append('-');
      }
      c = Math.abs(c);
      List<String> parts = new ArrayList<>(e.getKey());
      if (c != 1 || parts.isEmpty()) {
        parts.add(Long.toString(c));
      }
      sb.append(String.join(times, parts));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dim d && d.terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  /** The batch first, then by name. */
  public static int compareSymbols(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    return a.equals(BATCH) ? -1 : b.equals(BATCH) ? 1 : a.compareTo(b);
  }

  /** By degree, then symbol by symbol. */
  private static int compareMonomials(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return Integer.compare(a.size(), b.size());
    }
    for (int i = 0; i < a.size(); i++) {
      int c = compareSymbols(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  // ------------------------------------------------------------------ symbolic scalars

  /** Subnormal doubles whose bits are a dim code stand for {@code 1 / dim} in a scalar attribute. */
  private static final long SCALAR_TAG_LIMIT = 1L << 31;

  /**
   * {@code 1 / this} as a scalar attribute (a mean's factor): the plain value for a constant, else a
   * stand-in double that {@link #reciprocalOf} reads back (Note [Symbolic scalars]: scalar
   * attributes are doubles in the op table; no model writes a literal of about 5e-315).
   */
  public double reciprocal() {
    Long c = constantValue();
    return c != null ? 1.0 / c : Double.longBitsToDouble(code());
  }

  /** The dim {@code d} when {@code x} is {@code d.reciprocal()} of a symbolic {@code d}, else null. */
  public static Dim reciprocalOf(double x) {
    long bits = Double.doubleToRawLongBits(x);
    return bits >= DimAlgebra.SYMBOLIC && bits < SCALAR_TAG_LIMIT ? of((int) bits) : null;
  }
}
