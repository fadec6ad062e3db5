package dev.flint.benchmarks.jmh;

import dev.flint.kernel.Kernels;
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

/**
 * Elementwise kernels on contiguous float32 tensors: {@code add} (same shape and a broadcast row),
 * {@code relu}, each into a preallocated output, and the allocating eager {@code Tensor.add} for the
 * cost of a fresh result. Sizes: 16 (dispatch-bound), 65536 (L2), 4M (memory-bound).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ElementwiseBenchmark {
  @Param({"16", "65536", "4194304"})
  public int numel;

  private Tensor x;
  private Tensor y;
  private Tensor row;
  private Tensor out;

  @Setup
  public void setUp() {
    Generator gen = new Generator(0);
    int cols = Math.min(numel, 256);
    x = Tensor.randn(gen, numel / cols, cols);
    y = Tensor.randn(gen, numel / cols, cols);
    row = Tensor.randn(gen, cols);
    out = Tensor.empty(x.dtype(), numel / cols, cols);
  }

  @Benchmark
  public Tensor addInto() {
    return Kernels.add(x, y, out);
  }

  @Benchmark
  public Tensor addBroadcastRowInto() {
    return Kernels.add(x, row, out);
  }

  @Benchmark
  public Tensor reluInto() {
    return Kernels.relu(x, out);
  }

  @Benchmark
  public Tensor addEager() {
    return x.add(y);
  }
}
