package dev.flint.benchmarks.jmh;

import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Sum reductions of a float32 [rows, 256] tensor: all elements, over rows (dim 0) and over columns (dim 1). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReduceBenchmark {
  @Param({"65536", "4194304"})
  public int numel;

  private Tensor x;

  @Setup
  public void setUp() {
    x = Tensor.randn(new Generator(0), numel / 256, 256);
  }

  @Benchmark
  public Tensor sumAll() {
    return x.sum();
  }

  @Benchmark
  public Tensor sumDim0() {
    return x.sum(0);
  }

  @Benchmark
  public Tensor sumDim1() {
    return x.sum(1);
  }
}
