package dev.flint.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.optim.SGD;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import dev.flint.tensor.TensorAccess;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the runtime uses internally is not user API (docs/design.md, "Packages"): Tensor has no public
 * method that hands out its layout arrays, builds views over raw storage, lends compiled buffers or
 * touches the engine's gradient bookkeeping; nobody outside the tensor package can create the
 * TensorAccess that reaches them; and the module does not export the package that holds it.
 */
class InternalsHiddenTest {
  private static final Set<String> INTERNAL = Set.of(
      "lend", "reclaim", "shapeRef", "stridesRef", "gradForUpdate", "setFirstGrad", "setGradFn");

  @Test
  void tensorHasNoPublicInternalMethods() {
    List<String> exposed = new ArrayList<>();
    for (Method m : Tensor.class.getMethods()) {
      boolean onStorage = Arrays.asList(m.getParameterTypes()).contains(Storage.class);
      if (INTERNAL.contains(m.getName()) || onStorage) {
        exposed.add(m.toString());
      }
    }
    assertEquals(List.of(), exposed, "runtime-internal methods must not be public on Tensor");
  }

  @Test
  void onlyTheTensorPackageCanCreateATensorAccess() {
    for (Constructor<?> c : TensorAccess.class.getDeclaredConstructors()) {
      int mods = c.getModifiers();
      assertFalse(Modifier.isPublic(mods) || Modifier.isProtected(mods), "TensorAccess constructor " + c);
    }
  }

  @Test
  void userCodeCannotDefeatGradientRecycling() {
    // the only way user code reads a gradient is grad(), which hands it out: zeroGrad then backward
    // leave that tensor's values alone (the engine writes the new gradient elsewhere)
    Tensor w = Tensor.of(new double[] {1, -2}).requiresGrad(true);
    SGD opt = new SGD(List.of(w), 0.1);
    w.mul(w).sum().backward();
    Tensor mine = w.grad();
    opt.zeroGrad();
    w.mul(w).sum().mul(10).backward();
    assertArrayEquals(new double[] {2, -4}, mine.toDoubleArray(), 0);
    assertArrayEquals(new double[] {20, -40}, w.grad().toDoubleArray(), 0);
  }

  @Test
  void theModuleExportsItsApiButNotItsInternals() throws Exception {
    Path classes = Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (var in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertEquals("dev.flint.runtime", d.name());
    Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertFalse(exported.contains("dev.flint.internal"), "exports " + exported);
    Set<String> api = Set.of("dev.flint", "dev.flint.tensor", "dev.flint.ops", "dev.flint.kernel", "dev.flint.autograd",
        "dev.flint.compiled", "dev.flint.nn", "dev.flint.optim", "dev.flint.data", "dev.flint.io", "dev.flint.checkpoint",
        "dev.flint.train", "dev.flint.layers", "dev.flint.testing");
    assertTrue(exported.containsAll(api), "exports " + exported + ", expected at least " + api);
    Set<String> packages;
    try (var files = Files.walk(classes)) {
      packages = files.filter(f -> f.toString().endsWith(".class") && !f.endsWith("module-info.class"))
          .map(f -> classes.relativize(f.getParent()).toString().replace(java.io.File.separatorChar, '.'))
          .collect(Collectors.toSet());
    }
    Set<String> unlisted = packages.stream()
        .filter(p -> !exported.contains(p) && !p.equals("dev.flint.internal") && !p.equals("dev.flint.kernel.vector"))
        .collect(Collectors.toSet());
    assertEquals(Set.of(), unlisted, "packages neither exported nor known to be internal: add 'exports <package>;' "
        + "to runtime/src/main/java/module-info.java (or, for a runtime-internal package, list it in this test)");
    assertTrue(d.uses().contains("dev.flint.tensor.TensorBackend"), "uses " + d.uses());
    assertTrue(d.provides().stream().anyMatch(p -> p.service().equals("dev.flint.tensor.TensorBackend")
        && p.providers().equals(List.of("dev.flint.autograd.EagerBackend"))), "provides " + d.provides());
  }
}
