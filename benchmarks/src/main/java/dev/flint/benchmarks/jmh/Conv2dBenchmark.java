package dev.flint.benchmarks.jmh;

import dev.flint.kernel.Conv;
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
 * The two convolutions of cnn_train_small (3×3, stride 1, padding 1, batch 64): conv1 1→8 on 28×28
 * and conv2 8→16 on 14×14, forward and both gradients (input and weight).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Conv2dBenchmark {
  /** "conv1" = [64,1,28,28] * [8,1,3,3]; "conv2" = [64,8,14,14] * [16,8,3,3]. */
  @Param({"conv1", "conv2"})
  public String layer;

  private Tensor x;
  private Tensor w;
  private Tensor gy;

  @Setup
  public void setUp() {
    Generator gen = new Generator(0);
    boolean first = layer.equals("conv1");
    int c = first ? 1 : 8;
    int o = first ? 8 : 16;
    int hw = first ? 28 : 14;
    x = Tensor.randn(gen, 64, c, hw, hw);
    w = Tensor.randn(gen, o, c, 3, 3);
    gy = Tensor.randn(gen, 64, o, hw, hw);
  }

  @Benchmark
  public Tensor forward() {
    return Conv.conv2d(x, w, 1, 1, 1, 1);
  }

  @Benchmark
  public Tensor inputGrad() {
    return Conv.conv2dInputGrad(gy, w, x.shape(), 1, 1, 1, 1);
  }

  @Benchmark
  public Tensor weightGrad() {
    return Conv.conv2dWeightGrad(gy, x, w.shape(), 1, 1, 1, 1);
  }
}
