package dev.flint.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.nn.BatchNorm1d;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.nn.ReLU;
import dev.flint.nn.Sequential;
import dev.flint.optim.Adam;
import dev.flint.optim.Optimizer;
import dev.flint.optim.SGD;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkTrainerTest {
  static final long SEED = 17;
  static final int BATCH = 32;
  private static SparkSession spark;
  private static TrainingData data;

  @BeforeAll
  static void start() throws Exception {
    spark = LocalSpark.local();
    data = new TrainingData(spark, 150, 5);   // 150 = 4 full batches of 32 and one of 22
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Module compiled(DType dtype) {
    Generator.seedAll(3);
    return new CompiledTinyNet().to(dtype);
  }

  static Module eager() {
    Generator.seedAll(4);
    return new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 3));
  }

  static SparkTrainer.Builder trainer(ModelFactory factory, OptimizerFactory optimizer) {
    return SparkTrainer.builder(factory)
        .optimizer(optimizer)
        .loss(CrossEntropyLoss::new)
        .featuresArray("x")
        .label("y")
        .workers(2)
        .batchSize(BATCH)
        .seed(SEED);
  }

  @Test
  void twoWorkersReproduceOneProcessInFloat64WithACompiledModelAndAdam() {
    OptimizerFactory adam = params -> new Adam(params, 0.01);
    Module distributed = compiled(DType.FLOAT64);
    Module local = compiled(DType.FLOAT64);
    TrainingResult result = trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), adam).build()
        .fit(distributed, data.frame, 3);
    LocalTraining.train(local, adam.create(local.parameters()), CrossEntropyLoss::new, data, SEED, BATCH, 3);

    assertEquals(15, result.steps());
    double diff = LocalTraining.maxRelativeDifference(distributed.stateDict(), local.stateDict());
    assertTrue(diff <= 1e-12, "relative difference " + diff);
    assertTrue(result.epochLosses().get(2) < result.epochLosses().get(0), result.epochLosses().toString());
  }

  @Test
  void twoWorkersReproduceOneProcessInFloat32WithAnEagerModelAndSgdWithMomentum() {
    OptimizerFactory sgd = params -> new SGD(params, 0.1).momentum(0.9);
    Module distributed = eager();
    Module local = eager();
    trainer(SparkTrainerTest::eager, sgd).build().fit(distributed, data.frame, 3);
    LocalTraining.train(local, sgd.create(local.parameters()), CrossEntropyLoss::new, data, SEED, BATCH, 3);

    double diff = LocalTraining.maxRelativeDifference(distributed.stateDict(), local.stateDict());
    assertTrue(diff <= 1e-5, "relative difference " + diff);
  }

  @Test
  void everySampleIsUsedExactlyOncePerEpochAcrossWorkers() {
    TrainingResult sync = trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), params -> new SGD(params, 0.05))
        .workers(3).recordSampleIds(true).build()
        .fit(compiled(DType.FLOAT64), data.frame, 2);
    TrainingResult local = trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), params -> new SGD(params, 0.05))
        .workers(2).localSgd(2).recordSampleIds(true).build()
        .fit(compiled(DType.FLOAT64), data.frame, 2);
    for (TrainingResult r : new TrainingResult[] {sync, local}) {
      assertEquals(2, r.sampleCounts().size());
      int[] once = new int[150];
      Arrays.fill(once, 1);
      for (int[] counts : r.sampleCounts()) {
        assertArrayEquals(once, counts);
      }
    }
  }

  @Test
  void localSgdWithOneWorkerIsPlainTrainingAndWithTwoItStillLearns() {
    OptimizerFactory adam = params -> new Adam(params, 0.01);
    Module one = compiled(DType.FLOAT64);
    Module local = compiled(DType.FLOAT64);
    trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), adam).workers(1).localSgd(3).build().fit(one, data.frame, 3);
    LocalTraining.train(local, adam.create(local.parameters()), CrossEntropyLoss::new, data, SEED, BATCH, 3);
    double diff = LocalTraining.maxRelativeDifference(one.stateDict(), local.stateDict());
    assertTrue(diff <= 1e-12, "relative difference " + diff);

    TrainingResult two = trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), adam).localSgd(3).build()
        .fit(compiled(DType.FLOAT64), data.frame, 4);
    assertTrue(two.epochLosses().get(3) < 0.8 * two.epochLosses().get(0), two.epochLosses().toString());
  }

  static Module batchNormed() {
    Generator.seedAll(6);
    return new Sequential(new Linear(4, 6), new BatchNorm1d(6), new ReLU(), new Linear(6, 3)).to(DType.FLOAT64);
  }

  @Test
  void batchNormStatisticsComeBackFromTheWorkers() {
    // SGD, not Adam: the bias before batch norm has a zero gradient up to rounding, which Adam
    // would scale up to full steps, amplifying the order of the sums into visible differences.
    OptimizerFactory adam = params -> new SGD(params, 0.1).momentum(0.9);
    Module distributed = batchNormed();
    Module local = batchNormed();
    trainer(SparkTrainerTest::batchNormed, adam).workers(1).build().fit(distributed, data.frame, 2);
    LocalTraining.train(local, adam.create(local.parameters()), CrossEntropyLoss::new, data, SEED, BATCH, 2);

    assertEquals(10L, distributed.stateDict().get("1.num_batches_tracked").toLongArray()[0]);
    double diff = LocalTraining.maxRelativeDifference(distributed.stateDict(), local.stateDict());
    assertTrue(diff <= 1e-12, "relative difference " + diff);
  }

  static Module flaky(long seed) {
    Generator.seedAll(seed);
    return new FlakyNet().to(DType.FLOAT64);
  }

  @Test
  void aTaskThatFailsMidEpochIsRetriedAndTheParametersAreUnchanged() throws Exception {
    OptimizerFactory adam = params -> new Adam(params, 0.01);
    Module local = flaky(5);
    LocalTraining.train(local, adam.create(local.parameters()), CrossEntropyLoss::new, data, SEED, BATCH, 3);

    Files.deleteIfExists(FlakyNet.MARKER);
    Module distributed = flaky(5);
    trainer(() -> new FlakyNet().to(DType.FLOAT64), adam)
        .listener((step, epoch, loss) -> {
          if (step == 7) {
            touch(FlakyNet.MARKER);   // the next step's first task fails
          }
        })
        .build().fit(distributed, data.frame, 3);

    assertFalse(Files.exists(FlakyNet.MARKER), "no task failed");
    double diff = LocalTraining.maxRelativeDifference(distributed.stateDict(), local.stateDict());
    assertTrue(diff <= 1e-12, "relative difference " + diff);
  }

  @Test
  void aNewDriverResumesFromTheLastCheckpointAndEndsWhereAnUninterruptedRunEnds() throws Exception {
    OptimizerFactory adam = params -> new Adam(params, 0.01);
    Module uninterrupted = compiled(DType.FLOAT64);
    LocalTraining.train(uninterrupted, adam.create(uninterrupted.parameters()), CrossEntropyLoss::new, data, SEED,
        BATCH, 4);
    Path dir = Files.createDirectories(Path.of("target", "checkpoints")).resolve("resume-" + System.nanoTime());
    String uri = dir.toUri().toString();

    RuntimeException killed = assertThrows(RuntimeException.class, () ->
        trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), adam)
            .checkpoints(uri, 3)
            .listener((step, epoch, loss) -> {
              if (step == 8) {
                throw new IllegalStateException("driver killed after step 8");
              }
            })
            .build().fit(compiled(DType.FLOAT64), data.frame, 4));
    assertEquals("driver killed after step 8", killed.getMessage());

    Generator.seedAll(1234);   // another process: other initial weights, fresh optimizer
    Module resumed = new CompiledTinyNet().to(DType.FLOAT64);
    TrainingResult result = trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), adam)
        .checkpoints(uri, 3)
        .build().fit(resumed, data.frame, 4);

    assertEquals(6, result.resumedFromStep());
    assertEquals(20, result.steps());
    double diff = LocalTraining.maxRelativeDifference(resumed.stateDict(), uninterrupted.stateDict());
    assertTrue(diff <= 1e-12, "relative difference " + diff);
    try (var files = Files.list(dir)) {
      assertEquals(List.of("step-000000000012.safetensors", "step-000000000015.safetensors",
          "step-000000000018.safetensors"),
          files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList());
    }
  }

  @Test
  void badLabelsWidthsAndCheckpointsAreRefusedOnTheDriverNamingWhatIsWrong() throws Exception {
    OptimizerFactory sgd = params -> new SGD(params, 0.1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), sgd).label("kind").build()
            .fit(compiled(DType.FLOAT64), data.frame.withColumn("kind", functions.lit("cat")), 1));
    assertEquals("label column 'kind' must be an integer (a class index), a number or an array of numbers, but it is string",
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () ->
        trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), sgd).label("x").build()
            .fit(compiled(DType.FLOAT64), data.frame, 1));
    assertTrue(e.getMessage().startsWith("the loss does not take the label column 'x' (4 value(s) per row) against the"
        + " model's output of shape [1, 3] per row"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () ->
        trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), sgd).featureWidth(5).build()
            .fit(compiled(DType.FLOAT64), data.frame, 1));
    assertTrue(e.getMessage().startsWith("the model does not take 5 features from the array column 'x'"), e.getMessage());

    String uri = Files.createDirectories(Path.of("target", "checkpoints")).resolve("seed-" + System.nanoTime()).toUri()
        .toString();
    trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), sgd).checkpoints(uri, 5).build()
        .fit(compiled(DType.FLOAT64), data.frame, 1);
    IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
        trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), sgd).seed(SEED + 1).checkpoints(uri, 5).build()
            .fit(compiled(DType.FLOAT64), data.frame, 2));
    assertTrue(refused.getMessage().matches("cannot resume from .*step-000000000005\\.safetensors: it was written with"
        + " seed 17, but this run has seed 18; .*"), refused.getMessage());
  }

  private static void touch(Path p) {
    try {
      Files.createFile(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
