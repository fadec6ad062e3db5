package dev.flint.benchmarks.jmh;

import dev.flint.benchmarks.gemm.Gemms;
import dev.flint.kernel.Kernels;
import dev.flint.kernel.Parallel;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
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
 * Square float32 GEMM {@code C = A·B} at 256–2048: Flint's {@code Kernels.matmul} into a preallocated
 * output, and the candidate {@link Gemms} kernel (Vector API). GFLOP/s = 2n³ / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
  @Param({"256", "512", "1024", "2048"})
  public int size;

  private Tensor a;
  private Tensor b;
  private Tensor c;
  private float[] af;
  private float[] bf;
  private float[] cf;

  @Setup
  public void setUp() {
    Generator gen = new Generator(0);
    a = Tensor.randn(gen, size, size);
    b = Tensor.randn(gen, size, size);
    c = Tensor.empty(a.dtype(), size, size);
    af = a.toFloatArray();
    bf = b.toFloatArray();
    cf = new float[size * size];
    Gemms.warmUp();
  }

  @Benchmark
  public Tensor flintMatmul() {
    return Kernels.matmul(a, b, c);
  }

  @Benchmark
  public float[] candidateGemm() {
    int n = size;
    Arrays.fill(cf, 0);
    int rowBlock = 64;
    Parallel.forRange((n + rowBlock - 1) / rowBlock, (long) n * n * n, (from, to) ->
        Gemms.gemm(af, 0, n, bf, 0, n, cf, 0, n, n, n, from * rowBlock, Math.min(n, to * rowBlock)));
    return cf;
  }
}
