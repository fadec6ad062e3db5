package dev.flint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.nn.CrossEntropyLoss;
import dev.flint.optim.Adam;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Executors in two other JVMs ({@code local-cluster[2,1,1024]}): models, weights and closures cross processes. */
class SeparateJvmTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.localCluster();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void scoringRunsInOtherProcessesAndEqualsTheLocalModel() {
    ScoringData data = new ScoringData(40, 4, 11);
    Module model = SparkScorerTest.trainedLooking(DType.FLOAT64);
    double[][] truth = SparkScorerTest.localLogits(model, data.x, DType.FLOAT64);

    List<Row> scored = SparkScorer.forModel(CompiledTinyNet.class)
        .weights(model.stateDict())
        .featureColumns(ScoringData.columnNames(4))
        .batchSize(7)
        .score(data.asColumns(spark, 4).withColumn("pid", org.apache.spark.sql.functions.spark_partition_id()))
        .select("id", "logits")
        .collectAsList();

    assertEquals(40, scored.size());
    for (Row row : scored) {
      List<Object> logits = row.getList(1);
      for (int j = 0; j < 3; j++) {
        assertEquals(truth[row.getInt(0)][j], (Double) logits.get(j), 1e-12);
      }
    }
    assertEquals(2, executorProcesses().size(), "two executor JVMs");
  }

  @Test
  void synchronousTrainingInOtherProcessesReproducesOneProcess() throws Exception {
    TrainingData data = new TrainingData(spark, 120, 8);
    OptimizerFactory adam = params -> new Adam(params, 0.01);
    Module distributed = SparkTrainerTest.compiled(DType.FLOAT64);
    Module local = SparkTrainerTest.compiled(DType.FLOAT64);
    TrainingResult result = SparkTrainerTest.trainer(() -> new CompiledTinyNet().to(DType.FLOAT64), adam)
        .recordSampleIds(true)
        .build().fit(distributed, data.frame, 1);
    LocalTraining.train(local, adam.create(local.parameters()), CrossEntropyLoss::new, data, SparkTrainerTest.SEED,
        SparkTrainerTest.BATCH, 1);

    assertEquals(4, result.steps());
    double diff = LocalTraining.maxRelativeDifference(distributed.stateDict(), local.stateDict());
    assertTrue(diff <= 1e-12, "relative difference " + diff);
    for (int[] counts : result.sampleCounts()) {
      assertTrue(Arrays.stream(counts).allMatch(c -> c == 1), Arrays.toString(counts));
    }
  }

  /** The process ids of the JVMs that ran this session's tasks; none is the driver's. */
  static Set<Long> executorProcesses() {
    List<Long> pids = spark.range(0, 8, 1, 8).javaRDD()
        .map(x -> ProcessHandle.current().pid())
        .collect();
    Set<Long> distinct = new HashSet<>(pids);
    assertNotEquals(true, distinct.contains(ProcessHandle.current().pid()), "a task ran in the driver's JVM");
    return distinct;
  }
}
