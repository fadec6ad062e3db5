package dev.flint.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix products on the incubating Vector API: a BLIS-style GEMM, the two
 * matrix-vector products ({@code x·Wᵀ} over W's rows, {@code xᵀ·A} over A's rows) and the outer
 * product, so that products with one row, one column or {@code k == 1} need no packing.
 *
 * <p>GEMM: B is packed per block of {@value #KC} rows × {@value #NC} columns into strips {@link #NR}
 * floats wide; eight rows of A at a time are copied interleaved (16 KiB, in L1) and a micro-kernel
 * keeps an 8-row × 2-vector tile of C in registers while it walks every strip of the block with fused
 * multiply-adds (2 vector loads of B and 8 broadcasts of A per 16 FMAs). A is read through its strides,
 * so a transposed operand needs no copy beyond those eight rows. The block sizes come from a scan at
 * 1024³ (AVX-512, JDK 17, 1 thread, CPU GFLOP/s): 256 × 512 ran 85, 384 × 512 93, 512 × 512 97,
 * 512 × 1024 102, 1024 × 1024 103 (with 2 MiB of pack per thread at 512 × 1024 and twice that above).
 *
 * <p>Load this class only when {@code jdk.incubator.vector} is in the boot layer. The pack buffer is
 * per thread and reused, so a warm call allocates nothing, provided C2 compiled the kernels: run
 * {@link #warmUp()} first (JDK 17 boxes every vector in interpreted and C1 code).
 */
public final class VectorMatMul {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Rows of the register tile. */
  public static final int MR = 4;
  /** Columns of the register tile: two vectors. */
  private static final int NR = 2 * L;
  /** Depth of a packed block of B: C is read and written once per block of k. */
  private static final int KC = 512;
  /** Width of a packed block of B. */
  private static final int NC = 1024;
  /**
   * Up to this many strips in a block of B, the 8-row tile reads a row-major A in place
   * ({@link #kernel8Strided}): copying eight rows is then a scalar transpose of 8·kc floats per block
   * row, about a tenth of four strips' FMAs, and at [1024, 128]·[128, 128] it ran 10–25 % slower;
   * from 12 strips on (m = 384) it ran faster. A transposed A (eight consecutive floats per step, one
   * array copy each) is always copied: [128, 1024]ᵀ·[1024, 128] ran 70 → 88 GFLOP/s.
   */
  private static final int STRIDED_MAX_STRIPS = 4;

  /** Per-thread buffers: the packed block of B, eight packed rows of A, and a two-vector spill for partial strips. */
  private static final class Scratch {
    final float[] pack = new float[KC * (NC + NR)];
    final float[] rows = new float[2 * MR * KC];
    final float[] spill = new float[NR];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private VectorMatMul() {}

  /** The vector width in floats this JVM uses (16 with AVX-512, 8 with AVX2). */
  public static int lanes() {
    return L;
  }

  /**
   * Runs every kernel on tiny products, through every branch (partial strips narrower and wider than
   * one vector, the accumulate path after the first block of k, leftover rows, strided and contiguous
   * operands, the matrix-vector tails), until C2 has compiled them; see {@link #warmUp(long)}.
   */
  public static void warmUp() {
    warmUp(Integer.getInteger("flint.vector.warmupMillis", 3000));
  }

  /**
   * {@link #warmUp()} for at most {@code maxMillis}. Until C2 compiles a kernel every vector op is a
   * boxed object (a 256³ product takes seconds instead of a fraction of a millisecond, and allocates
   * hundreds of megabytes), and a branch the warm-up never took makes C2 drop the compiled kernel the
   * first time a real product takes it, back to boxed code for a while. So the tiny products here take
   * every branch, and the loop runs until a round of them allocates nothing on this thread (measured
   * with HotSpot's per-thread allocation counter where there is one), which is when the kernels run
   * compiled, not boxed.
   */
  public static void warmUp(long maxMillis) {
    WarmUp w = new WarmUp();
    AllocationCounter counter = AllocationCounter.create();
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    int clean = 0;
    for (int round = 0; round < 2000 && System.nanoTime() < deadline; round++) {
      long before = counter.bytes();
      for (int i = 0; i < 200; i++) {
        w.run();
      }
      long allocated = counter.bytes() - before;
      // the counter's reflective reads box a Long each (tens of bytes); boxed vector code allocates
      // kilobytes per round, so a round under 256 bytes ran compiled
      clean = allocated <= 256 ? clean + 1 : 0;
      // boxed (interpreted or C1) vector code always allocates, so three clean rounds in a row mean
      // every kernel runs C2 code; without a counter, 100 rounds (20 000 runs) pass the tier-4 thresholds
      if (counter.works() ? clean >= 3 : round >= 100) {
        break;
      }
    }
  }

  /** Reads this thread's allocated bytes through {@code com.sun.management.ThreadMXBean}, if present. */
  private static final class AllocationCounter {
    private final java.lang.management.ThreadMXBean bean;
    private final java.lang.reflect.Method read;

    private AllocationCounter(java.lang.management.ThreadMXBean bean, java.lang.reflect.Method read) {
      this.bean = bean;
      this.read = read;
    }

    static AllocationCounter create() {
      try {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
        if (sun.isInstance(bean)) {
          java.lang.reflect.Method read = sun.getMethod("getCurrentThreadAllocatedBytes");
          if ((Long) read.invoke(bean) >= 0) {
            return new AllocationCounter(bean, read);
          }
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // no per-thread counter on this JVM (or no java.management): fall back to a fixed warm-up
      }
      return new AllocationCounter(null, null);
    }

    boolean works() {
      return read != null;
    }

    long bytes() {
      if (read == null) {
        return 0;
      }
      try {
        return (Long) read.invoke(bean);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return 0;
      }
    }
  }

  /** The warm-up's operands: tiny shapes chosen so that every branch of every kernel is taken. */
  private static final class WarmUp {
    final int n = 3 * MR + 1;
    final int k = 3;
    final int wide = NR + L + 1;
    final int narrow = L - 1;
    final float[] a = new float[n * k];
    final float[] b = new float[k * wide];
    final float[] c = new float[n * wide];
    final float[] w = new float[Math.max(5 * (L + 1), 2 * (5 * L + 1))];
    final float[] x = new float[2 * L + 2];
    final float[] y = new float[n * wide];
    /** Wide enough for the tile to copy its rows of A (more than STRIDED_MAX_STRIPS strips), with a partial one. */
    final int wider = STRIDED_MAX_STRIPS * NR + L + 1;
    final float[] bw = new float[k * wider];
    final float[] cw = new float[n * wider];
    final float[] packed = new float[packedSize(k, wider)];

    void run() {
      Scratch s = SCRATCH.get();
      // contiguous A and B, a partial strip wider than a vector, blocks of k = 2 so the second one
      // accumulates, a leftover row
      gemm(a, 0, k, 1, b, 0, wide, 1, null, wide, c, 0, wide, k, 0, wide, 0, n, 2, s);
      // transposed A and B, a partial strip narrower than a vector, one block of k
      gemm(a, 0, 1, n, b, 0, 1, k, null, narrow, c, 0, narrow, k, 0, narrow, 0, n, KC, s);
      // rows of A copied (contiguous A and a wide B, then transposed A and a narrow B), blocks of k = 2
      gemm(a, 0, k, 1, bw, 0, wider, 1, null, wider, cw, 0, wider, k, 0, wider, 0, n, 2, s);
      gemm(a, 0, 1, n, b, 0, wide, 1, null, wide, c, 0, wide, k, 0, wide, 0, n, 2, s);
      // B packed whole beforehand (a cached weight; packAll blocks k by KC as gemmPacked does)
      packAll(bw, 0, 1, k, k, wider, packed);
      gemm(a, 0, k, 1, null, 0, 0, 0, packed, wider, cw, 0, wider, k, 0, wider, 0, n, KC, s);
      // four rows and a leftover row, a vector and a scalar tail of k
      gemv(w, 0, L + 1, x, 0, y, 0, L + 1, 5);
      // all three column loops (four vectors, one vector, scalars), contiguous and strided x
      gevm(x, 0, 1, w, 0, 5 * L + 1, y, 0, 2, 5 * L + 1);
      gevm(x, 0, 2, w, 0, 5 * L + 1, y, 0, 1, L + 1);
      outer(a, 0, 1, x, 0, y, 0, L + 1, 2, L + 1);
      // the elementwise rows: every op, a vector and a tail, whole rows and a repeated row
      for (int op = VectorElementwise.ADD; op <= VectorElementwise.MUL_SIGN; op++) {
        VectorElementwise.binary(op, x, 0, L + 1, w, 0, op & 1, y, 0, L + 1, 2, L + 1);
      }
      for (int op = VectorElementwise.RELU; op <= VectorElementwise.MUL_SCALAR; op++) {
        VectorElementwise.unary(op, w, 1, y, 0, L + 1, 0.5f);
      }
      VectorElementwise.columnSums(w, 0, 5 * L + 1, 2, y, 0, 5 * L + 1, false);
      VectorElementwise.columnSums(w, 0, 5 * L + 1, 2, y, 0, 5 * L + 1, true);
      VectorActivations.warmUp();
      VectorNorms.warmUp();
    }
  }

  /**
   * Writes rows {@code [i0, i1)} of {@code C = A·B} (overwriting them). A's element (i, p) is
   * {@code a[ao + i*sa0 + p*sa1]}, B's element (p, j) is {@code b[bo + p*sb0 + j*sb1]}, C is
   * {@code [n, m]} at {@code c[co + i*ldc + j]}; {@code k >= 1}. Row ranges of one product may run on
   * different threads at once.
   */
  public static void gemm(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1,
      float[] c, int co, int ldc, int k, int m, int i0, int i1) {
    gemm(a, ao, sa0, sa1, b, bo, sb0, sb1, null, m, c, co, ldc, k, 0, m, i0, i1, KC, SCRATCH.get());
  }

  /**
   * Writes the block {@code [i0, i1) × [j0, j1)} of {@code C = A·B} (overwriting it), with the operands
   * as in {@link #gemm(float[], int, int, int, float[], int, int, int, float[], int, int, int, int, int, int)}.
   * Disjoint blocks of one product may run on different threads at once: a split by columns packs
   * only its own columns of B; {@code j0} is a multiple of {@link #stripWidth()}.
   */
  public static void gemmBlock(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1,
      float[] c, int co, int ldc, int k, int i0, int i1, int j0, int j1) {
    gemm(a, ao, sa0, sa1, b, bo, sb0, sb1, null, j1, c, co, ldc, k, j0, j1, i0, i1, KC, SCRATCH.get());
  }

  /**
   * {@link #gemmBlock} with B already packed whole by {@link #packAll} (B is {@code [k, m]}), so
   * nothing is packed here: a weight packed once and kept between calls.
   */
  public static void gemmPacked(float[] a, int ao, int sa0, int sa1, float[] packed, int m,
      float[] c, int co, int ldc, int k, int i0, int i1, int j0, int j1) {
    gemm(a, ao, sa0, sa1, null, 0, 0, 0, packed, m, c, co, ldc, k, j0, j1, i0, i1, KC, SCRATCH.get());
  }

  /** The width of one packed strip of B, in floats (column splits start at a multiple of it). */
  public static int stripWidth() {
    return NR;
  }

  /** Floats {@link #packAll} writes for a {@code [k, m]} matrix: its strips, the last zero-padded. */
  public static int packedSize(int k, int m) {
    return k * ((m + NR - 1) / NR) * NR;
  }

  /**
   * Packs all of B ({@code [k, m]}, element (p, j) at {@code b[bo + p*sb0 + j*sb1]}) into {@code dst}
   * as {@link #gemmPacked} reads it: per block of {@value #KC} rows of k, every strip of {@link #NR}
   * columns, each kc × NR floats, so a strip of any block starts at a computable offset.
   */
  public static void packAll(float[] b, int bo, int sb0, int sb1, int k, int m, float[] dst) {
    int strips = (m + NR - 1) / NR;
    for (int p0 = 0; p0 < k; p0 += KC) {
      pack(b, bo + p0 * sb0, sb0, sb1, dst, p0 * strips * NR, Math.min(KC, k - p0), m, strips);
    }
  }

  /**
   * The GEMM over columns {@code [jFrom, jTo)}: B is packed per block into the scratch, or, with
   * {@code pre} not null, read from B packed whole (by {@link #packAll}, {@code mAll} columns wide).
   */
  private static void gemm(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1, float[] pre,
      int mAll, float[] c, int co, int ldc, int k, int jFrom, int jTo, int i0, int i1, int kBlock, Scratch s) {
    float[] spill = s.spill;
    int allStrips = (mAll + NR - 1) / NR;
    for (int j0 = jFrom; j0 < jTo; j0 += NC) {
      int nc = Math.min(NC, jTo - j0);
      int strips = (nc + NR - 1) / NR;
      for (int p0 = 0; p0 < k; p0 += kBlock) {
        int kc = Math.min(kBlock, k - p0);
        boolean add = p0 > 0;
        float[] bp;
        int base;
        if (pre == null) {
          bp = s.pack;
          base = 0;
          pack(b, bo + p0 * sb0 + j0 * sb1, sb0, sb1, bp, 0, kc, nc, strips);
        } else {
          bp = pre;
          base = p0 * allStrips * NR + j0 / NR * kc * NR;
        }
        int i = i0;
        boolean packRows = strips > STRIDED_MAX_STRIPS || sa0 == 1;
        for (; i + 2 * MR <= i1; i += 2 * MR) {
          if (packRows) {
            packRows(a, ao + i * sa0 + p0 * sa1, sa0, sa1, s.rows, kc);
          }
          for (int t = 0; t < strips; t++) {
            int w = Math.min(NR, nc - t * NR);
            if (packRows) {
              kernel8(s.rows, bp, base + t * kc * NR, kc, c, co + i * ldc + j0 + t * NR, ldc, w, add, spill);
            } else {
              kernel8Strided(a, ao + i * sa0 + p0 * sa1, sa0, sa1, bp, base + t * kc * NR, kc, c, co + i * ldc + j0 + t * NR, ldc, w, add, spill);
            }
          }
        }
        for (; i + MR <= i1; i += MR) {
          for (int t = 0; t < strips; t++) {
            int w = Math.min(NR, nc - t * NR);
            kernel4(a, ao + i * sa0 + p0 * sa1, sa0, sa1, bp, base + t * kc * NR, kc, c, co + i * ldc + j0 + t * NR, ldc, w, add, spill);
          }
        }
        for (; i < i1; i++) {
          for (int t = 0; t < strips; t++) {
            int w = Math.min(NR, nc - t * NR);
            kernel1(a, ao + i * sa0 + p0 * sa1, sa1, bp, base + t * kc * NR, kc, c, co + i * ldc + j0 + t * NR, w, add, spill);
          }
        }
      }
    }
  }

  /**
   * Writes {@code y[yo + i] = Σ_p x[xo + p*incx] · a[ao + p*lda + i]} for i in [0, n): the row vector
   * x (k long) times the matrix A stored [k, n] row by row, i.e. {@code xᵀ·A}. It serves the products
   * that have one column ({@code Aᵀ·v} with A's rows contiguous, as a bias-free backward has) and those
   * with one row and a row-major B; nothing is packed.
   */
  public static void gevm(float[] x, int xo, int incx, float[] a, int ao, int lda, float[] y, int yo, int k, int n) {
    int i = 0;
    for (; i + 4 * L <= n; i += 4 * L) {
      FloatVector c0 = FloatVector.zero(S);
      FloatVector c1 = c0;
      FloatVector c2 = c0;
      FloatVector c3 = c0;
      for (int p = 0, at = ao + i, xp = xo; p < k; p++, at += lda, xp += incx) {
        FloatVector xv = FloatVector.broadcast(S, x[xp]);
        c0 = FloatVector.fromArray(S, a, at).fma(xv, c0);
        c1 = FloatVector.fromArray(S, a, at + L).fma(xv, c1);
        c2 = FloatVector.fromArray(S, a, at + 2 * L).fma(xv, c2);
        c3 = FloatVector.fromArray(S, a, at + 3 * L).fma(xv, c3);
      }
      c0.intoArray(y, yo + i);
      c1.intoArray(y, yo + i + L);
      c2.intoArray(y, yo + i + 2 * L);
      c3.intoArray(y, yo + i + 3 * L);
    }
    for (; i + L <= n; i += L) {
      FloatVector c0 = FloatVector.zero(S);
      for (int p = 0, at = ao + i, xp = xo; p < k; p++, at += lda, xp += incx) {
        c0 = FloatVector.fromArray(S, a, at).fma(FloatVector.broadcast(S, x[xp]), c0);
      }
      c0.intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      float acc = 0;
      for (int p = 0, at = ao + i, xp = xo; p < k; p++, at += lda, xp += incx) {
        acc += x[xp] * a[at];
      }
      y[yo + i] = acc;
    }
  }

  /**
   * Writes the outer product {@code c[co + i*ldc + j] = u[uo + i*incu] · v[vo + j]} for i in [0, n),
   * j in [0, m): a product with {@code k == 1}.
   */
  public static void outer(float[] u, int uo, int incu, float[] v, int vo, float[] c, int co, int ldc, int n, int m) {
    int mv = m - m % L;
    for (int i = 0; i < n; i++) {
      float ui = u[uo + i * incu];
      FloatVector uv = FloatVector.broadcast(S, ui);
      int ci = co + i * ldc;
      int j = 0;
      for (; j < mv; j += L) {
        FloatVector.fromArray(S, v, vo + j).mul(uv).intoArray(c, ci + j);
      }
      for (; j < m; j++) {
        c[ci + j] = ui * v[vo + j];
      }
    }
  }

  /**
   * Writes {@code y[yo + j] = Σ_p w[wo + j*ldw + p] · x[xo + p]} for j in [0, m): the one-row product
   * {@code x·Wᵀ} with W stored [m, k] row by row (a Linear's weight), so nothing needs packing.
   */
  public static void gemv(float[] w, int wo, int ldw, float[] x, int xo, float[] y, int yo, int k, int m) {
    int kv = k - k % L;
    int j = 0;
    for (; j + 4 <= m; j += 4) {
      int r0 = wo + j * ldw;
      int r1 = r0 + ldw;
      int r2 = r1 + ldw;
      int r3 = r2 + ldw;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      for (int p = 0; p < kv; p += L) {
        FloatVector xv = FloatVector.fromArray(S, x, xo + p);
        a0 = FloatVector.fromArray(S, w, r0 + p).fma(xv, a0);
        a1 = FloatVector.fromArray(S, w, r1 + p).fma(xv, a1);
        a2 = FloatVector.fromArray(S, w, r2 + p).fma(xv, a2);
        a3 = FloatVector.fromArray(S, w, r3 + p).fma(xv, a3);
      }
      float s0 = a0.reduceLanes(VectorOperators.ADD);
      float s1 = a1.reduceLanes(VectorOperators.ADD);
      float s2 = a2.reduceLanes(VectorOperators.ADD);
      float s3 = a3.reduceLanes(VectorOperators.ADD);
      for (int p = kv; p < k; p++) {
        float xp = x[xo + p];
        s0 += w[r0 + p] * xp;
        s1 += w[r1 + p] * xp;
        s2 += w[r2 + p] * xp;
        s3 += w[r3 + p] * xp;
      }
      y[yo + j] = s0;
      y[yo + j + 1] = s1;
      y[yo + j + 2] = s2;
      y[yo + j + 3] = s3;
    }
    for (; j < m; j++) {
      int r = wo + j * ldw;
      FloatVector acc = FloatVector.zero(S);
      for (int p = 0; p < kv; p += L) {
        acc = FloatVector.fromArray(S, w, r + p).fma(FloatVector.fromArray(S, x, xo + p), acc);
      }
      float s = acc.reduceLanes(VectorOperators.ADD);
      for (int p = kv; p < k; p++) {
        s += w[r + p] * x[xo + p];
      }
      y[yo + j] = s;
    }
  }

  /** Copies a kc × nc block of B into strips of kc rows × NR floats at {@code bpo}, zero-padding the last strip. */
  private static void pack(float[] b, int at, int sb0, int sb1, float[] bp, int bpo, int kc, int nc, int strips) {
    for (int s = 0; s < strips; s++) {
      int w = Math.min(NR, nc - s * NR);
      int base = bpo + s * kc * NR;
      if (sb0 == 1 && sb1 != 1) {
        // B is a transposed row-major matrix (a Linear's weight): read its rows, which are contiguous
        for (int t = 0; t < w; t++) {
          int src = at + (s * NR + t) * sb1;
          for (int p = 0, dst = base + t; p < kc; p++, dst += NR) {
            bp[dst] = b[src + p];
          }
        }
        if (w < NR) {
          for (int p = 0; p < kc; p++) {
            for (int t = w, dst = base + p * NR; t < NR; t++) {
              bp[dst + t] = 0;
            }
          }
        }
        continue;
      }
      for (int p = 0; p < kc; p++) {
        int dst = base + p * NR;
        int src = at + p * sb0 + s * NR * sb1;
        if (sb1 == 1) {
          System.arraycopy(b, src, bp, dst, w);
        } else {
          for (int t = 0; t < w; t++) {
            bp[dst + t] = b[src + t * sb1];
          }
        }
        for (int t = w; t < NR; t++) {
          bp[dst + t] = 0;
        }
      }
    }
  }

  /**
   * Copies eight rows of A (kc long, element (r, p) at {@code a[at + r*sa0 + p*sa1]}) into {@code ap}
   * interleaved, {@code ap[p*8 + r]}: the kernel then reads its eight scalars per step from one place,
   * with one index, instead of eight strided streams (each its own induction variable and range check).
   */
  private static void packRows(float[] a, int at, int sa0, int sa1, float[] ap, int kc) {
    if (sa0 == 1) {
      for (int p = 0, src = at, dst = 0; p < kc; p++, src += sa1, dst += 8) {
        System.arraycopy(a, src, ap, dst, 8);
      }
      return;
    }
    if (sa1 == 1) {
      // one induction variable, so C2 drops the range checks (two, with a variable stride, kept
      // them: this copy took 13 % of mlp_infer_mnist's samples at batch 128, now 7 %)
      for (int r = 0; r < 8; r++) {
        int src = at + r * sa0;
        for (int p = 0; p < kc; p++) {
          ap[p * 8 + r] = a[src + p];
        }
      }
      return;
    }
    for (int r = 0; r < 8; r++) {
      for (int p = 0, src = at + r * sa0, dst = r; p < kc; p++, src += sa1, dst += 8) {
        ap[dst] = a[src];
      }
    }
  }

  /**
   * The 8-row × 2-vector tile over eight packed rows of A ({@link #packRows}): 16 accumulators keep
   * the FMA pipes busy through their latency; per step two vector loads of B and eight broadcasts.
   */
  private static void kernel8(float[] ap, float[] bp, int bo, int kc, float[] c, int co,
      int ldc, int w, boolean add, float[] spill) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    for (int p = 0; p < kc; p++) {
      int bi = bo + p * NR;
      int ai = p * 8;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector x0 = FloatVector.broadcast(S, ap[ai]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
      FloatVector x4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = x4.fma(b0, c40);
      c41 = x4.fma(b1, c41);
      FloatVector x5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = x5.fma(b0, c50);
      c51 = x5.fma(b1, c51);
      FloatVector x6 = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = x6.fma(b0, c60);
      c61 = x6.fma(b1, c61);
      FloatVector x7 = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = x7.fma(b0, c70);
      c71 = x7.fma(b1, c71);
    }
    // stored here, not in a helper: a vector passed to a method that C2 did not inline is boxed
    int r0 = co;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    int r6 = r5 + ldc;
    int r7 = r6 + ldc;
    if (w == NR) {
      if (add) {
        c00 = c00.add(FloatVector.fromArray(S, c, r0));
        c01 = c01.add(FloatVector.fromArray(S, c, r0 + L));
        c10 = c10.add(FloatVector.fromArray(S, c, r1));
        c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
        c20 = c20.add(FloatVector.fromArray(S, c, r2));
        c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
        c30 = c30.add(FloatVector.fromArray(S, c, r3));
        c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
        c40 = c40.add(FloatVector.fromArray(S, c, r4));
        c41 = c41.add(FloatVector.fromArray(S, c, r4 + L));
        c50 = c50.add(FloatVector.fromArray(S, c, r5));
        c51 = c51.add(FloatVector.fromArray(S, c, r5 + L));
        c60 = c60.add(FloatVector.fromArray(S, c, r6));
        c61 = c61.add(FloatVector.fromArray(S, c, r6 + L));
        c70 = c70.add(FloatVector.fromArray(S, c, r7));
        c71 = c71.add(FloatVector.fromArray(S, c, r7 + L));
      }
      c00.intoArray(c, r0);
      c01.intoArray(c, r0 + L);
      c10.intoArray(c, r1);
      c11.intoArray(c, r1 + L);
      c20.intoArray(c, r2);
      c21.intoArray(c, r2 + L);
      c30.intoArray(c, r3);
      c31.intoArray(c, r3 + L);
      c40.intoArray(c, r4);
      c41.intoArray(c, r4 + L);
      c50.intoArray(c, r5);
      c51.intoArray(c, r5 + L);
      c60.intoArray(c, r6);
      c61.intoArray(c, r6 + L);
      c70.intoArray(c, r7);
      c71.intoArray(c, r7 + L);
      return;
    }
    c00.intoArray(spill, 0);
    c01.intoArray(spill, L);
    storePartial(spill, c, r0, w, add);
    c10.intoArray(spill, 0);
    c11.intoArray(spill, L);
    storePartial(spill, c, r1, w, add);
    c20.intoArray(spill, 0);
    c21.intoArray(spill, L);
    storePartial(spill, c, r2, w, add);
    c30.intoArray(spill, 0);
    c31.intoArray(spill, L);
    storePartial(spill, c, r3, w, add);
    c40.intoArray(spill, 0);
    c41.intoArray(spill, L);
    storePartial(spill, c, r4, w, add);
    c50.intoArray(spill, 0);
    c51.intoArray(spill, L);
    storePartial(spill, c, r5, w, add);
    c60.intoArray(spill, 0);
    c61.intoArray(spill, L);
    storePartial(spill, c, r6, w, add);
    c70.intoArray(spill, 0);
    c71.intoArray(spill, L);
    storePartial(spill, c, r7, w, add);
  }

  /**
   * {@link #kernel8} reading A through its strides (eight streams, one index each): for B blocks of
   * at most {@value #STRIDED_MAX_STRIPS} strips, where copying the eight rows costs more than it saves.
   */
  private static void kernel8Strided(float[] a, int ao, int sa0, int sa1, float[] bp, int bo, int kc, float[] c, int co,
      int ldc, int w, boolean add, float[] spill) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    int a0 = ao;
    int a1 = a0 + sa0;
    int a2 = a1 + sa0;
    int a3 = a2 + sa0;
    int a4 = a3 + sa0;
    int a5 = a4 + sa0;
    int a6 = a5 + sa0;
    int a7 = a6 + sa0;
    for (int p = 0; p < kc; p++, a0 += sa1, a1 += sa1, a2 += sa1, a3 += sa1, a4 += sa1, a5 += sa1, a6 += sa1, a7 += sa1) {
      int bi = bo + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector x0 = FloatVector.broadcast(S, a[a0]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
      FloatVector x4 = FloatVector.broadcast(S, a[a4]);
      c40 = x4.fma(b0, c40);
      c41 = x4.fma(b1, c41);
      FloatVector x5 = FloatVector.broadcast(S, a[a5]);
      c50 = x5.fma(b0, c50);
      c51 = x5.fma(b1, c51);
      FloatVector x6 = FloatVector.broadcast(S, a[a6]);
      c60 = x6.fma(b0, c60);
      c61 = x6.fma(b1, c61);
      FloatVector x7 = FloatVector.broadcast(S, a[a7]);
      c70 = x7.fma(b0, c70);
      c71 = x7.fma(b1, c71);
    }
    // stored here, not in a helper: a vector passed to a method that C2 did not inline is boxed
    int r0 = co;
    int r1 = r0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int r4 = r3 + ldc;
    int r5 = r4 + ldc;
    int r6 = r5 + ldc;
    int r7 = r6 + ldc;
    if (w == NR) {
      if (add) {
        c00 = c00.add(FloatVector.fromArray(S, c, r0));
        c01 = c01.add(FloatVector.fromArray(S, c, r0 + L));
        c10 = c10.add(FloatVector.fromArray(S, c, r1));
        c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
        c20 = c20.add(FloatVector.fromArray(S, c, r2));
        c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
        c30 = c30.add(FloatVector.fromArray(S, c, r3));
        c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
        c40 = c40.add(FloatVector.fromArray(S, c, r4));
        c41 = c41.add(FloatVector.fromArray(S, c, r4 + L));
        c50 = c50.add(FloatVector.fromArray(S, c, r5));
        c51 = c51.add(FloatVector.fromArray(S, c, r5 + L));
        c60 = c60.add(FloatVector.fromArray(S, c, r6));
        c61 = c61.add(FloatVector.fromArray(S, c, r6 + L));
        c70 = c70.add(FloatVector.fromArray(S, c, r7));
        c71 = c71.add(FloatVector.fromArray(S, c, r7 + L));
      }
      c00.intoArray(c, r0);
      c01.intoArray(c, r0 + L);
      c10.intoArray(c, r1);
      c11.intoArray(c, r1 + L);
      c20.intoArray(c, r2);
      c21.intoArray(c, r2 + L);
      c30.intoArray(c, r3);
      c31.intoArray(c, r3 + L);
      c40.intoArray(c, r4);
      c41.intoArray(c, r4 + L);
      c50.intoArray(c, r5);
      c51.intoArray(c, r5 + L);
      c60.intoArray(c, r6);
      c61.intoArray(c, r6 + L);
      c70.intoArray(c, r7);
      c71.intoArray(c, r7 + L);
      return;
    }
    c00.intoArray(spill, 0);
    c01.intoArray(spill, L);
    storePartial(spill, c, r0, w, add);
    c10.intoArray(spill, 0);
    c11.intoArray(spill, L);
    storePartial(spill, c, r1, w, add);
    c20.intoArray(spill, 0);
    c21.intoArray(spill, L);
    storePartial(spill, c, r2, w, add);
    c30.intoArray(spill, 0);
    c31.intoArray(spill, L);
    storePartial(spill, c, r3, w, add);
    c40.intoArray(spill, 0);
    c41.intoArray(spill, L);
    storePartial(spill, c, r4, w, add);
    c50.intoArray(spill, 0);
    c51.intoArray(spill, L);
    storePartial(spill, c, r5, w, add);
    c60.intoArray(spill, 0);
    c61.intoArray(spill, L);
    storePartial(spill, c, r6, w, add);
    c70.intoArray(spill, 0);
    c71.intoArray(spill, L);
    storePartial(spill, c, r7, w, add);
  }

  private static void kernel4(float[] a, int ao, int sa0, int sa1, float[] bp, int bo, int kc, float[] c, int co,
      int ldc, int w, boolean add, float[] spill) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    int a0 = ao;
    int a1 = ao + sa0;
    int a2 = a1 + sa0;
    int a3 = a2 + sa0;
    for (int p = 0; p < kc; p++, a0 += sa1, a1 += sa1, a2 += sa1, a3 += sa1) {
      int bi = bo + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector x = FloatVector.broadcast(S, a[a0]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    // stored here, not in a helper: a vector passed to a method that C2 did not inline is boxed
    int r1 = co + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    if (w == NR) {
      if (add) {
        c00 = c00.add(FloatVector.fromArray(S, c, co));
        c01 = c01.add(FloatVector.fromArray(S, c, co + L));
        c10 = c10.add(FloatVector.fromArray(S, c, r1));
        c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
        c20 = c20.add(FloatVector.fromArray(S, c, r2));
        c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
        c30 = c30.add(FloatVector.fromArray(S, c, r3));
        c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
      }
      c00.intoArray(c, co);
      c01.intoArray(c, co + L);
      c10.intoArray(c, r1);
      c11.intoArray(c, r1 + L);
      c20.intoArray(c, r2);
      c21.intoArray(c, r2 + L);
      c30.intoArray(c, r3);
      c31.intoArray(c, r3 + L);
      return;
    }
    c00.intoArray(spill, 0);
    c01.intoArray(spill, L);
    storePartial(spill, c, co, w, add);
    c10.intoArray(spill, 0);
    c11.intoArray(spill, L);
    storePartial(spill, c, r1, w, add);
    c20.intoArray(spill, 0);
    c21.intoArray(spill, L);
    storePartial(spill, c, r2, w, add);
    c30.intoArray(spill, 0);
    c31.intoArray(spill, L);
    storePartial(spill, c, r3, w, add);
  }

  private static void kernel1(float[] a, int ao, int sa1, float[] bp, int bo, int kc, float[] c, int co, int w,
      boolean add, float[] spill) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = c0;
    for (int p = 0, ap = ao; p < kc; p++, ap += sa1) {
      int bi = bo + p * NR;
      FloatVector x = FloatVector.broadcast(S, a[ap]);
      c0 = x.fma(FloatVector.fromArray(S, bp, bi), c0);
      c1 = x.fma(FloatVector.fromArray(S, bp, bi + L), c1);
    }
    if (w == NR) {
      if (add) {
        c0 = c0.add(FloatVector.fromArray(S, c, co));
        c1 = c1.add(FloatVector.fromArray(S, c, co + L));
      }
      c0.intoArray(c, co);
      c1.intoArray(c, co + L);
      return;
    }
    c0.intoArray(spill, 0);
    c1.intoArray(spill, L);
    storePartial(spill, c, co, w, add);
  }

  /**
   * C[at .. at+w) = (or +=, after the first block of k) the first w floats of {@code spill}: a partial
   * strip goes through the spill array because {@code lane(j)} with a variable j is not intrinsified on
   * JDK 17 and would box the vector.
   */
  private static void storePartial(float[] spill, float[] c, int at, int w, boolean add) {
    if (add) {
      for (int j = 0; j < w; j++) {
        c[at + j] += spill[j];
      }
    } else {
      System.arraycopy(spill, 0, c, at, w);
    }
  }
}
