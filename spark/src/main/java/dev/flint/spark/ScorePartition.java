package dev.flint.spark;

import dev.flint.autograd.Autograd;
import dev.flint.nn.Module;
import dev.flint.tensor.DType;
import dev.flint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The executor side of {@link SparkScorer}: creates the model by class name, loads the broadcast
 * weights, and scores the partition's rows {@code batchSize} at a time, appending the predictions.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final String modelClass;
  private final Broadcast<byte[]> weights;
  private final DType dtype;
  private final FeatureColumns features;
  private final int width;
  private final int batchSize;
  private final Predictions predictions;

  ScorePartition(String modelClass, Broadcast<byte[]> weights, DType dtype, FeatureColumns features, int width,
      int batchSize, Predictions predictions) {
    this.modelClass = modelClass;
    this.weights = weights;
    this.dtype = dtype;
    this.features = features;
    this.width = width;
    this.batchSize = batchSize;
    this.predictions = predictions;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    Module model = ModelClasses.instantiate(modelClass, "executor");
    model.to(dtype);
    model.loadStateDict(WeightsBytes.decode(weights.value()));
    model.eval();
    return new Scored(model, rows);
  }

  /** Pulls a batch of input rows, scores it, then hands out the extended rows one by one. */
  private final class Scored implements Iterator<Row> {
    private final Module model;
    private final Iterator<Row> input;
    private final List<Row> batch = new ArrayList<>();
    private final double[] x = new double[batchSize * width];
    private List<Row> ready = List.of();
    private int next;

    Scored(Module model, Iterator<Row> input) {
      this.model = model;
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      if (next < ready.size()) {
        return true;
      }
      if (!input.hasNext()) {
        return false;
      }
      ready = scoreNextBatch();
      next = 0;
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    private List<Row> scoreNextBatch() {
      batch.clear();
      while (batch.size() < batchSize && input.hasNext()) {
        Row row = input.next();
        features.read(row, width, x, batch.size() * width);
        batch.add(row);
      }
      int n = batch.size();
      double[] out;
      int k;
      try (var noGrad = Autograd.noGrad()) {
        Tensor in = Tensor.of(java.util.Arrays.copyOf(x, n * width), n, width).to(dtype);
        Tensor y = model.forward(in);
        k = y.numel() / n;
        out = y.toDoubleArray();
      }
      List<Row> scored = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Row row = batch.get(i);
        Object[] extra = predictions.valuesFor(out, i * k, k, dtype);
        Object[] values = new Object[row.length() + extra.length];
        for (int c = 0; c < row.length(); c++) {
          values[c] = row.get(c);
        }
        System.arraycopy(extra, 0, values, row.length(), extra.length);
        scored.add(RowFactory.create(values));
      }
      return scored;
    }
  }
}
