package dev.flint.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.benchmarks.models.MlpSmall;
import dev.flint.nn.MSELoss;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One compiled model instance trained from two threads at once: its intermediate-gradient buffers
 * belong to the instance, so the second thread's training forward fails, naming the model and both
 * threads, while a graph of the first is live. Handing the instance to another thread between steps,
 * and predicting under noGrad from another thread meanwhile, stay allowed.
 */
class ConcurrentTrainingTest {
  private ExecutorService other;

  @BeforeEach
  void startOtherThread() {
    ThreadFactory named = r -> new Thread(r, "trainer-2");
    other = Executors.newSingleThreadExecutor(named);
  }

  @AfterEach
  void stopOtherThread() {
    other.shutdownNow();
  }

  @Test
  void aSecondThreadTrainingTheSameInstanceWhileAGraphIsLiveFailsNamingBothThreads() throws Exception {
    Generator.seedAll(0);
    MlpSmall model = Models.create(MlpSmall.class, Models.COMPILED);
    Tensor x = Tensor.randn(new Generator(1), 8, 117);
    Tensor y = Tensor.randn(new Generator(2), 8, 1);
    Tensor loss = new MSELoss().forward(model.forward(x), y);   // this thread's graph is live

    ExecutionException thrown = assertThrows(ExecutionException.class,
        () -> other.submit(() -> model.forward(x)).get());
    IllegalStateException e = assertInstanceOfIllegalState(thrown.getCause());
    String main = Thread.currentThread().getName();
    assertTrue(e.getMessage().contains("CompiledMlpSmall"), e.getMessage());
    assertTrue(e.getMessage().contains("'trainer-2'") && e.getMessage().contains("'" + main + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("Autograd.noGrad()"), e.getMessage());

    // this thread's step still completes with the gradients of its own pass alone
    loss.backward();
    float[] expected = expectedFc1Grad(x, y);
    assertArrayEquals(expected, model.namedParameters().get("fc1.weight").grad().toFloatArray(), 1e-5f);
  }

  @Test
  void theInstanceCanBeHandedToAnotherThreadOnceTheStepIsDone() throws Exception {
    Generator.seedAll(0);
    MlpSmall model = Models.create(MlpSmall.class, Models.COMPILED);
    Tensor x = Tensor.randn(new Generator(1), 8, 117);
    Tensor y = Tensor.randn(new Generator(2), 8, 1);
    new MSELoss().forward(model.forward(x), y).backward();   // graph freed: the instance is free again
    model.zeroGrad();

    Future<Tensor> step = other.submit(() -> {
      new MSELoss().forward(model.forward(x), y).backward();
      return model.namedParameters().get("fc1.weight").grad();
    });
    assertNotNull(step.get());
    // and back again: the other thread's graph is freed, so this thread trains without error
    model.zeroGrad();
    new MSELoss().forward(model.forward(x), y).backward();
  }

  @Test
  void predictingUnderNoGradFromAnotherThreadIsAllowedWhileAGraphIsLive() throws Exception {
    Generator.seedAll(0);
    MlpSmall model = Models.create(MlpSmall.class, Models.COMPILED);
    Tensor x = Tensor.randn(new Generator(1), 8, 117);
    float[] expected;
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      expected = model.forward(x).toFloatArray();
    }
    Tensor out = model.forward(x);   // live graph on this thread
    float[] predicted = other.submit(() -> {
      try (Autograd.Scope ignored = Autograd.noGrad()) {
        return model.forward(x).toFloatArray();
      }
    }).get();
    assertArrayEquals(expected, predicted);
    out.sum().backward();
  }

  private static IllegalStateException assertInstanceOfIllegalState(Throwable t) {
    assertEquals(IllegalStateException.class, t.getClass(), () -> "expected an IllegalStateException, got " + t);
    return (IllegalStateException) t;
  }

  /** fc1.weight's gradient of the same loss from an eager model with the same weights (the independent truth). */
  private static float[] expectedFc1Grad(Tensor x, Tensor y) {
    Generator.seedAll(0);
    MlpSmall eager = Models.create(MlpSmall.class, Models.EAGER);
    new MSELoss().forward(eager.forward(x), y).backward();
    return eager.namedParameters().get("fc1.weight").grad().toFloatArray();
  }
}
