package dev.flint.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Turns one partition of {@code (global id, row)} pairs into a {@link Shard}, sorted by id so that
 * a worker sums its samples in the same order in every run and every retry.
 */
final class ShardBuilder implements FlatMapFunction<Iterator<Tuple2<Long, Row>>, Shard> {
  private static final long serialVersionUID = 1L;

  private final FeatureColumns features;
  private final LabelColumn label;
  private final int width;
  private final int labelWidth;

  ShardBuilder(FeatureColumns features, LabelColumn label, int width, int labelWidth) {
    this.features = features;
    this.label = label;
    this.width = width;
    this.labelWidth = labelWidth;
  }

  @Override
  public Iterator<Shard> call(Iterator<Tuple2<Long, Row>> rows) {
    List<Tuple2<Long, Row>> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    Collections.sort(all, Comparator.comparing(Tuple2::_1));
    int n = all.size();
    long[] ids = new long[n];
    double[] x = new double[n * width];
    double[] y = new double[n * labelWidth];
    for (int i = 0; i < n; i++) {
      ids[i] = all.get(i)._1();
      Row row = all.get(i)._2();
      features.read(row, width, x, i * width);
      label.read(row, labelWidth, y, i * labelWidth);
    }
    return List.of(new Shard(ids, x, y, width, labelWidth)).iterator();
  }
}
