package dev.flint.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.checkpoint.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptExampleIT {
  @TempDir Path out;

  /**
   * A short run learns: the validation loss over every window falls well below ln 65 = 4.17 (a model
   * that knows nothing) and below 3.0; the checkpoint, written atomically at each evaluation, gives
   * back the same model, so sampling from it with the same settings prints the same text.
   */
  @Test
  void shortRunLearnsAndItsCheckpointSamplesTheSameText() throws Exception {
    GptOptions options = GptOptions.parse("--steps", "40", "--batch", "8", "--eval-every", "20", "--out", out.toString(),
        "--tokens", "60", "--prompt", "ROMEO:");
    GptExample.Result r = GptExample.run(options);

    assertEquals(40, r.steps());
    assertTrue(r.validLoss() < 3.0, "validation loss after 40 steps: " + r.validLoss());
    assertEquals(List.of(20, 40), r.curve().xs());
    assertTrue(r.curve().valid().get(1) < r.curve().valid().get(0), "the estimate falls: " + r.curve().valid());
    assertTrue(Files.readString(out.resolve("loss.svg")).contains(">step<"));

    Checkpoint ck = Checkpoint.load(r.checkpoint());
    assertEquals(40, ck.epoch());
    assertEquals(ShakespeareData.load().vocabulary().chars(), ck.metadata().get("vocabulary"));
    assertTrue(ck.optimizerState().size() > 0, "optimizer state saved for resuming");
    assertTrue(r.sample().startsWith("ROMEO:") && r.sample().length() == 66, r.sample());
    assertEquals(r.sample(), GptSample.sampleFrom(r.checkpoint(), options.sampling()));
  }
}
