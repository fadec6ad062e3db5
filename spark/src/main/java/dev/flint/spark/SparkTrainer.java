package dev.flint.spark;

import dev.flint.autograd.Autograd;
import dev.flint.checkpoint.Checkpoint;
import dev.flint.nn.Module;
import dev.flint.nn.Reduction;
import dev.flint.optim.Optimizer;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Data-parallel training of a Flint model on Spark. Each worker holds one shard of the training
 * data (cached on its executor); every epoch visits the samples in a seeded order
 * ({@link EpochShuffle}), cut into global batches.
 *
 * <p><b>Synchronous</b> (the default): for each global batch the driver's current weights go to the
 * workers (inside the step's tasks), each worker computes the gradient of the summed loss over its samples of
 * the batch, Spark sums the gradients ({@code treeAggregate}), and the driver divides by the number
 * of loss elements in the batch and applies the optimizer step once. That is exactly one process
 * training on the same global batches with a mean-reduced loss, up to the order of floating-point
 * sums.
 *
 * <p><b>Local SGD</b> ({@link Builder#localSgd(int)}): each worker takes {@code k} optimizer steps
 * of its own on its samples of {@code k} consecutive global batches, then the driver averages the
 * workers' weights and optimizer states. One Spark job per {@code k} steps instead of one per step.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.builder(CompiledDigitsNet::new)
 *     .optimizer(params -> new Adam(params, 1e-3))
 *     .loss(CrossEntropyLoss::new)
 *     .featuresArray("pixels").label("digit")
 *     .workers(2).batchSize(32).seed(42)
 *     .checkpoints("hdfs:///runs/digits", 100)
 *     .build();
 * TrainingResult result = trainer.fit(model, trainingData, 30);   // trains `model` in place
 * }</pre>
 */
public final class SparkTrainer {
  private final Builder config;

  private SparkTrainer(Builder config) {
    this.config = config;
  }

  /** A trainer whose workers create their replicas with {@code model} (e.g. {@code CompiledNet::new}). */
  public static Builder builder(ModelFactory model) {
    return new Builder(model);
  }

  /** The settings of a {@link SparkTrainer}. */
  public static final class Builder {
    private final ModelFactory model;
    private OptimizerFactory optimizer;
    private LossFactory loss;
    private FeatureColumns features;
    private int featureWidth = -1;
    private String label;
    private int workers = 2;
    private int batchSize = 32;
    private long seed;
    private int localSgdSteps;
    private String checkpointDir;
    private int checkpointEvery;
    private StepListener listener = (step, epoch, loss) -> {};
    private boolean audit;

    private Builder(ModelFactory model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /** The optimizer, e.g. {@code params -> new Adam(params, 1e-3)}; required. */
    public Builder optimizer(OptimizerFactory optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /** The loss by its constructor taking a reduction, e.g. {@code CrossEntropyLoss::new}; required. */
    public Builder loss(LossFactory loss) {
      this.loss = loss;
      return this;
    }

    /** The features of a row are the elements of this {@code array<float>}/{@code array<double>} column. */
    public Builder featuresArray(String column) {
      this.features = FeatureColumns.arrayColumn(column);
      return this;
    }

    /** The features of a row are these numeric columns, in this order. */
    public Builder featureColumns(String... columns) {
      this.features = FeatureColumns.numericColumns(columns);
      return this;
    }

    /** The feature array's length; optional (otherwise read from the first row). */
    public Builder featureWidth(int width) {
      this.featureWidth = width;
      return this;
    }

    /**
     * The target column: an integer column holds class indices (an INT64 {@code [batch]} target), a
     * float/double column one value ({@code [batch, 1]}), an array column a vector ({@code [batch, k]}).
     */
    public Builder label(String column) {
      this.label = column;
      return this;
    }

    /** The number of workers, i.e. of data shards and of tasks per step (default 2). */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, but is " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** The global batch size, over all workers together (default 32). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, but is " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** The seed of the per-epoch shuffles (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Local SGD: workers step on their own for {@code steps} global batches, then weights are averaged. */
    public Builder localSgd(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("localSgd needs at least 1 step between averages, but got " + steps);
      }
      this.localSgdSteps = steps;
      return this;
    }

    /**
     * Saves a checkpoint (model, optimizer state, step, generator state) every {@code everySteps}
     * steps into {@code directory}, a Hadoop file system URI ({@code file:///...}, {@code hdfs://...});
     * {@link SparkTrainer#fit} resumes from the newest one found there.
     */
    public Builder checkpoints(String directory, int everySteps) {
      if (everySteps < 1) {
        throw new IllegalArgumentException("checkpoint interval must be at least 1 step, but is " + everySteps);
      }
      this.checkpointDir = Objects.requireNonNull(directory, "directory");
      this.checkpointEvery = everySteps;
      return this;
    }

    /** Called on the driver after each step (local SGD: each round). */
    public Builder listener(StepListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Has the workers report the ids of the samples they used (for tests and audits; costs traffic). */
    public Builder recordSampleIds(boolean record) {
      this.audit = record;
      return this;
    }

    public SparkTrainer build() {
      if (optimizer == null) {
        throw new IllegalStateException("no optimizer: call optimizer(params -> new Adam(params, 1e-3)) or similar");
      }
      if (loss == null) {
        throw new IllegalStateException("no loss: call loss(CrossEntropyLoss::new) or similar");
      }
      if (features == null) {
        throw new IllegalStateException("no features: call featuresArray(column) or featureColumns(columns...)");
      }
      if (label == null) {
        throw new IllegalStateException("no label: call label(column)");
      }
      return new SparkTrainer(this);
    }
  }

  /**
   * Trains {@code model} (the driver's copy, updated in place) on {@code data} for {@code epochs}
   * epochs, or, when the checkpoint directory holds a checkpoint, restores model, optimizer and
   * generator from the newest one and does the remaining steps of those epochs.
   */
  public TrainingResult fit(Module model, Dataset<Row> data, int epochs) {
    Prepared prepared = prepare(model, data);
    try {
      return new Loop(model, prepared, epochs).run();
    } finally {
      prepared.shards.unpersist(false);
    }
  }

  // ---------------------------------------------------------------- data

  /** The cached shards and what was learned about the data. */
  private record Prepared(JavaRDD<Shard> shards, long samples, TrainingJob job, JavaSparkContext sc) {}

  private Prepared prepare(Module model, Dataset<Row> data) {
    List<Column> columns = new ArrayList<>();
    FeatureColumns unbound = config.features;
    StructType schema = data.schema();
    FeatureColumns checked = unbound.bind(schema);   // names the missing or mistyped column
    LabelColumn.bind(schema, config.label);
    for (String name : schema.fieldNames()) {
      if (unbound.names().contains(name) || name.equals(config.label)) {
        columns.add(data.col(name));
      }
    }
    Dataset<Row> selected = data.select(columns.toArray(new Column[0]));
    FeatureColumns features = unbound.bind(selected.schema());
    LabelColumn label = LabelColumn.bind(selected.schema(), config.label);
    Row first = null;
    if (features.widthFromSchema() < 0 && config.featureWidth < 0 || needsLabelWidth(selected)) {
      List<Row> head = selected.limit(1).collectAsList();
      if (head.isEmpty()) {
        throw new IllegalArgumentException("the training data has no rows");
      }
      first = head.get(0);
    }
    int width = features.widthFromSchema() > 0 ? features.widthFromSchema()
        : config.featureWidth > 0 ? config.featureWidth : features.arrayLength(first);
    int labelWidth = first == null ? 1 : label.widthOf(first);
    DType dtype = model.parameters().get(0).dtype();
    probe(model, checked, label, width, labelWidth, dtype);

    String run = UUID.randomUUID().toString();
    JavaRDD<Shard> shards = selected.javaRDD()
        .zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .partitionBy(new HashPartitioner(config.workers))
        .mapPartitions(new ShardBuilder(features, label, width, labelWidth), true)
        .persist(StorageLevel.MEMORY_ONLY());
    long samples = shards.map(Shard::size).fold(0, Integer::sum);
    if (samples == 0) {
      throw new IllegalArgumentException("the training data has no rows");
    }
    int batches = EpochShuffle.batchesPerEpoch(samples, config.batchSize);
    TrainingJob job = new TrainingJob(run, config.model, config.optimizer, config.loss, label, dtype, batches, config.audit);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    return new Prepared(shards, samples, job, sc);
  }

  private boolean needsLabelWidth(Dataset<Row> selected) {
    return selected.schema().apply(config.label).dataType() instanceof org.apache.spark.sql.types.ArrayType;
  }

  /** Runs model and loss on one row of zeros, so that features or labels the model refuses fail on the driver. */
  private void probe(Module model, FeatureColumns features, LabelColumn label, int width, int labelWidth, DType dtype) {
    Tensor out;
    boolean training = model.isTraining();
    model.eval();   // batch norm would refuse one row in training mode, and update its statistics
    try (var noGrad = Autograd.noGrad()) {
      out = model.forward(Tensor.zeros(dtype, 1, width));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the model does not take " + width + " features from the " + features.describe()
          + ": " + e.getMessage(), e);
    } finally {
      model.train(training);
    }
    try (var noGrad = Autograd.noGrad()) {
      config.loss.create(Reduction.SUM).forward(out, label.tensor(new double[labelWidth], 1, labelWidth, dtype));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the loss does not take the label column '" + label.name() + "' ("
          + labelWidth + " value(s) per row) against the model's output of shape "
          + java.util.Arrays.toString(out.shape()) + " per row: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- the loop

  /** One call of fit: the driver's loop over steps (or rounds), with checkpoints. */
  private final class Loop {
    private final Module model;
    private final Prepared data;
    private final int epochs;
    private final Optimizer optimizer;
    private final CheckpointStore store;
    private final int batchesPerEpoch;
    private final List<Double> epochLosses = new ArrayList<>();
    private final List<int[]> sampleCounts = new ArrayList<>();
    private long step;
    private long resumedFrom;
    private double epochLoss;
    private long epochElements;
    private long timedRounds;
    private double stepNanos;
    private double coordinationNanos;
    private Broadcast<int[]> order;

    Loop(Module model, Prepared data, int epochs) {
      this.model = model;
      this.data = data;
      this.epochs = epochs;
      this.optimizer = config.optimizer.create(model.parameters());
      this.store = config.checkpointDir == null ? null
          : new CheckpointStore(config.checkpointDir, data.sc.hadoopConfiguration());
      this.batchesPerEpoch = data.job.batches;
    }

    TrainingResult run() {
      resume();
      try {
        return loop();
      } finally {
        if (order != null) {
          order.destroy();
        }
      }
    }

    private TrainingResult loop() {
      long total = (long) epochs * batchesPerEpoch;
      long begin = System.nanoTime();
      while (step < total) {
        int epoch = (int) (step / batchesPerEpoch);
        int batch = (int) (step % batchesPerEpoch);
        if (batch == 0 || order == null) {
          startEpoch(epoch);
        }
        int count = config.localSgdSteps > 0 ? Math.min(config.localSgdSteps, batchesPerEpoch - batch) : 1;
        long before = step;
        double loss = config.localSgdSteps > 0 ? localRound(epoch, batch, count) : syncStep(epoch, batch);
        step += count;
        config.listener.afterStep(step, epoch, loss);
        if (store != null && step / config.checkpointEvery > before / config.checkpointEvery) {
          saveCheckpoint();
        }
        if (step % batchesPerEpoch == 0) {
          epochLosses.add(epochLoss / epochElements);
        }
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      return new TrainingResult(optimizer, resumedFrom, step, List.copyOf(epochLosses), data.samples, seconds,
          timedRounds == 0 ? 0 : stepNanos / timedRounds / 1e6, timedRounds == 0 ? 0 : coordinationNanos / timedRounds / 1e6,
          List.copyOf(sampleCounts));
    }

    private void startEpoch(int epoch) {
      if (order != null) {
        order.destroy();
      }
      int[] permutation = EpochShuffle.permutation(config.seed, epoch, (int) data.samples);
      order = data.sc.broadcast(EpochShuffle.batchOf(permutation, config.batchSize));
      epochLoss = 0;
      epochElements = 0;
      if (config.audit) {
        sampleCounts.add(new int[(int) data.samples]);
      }
    }

    private double syncStep(int epoch, int batch) {
      long start = System.nanoTime();
      StateVector weights = StateVector.of(model.stateDict());
      GradientSum sum = data.shards
          .mapPartitions(new GradientTask(data.job, weights, order, epoch, batch))
          .treeAggregate(GradientSum.empty(), GradientSum::add, GradientSum::add, 2);
      apply(sum);
      record(sum.ids, sum.loss, sum.elements, System.nanoTime() - start, sum.maxComputeNanos);
      return sum.loss / sum.elements;
    }

    /**
   * The optimizer step with the summed gradient divided by the batch's loss elements (a mean-reduced
   * loss); then the buffers of the first worker replace the driver's, as DDP broadcasts rank 0's.
   */
    private void apply(GradientSum sum) {
      List<Tensor> params = model.parameters();
      int at = 0;
      for (Tensor p : params) {
        int n = p.numel();
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
          g[i] = sum.gradient[at + i] / sum.elements;
        }
        p.setGrad(Tensor.of(g, p.shape()).to(p.dtype()));
        at += n;
      }
      optimizer.step();
      optimizer.zeroGrad();
      if (sum.buffers != null) {
        model.loadStateDict(sum.buffers.toTensors(), false);
      }
    }

    private double localRound(int epoch, int batch, int count) {
      long start = System.nanoTime();
      Map<String, Tensor> optimizerState = optimizer.stateDict();
      StateVector[] state = {StateVector.of(model.stateDict()),
          hasPerParameterState(optimizerState) ? StateVector.of(optimizerState) : null};
      ReplicaSum sum = data.shards
          .mapPartitions(new LocalSgdTask(data.job, state, order, epoch, batch, count))
          .treeAggregate(ReplicaSum.empty(), ReplicaSum::add, ReplicaSum::add, 2);
      if (sum.workers > 0) {
        model.loadStateDict(average(sum.model, sum.workers).toTensors());
        optimizer.loadStateDict(average(sum.optimizer, sum.workers).toTensors());
      }
      record(sum.ids, sum.loss, sum.elements, System.nanoTime() - start, sum.maxComputeNanos);
      return sum.loss / sum.elements;
    }

    private void record(long[] ids, double loss, long elements, long nanos, long computeNanos) {
      epochLoss += loss;
      epochElements += elements;
      stepNanos += nanos;
      coordinationNanos += Math.max(0, nanos - computeNanos);
      timedRounds++;
      if (config.audit) {
        int[] counts = sampleCounts.get(sampleCounts.size() - 1);
        for (long id : ids) {
          counts[(int) id]++;
        }
      }
    }

    private void resume() {
      if (store == null) {
        return;
      }
      long latest = store.latestStep();
      if (latest < 0) {
        return;
      }
      Checkpoint checkpoint = store.load(latest);
      String where = store.pathOf(latest);
      expectSame(checkpoint, "seed", Long.toString(config.seed), where);
      expectSame(checkpoint, "batch_size", Integer.toString(config.batchSize), where);
      expectSame(checkpoint, "samples", Long.toString(data.samples), where);
      checkpoint.restore(model, optimizer);
      step = Long.parseLong(checkpoint.metadata().get("step"));
      resumedFrom = step;
    }

    private void expectSame(Checkpoint checkpoint, String key, String now, String where) {
      String saved = checkpoint.metadata().get(key);
      if (!now.equals(saved)) {
        throw new IllegalStateException("cannot resume from " + where + ": it was written with " + key + " " + saved
            + ", but this run has " + key + " " + now + "; use another checkpoint directory or the same settings");
      }
    }

    private void saveCheckpoint() {
      Checkpoint checkpoint = Checkpoint.of(model, optimizer, step / batchesPerEpoch)
          .withMetadata("step", Long.toString(step))
          .withMetadata("seed", Long.toString(config.seed))
          .withMetadata("batch_size", Integer.toString(config.batchSize))
          .withMetadata("samples", Long.toString(data.samples));
      store.save(checkpoint, step);
    }
  }

  private static boolean hasPerParameterState(Map<String, Tensor> optimizerState) {
    for (String key : optimizerState.keySet()) {
      if (key.startsWith("state.")) {
        return true;
      }
    }
    return false;
  }

  /** The mean of {@code workers} summed states; step counts are rounded back to whole numbers. */
  private static StateVector average(StateVector sum, int workers) {
    double[] v = sum.values.clone();
    for (int i = 0; i < v.length; i++) {
      v[i] /= workers;
    }
    StateVector mean = sum.withValues(v);
    int at = 0;
    for (int i = 0; i < mean.names.length; i++) {
      int numel = 1;
      for (int d : mean.shapes[i]) {
        numel *= d;
      }
      if (mean.names[i].endsWith(".step") || mean.names[i].endsWith("num_batches_tracked")) {
        for (int k = at; k < at + numel; k++) {
          v[k] = Math.rint(v[k]);
        }
      }
      at += numel;
    }
    return mean;
  }
}
