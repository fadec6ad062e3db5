package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.io.SafeTensors;
import dev.flint.tensor.Tensor;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's own numbers for the sequence layers, made by {@code src/test/resources/pytorch/generate.py}:
 * {@code <case>.state.safetensors} is the module's state dict as PyTorch saved it, {@code <case>.io}
 * holds inputs ({@code in.*}), outputs ({@code out.*}), cotangents ({@code cot.*}) and the gradients
 * ({@code grad.*}) of {@code Σ sum(out · cot)}.
 */
final class PyTorchFixtures {
  private PyTorchFixtures() {}

  static Map<String, Tensor> state(String name) {
    return SafeTensors.load(path(name + ".state.safetensors"));
  }

  static Map<String, Tensor> io(String name) {
    return SafeTensors.load(path(name + ".io.safetensors"));
  }

  /** Loads the case's state dict into {@code m} strictly (every key PyTorch wrote, and no other). */
  static void loadInto(Module m, String name) {
    Module.IncompatibleKeys keys = m.loadStateDict(state(name), true);
    assertTrue(keys.missingKeys().isEmpty() && keys.unexpectedKeys().isEmpty(), keys.toString());
  }

  private static Path path(String file) {
    URL url = PyTorchFixtures.class.getResource("/pytorch/" + file);
    assertNotNull(url, "missing fixture pytorch/" + file);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The scalar {@code Σ sum(out_i · cot_i)} over the named outputs, whose gradients the fixture holds. */
  static Tensor loss(Map<String, Tensor> io, Map<String, Tensor> outputs) {
    Tensor total = null;
    for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
      Tensor term = e.getValue().mul(io.get("cot." + e.getKey())).sum();
      total = total == null ? term : total.add(term);
    }
    return total;
  }

  static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
    assertNotNull(actual, what + " is null");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    double[] e = expected.toDoubleArray();
    double[] a = actual.toDoubleArray();
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), what + " at flat index " + i);
    }
  }

  /** Every parameter's gradient against PyTorch's {@code grad.<name>}. */
  static void assertParameterGrads(Module m, Map<String, Tensor> io, double tol, List<String> names) {
    Map<String, Tensor> params = m.namedParameters();
    for (String n : names) {
      assertClose(io.get("grad." + n), params.get(n).grad(), tol, "grad of " + n);
    }
  }
}
