package dev.flint.spark;

import dev.flint.nn.Module;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The model replicas of an executor JVM, kept between steps of a training run so that a step does
 * not create its model again. A task borrows one (its own, since concurrent tasks must not share a
 * model), loads the step's weights into it and returns it. Replicas of old runs are dropped.
 */
final class Replicas {
  private static final int RUNS_KEPT = 4;
  private static final Map<String, ConcurrentLinkedQueue<Module>> POOLS = new ConcurrentHashMap<>();

  private Replicas() {}

  static Module borrow(String run, ModelFactory factory) {
    ConcurrentLinkedQueue<Module> pool = POOLS.computeIfAbsent(run, r -> {
      trim();
      return new ConcurrentLinkedQueue<>();
    });
    Module m = pool.poll();
    return m != null ? m : factory.create();
  }

  static void giveBack(String run, Module model) {
    ConcurrentLinkedQueue<Module> pool = POOLS.get(run);
    if (pool != null) {
      pool.add(model);
    }
  }

  private static void trim() {
    if (POOLS.size() >= RUNS_KEPT) {
      Iterator<String> it = POOLS.keySet().iterator();
      while (POOLS.size() >= RUNS_KEPT && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
  }
}
