package dev.flint.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How an op row meets the code around it, declared once per row ({@link Op#signature()}): the
 * arguments of its kernel {@code Kernels.<opName>} in order, whether the kernel has an {@code out}
 * variant that writes into a given buffer, whether its result is always a new tensor (or may be an
 * input, or a view of one), and which values its derivative rule reads (what an eager node saves).
 * The processor's kernel calls and buffer plans are derived from these; {@code OpTableTest} checks
 * each against the kernels and the rules.
 *
 * @param kernelArgs the kernel's arguments: inputs, all inputs as a list, attributes
 * @param outVariant whether {@code Kernels.<opName>(args..., out)} exists and returns {@code out}
 * @param fresh whether the result never shares storage with an input
 * @param saves the inputs (and the output) that the derivative rule reads as values; inputs it reads
 *     only for their shape or dtype ({@code sumTo}'s and {@code cast}'s second argument) are not saved
 */
public record Signature(List<Arg> kernelArgs, boolean outVariant, boolean fresh, List<Arg> saves) {

  /** One argument of a kernel, or one value a rule reads. */
  public record Arg(Kind kind, int index, String attr) {
    /** What an argument is. */
    public enum Kind {
      /** Input {@code index}. */
      INPUT,
      /** All inputs, as a {@code List<Tensor>} (CAT). */
      INPUTS,
      /** The attribute named {@code attr}. */
      ATTR,
      /** The op's output (only in {@code saves}). */
      OUTPUT
    }

    @Override
    public String toString() {
      return switch (kind) {
        case INPUT -> "in" + index;
        case INPUTS -> "inputs";
        case ATTR -> "@" + attr;
        case OUTPUT -> "out";
      };
    }
  }

  public Signature {
    kernelArgs = List.copyOf(kernelArgs);
    saves = List.copyOf(saves);
  }

  /** Input {@code i}. */
  public static Arg in(int i) {
    return new Arg(Arg.Kind.INPUT, i, null);
  }

  /** All inputs as one list argument. */
  public static Arg inputs() {
    return new Arg(Arg.Kind.INPUTS, -1, null);
  }

  /** The attribute {@code name} (one of the {@link Attrs} keys). */
  public static Arg attr(String name) {
    return new Arg(Arg.Kind.ATTR, -1, name);
  }

  /** The op's output. */
  public static Arg out() {
    return new Arg(Arg.Kind.OUTPUT, -1, null);
  }

  /** A kernel taking {@code args}, with no out variant, whose result may share storage, saving nothing. */
  public static Signature kernel(Arg... args) {
    return new Signature(Arrays.asList(args), false, false, List.of());
  }

  /** This signature with an out variant. */
  public Signature withOut() {
    return new Signature(kernelArgs, true, fresh, saves);
  }

  /** This signature with a result that never shares storage with an input. */
  public Signature alwaysFresh() {
    return new Signature(kernelArgs, outVariant, true, saves);
  }

  /** This signature saving {@code values} (inputs and {@link #out()}) for backward. */
  public Signature saving(Arg... values) {
    List<Arg> all = new ArrayList<>(saves);
    all.addAll(Arrays.asList(values));
    return new Signature(kernelArgs, outVariant, fresh, all);
  }

  /** Whether the derivative rule reads input {@code i}'s values. */
  public boolean savesInput(int i) {
    return saves.contains(in(i));
  }

  /** Whether the derivative rule reads the output's values. */
  public boolean savesOutput() {
    return saves.contains(out());
  }
}
