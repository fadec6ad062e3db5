package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.data.Batch;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.optim.AdamW;
import dev.flint.optim.LambdaLR;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code CompiledGpt} trains as the eager {@code Gpt} does: the same losses, step by step, through
 * the example's own step (AdamW, warm-up schedule, gradient clipping), within 1e-4 in FLOAT32; and
 * it runs every context length from 1 to 64, as generation needs.
 */
class GptCompiledIT {
  @Test
  void compiledAndEagerTrainAlike() {
    ShakespeareData data = ShakespeareData.load();
    double[] eager = losses(GptExample.newModel(true, 5), data);
    double[] compiled = losses(GptExample.newModel(false, 5), data);
    for (int i = 0; i < eager.length; i++) {
      assertEquals(eager[i], compiled[i], 1e-4 * Math.max(1, Math.abs(eager[i])), "step " + (i + 1));
    }
  }

  @Test
  void compiledRunsEveryContextLength() {
    Gpt eager = GptExample.newModel(true, 2);
    Gpt compiled = GptExample.newModel(false, 2);
    eager.eval();
    compiled.eval();
    for (int t : new int[] {1, 2, 17, 63, 64}) {
      Tensor idx = Tensor.randint(new Generator(t), 0, Gpt.VOCAB, 2, t);
      float[] a = eager.forward(idx).toFloatArray();
      float[] b = compiled.forward(idx).toFloatArray();
      assertEquals(2 * t * Gpt.VOCAB, b.length);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-4 * Math.max(1, Math.abs(a[i])), "T=" + t + " element " + i);
      }
    }
  }

  /** Declared {@code T<=64}: the compiled model refuses a longer context with a message instead of growing its buffers. */
  @Test
  void compiledRefusesAContextLongerThanTheBlock() {
    Gpt compiled = GptExample.newModel(false, 2);
    compiled.eval();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> compiled.forward(Tensor.zeros(DType.INT64, 1, Gpt.BLOCK + 1)));
    assertTrue(e.getMessage().contains("64") && e.getMessage().contains("65"), e.getMessage());
  }

  private static double[] losses(Gpt model, ShakespeareData data) {
    AdamW opt = new AdamW(model.parameters(), 2e-3).betas(0.9, 0.99).weightDecay(0.1);
    LambdaLR sched = new LambdaLR(opt, new WarmupCosine(2, 5, 0.1)::factor);
    Generator gen = new Generator(9);
    double[] out = new double[5];
    for (int i = 0; i < out.length; i++) {
      Batch b = TokenBatches.random(data.train(), 4, Gpt.BLOCK, gen);
      out[i] = GptExample.trainStep(model, b, new CrossEntropyLoss(), opt, sched);
    }
    return out;
  }
}
