package dev.flint.kernel;

import dev.flint.tensor.Tensor;

/**
 * The program {@link VectorWarmUpTest} forks with {@code --add-modules jdk.incubator.vector} and
 * {@code -Dflint.vector.warmupAfter=1000000}: one small product (a first prediction), then products
 * until the pure-Java loops have done over a million multiply-adds. Prints what it saw after each.
 */
public final class VectorWarmUpProbe {
  private VectorWarmUpProbe() {}

  public static void main(String[] args) throws InterruptedException {
    Tensor a = Tensor.ones(64, 64);
    a.matmul(a);   // 262 144 multiply-adds
    System.out.println("first: started=" + VectorTier.warmUpStarted() + " active=" + VectorTier.active());
    for (int i = 0; i < 3; i++) {
      a.matmul(a);   // over 1 000 000 in all after the third
    }
    System.out.println("after: started=" + VectorTier.warmUpStarted());
    System.out.println("warm: " + VectorTier.awaitWarmUp(30, java.util.concurrent.TimeUnit.SECONDS) + " active=" + VectorTier.active());
  }
}
