package dev.flint.kernel;

import dev.flint.tensor.Tensor;

/**
 * The program {@link VectorModuleWarningTest} forks: several FLOAT32 products and elementwise ops on
 * two threads, as a user's first steps would run them.
 */
public final class VectorModuleWarningProbe {
  private VectorModuleWarningProbe() {}

  public static void main(String[] args) throws InterruptedException {
    System.err.println("probe: first use");
    System.err.flush();
    Runnable work = () -> {
      Tensor a = Tensor.ones(64, 64);
      for (int i = 0; i < 3; i++) {
        a = a.matmul(a).mul(0.01f).add(a);
      }
    };
    Thread other = new Thread(work);
    other.start();
    work.run();
    other.join();
  }
}
