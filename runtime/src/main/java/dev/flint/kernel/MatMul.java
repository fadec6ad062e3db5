package dev.flint.kernel;

import dev.flint.internal.Internals;
import dev.flint.kernel.vector.PackedWeights;
import dev.flint.kernel.vector.VectorMatMul;
import dev.flint.ops.Attrs;
import dev.flint.ops.Shapes;
import dev.flint.tensor.DType;
import dev.flint.tensor.Layouts;
import dev.flint.tensor.Storage;
import dev.flint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Batched matrix product {@code [..., n, k] @ [..., k, m]} with broadcast batch dims, for operands of
 * any layout (a transposed weight needs no copy).
 *
 * <p>FLOAT32/FLOAT64: B is packed into one array per row (and per block of 1024 columns), and rows
 * of C accumulate in small arrays, so the inner loop {@code t0[j] += a0 * b[j]; ...} indexes every
 * array with the same {@code j}. That is what lets C2 vectorize it: with different offsets into
 * arrays that might alias, JDK 17's SuperWord gives up and the loop runs about 4x slower (FLOAT32
 * reads four rows of B per pass, {@link #rowsF32}). A FLOAT32 {@code x @ w.t()} with fewer than
 * {@value #DOT_MAX_ROWS} rows packs nothing ({@link #dotRowsF32}) the first time; a parameter's B
 * asked for again at the same version is kept packed ({@link PlainPacks}, without the vector tier),
 * and then every row count takes the rows kernel over it. Row blocks are spread over the
 * shared {@link Parallel} pool.
 *
 * <p>FLOAT32 products of at least {@link #VECTOR_MIN_WORK} multiply-adds run on the optional Vector API
 * tier ({@link VectorMatMul}) when {@link VectorTier#ENABLED}: one-row products with a row-major
 * {@code Bᵀ} (batch-1 {@code x @ w.t()}) as matrix-vector products, the rest as a packed GEMM split
 * over the pool by column strips or row ranges; a parameter's B is packed once and reused while its
 * storage version stands ({@link PackedWeights}). Everything else, and everything without the module,
 * runs the loops below.
 */
final class MatMul {
  private static final int ROW_BLOCK = 32;
  private static final int J_BLOCK = 1024;
  /**
   * Below this many rows of A, a pure-Java FLOAT32 {@code x @ w.t()} runs as dot products over w's
   * rows ({@link #dotRowsF32}) instead of packing wᵀ: at 784×512, packing costs about 3 rows' worth
   * of dot products.
   */
  private static final int DOT_MAX_ROWS = 4;
  /**
   * Below this many multiply-adds (n·k·m over all batches) FLOAT32 products stay on the pure-Java
   * loops: about 32³, where the tier started to win in a rough scan (AVX-512, JDK 17, 1 thread;
   * below it the padding of narrow products to two-vector strips costs more than it saves).
   */
  static final long VECTOR_MIN_WORK = 32_768;
  /**
   * Below this many multiply-adds (about 4M, some 30 us on one AVX-512 core) a single vector-tier
   * GEMM stays on the calling thread: a split saves less than the hand-off and the traffic of A, B and
   * C between the cores' caches cost (mlp_train_small's 256x117x64 products ran slower on two threads
   * than on one). {@code -Dflint.matmul.splitMinWork=N} overrides it.
   */
  static final long SPLIT_MIN_WORK = Long.getLong("flint.matmul.splitMinWork", 1L << 22);

  private MatMul() {}

  static Tensor matmul(Tensor a, Tensor b, Tensor out) {
    return matmul(a, b, out, VectorTier.active());
  }

  /**
   * {@link #matmul(Tensor, Tensor, Tensor)} with the Vector API tier allowed or not; {@code vector}
   * must be false unless {@link VectorTier#ENABLED} (tests compare both paths).
   */
  static Tensor matmul(Tensor a, Tensor b, Tensor out, boolean vector) {
    checkSameDtype(a, b);
    if (a.dim() == 2 && b.dim() == 2) {
      return matmul2d(a, b, out, vector);
    }
    if (out != null && a.dim() > 2 && sameBatchProduct(a, b, out)) {
      return batchedInto(a, b, out, vector);
    }
    if (a.dim() > 2 && b.dim() == 2 && a.size(-1) == b.size(0) && collapsedRows(a) >= 0) {
      // [..., n, k] @ [k, m] with a's rows in one stride (an activation [B, T, K]): one 2-D product over
      // all rows, no batch offsets (a Linear's input gradient dY @ w every step)
      return product2d("matmul", a, false, b, false, out, vector);
    }
    int[] shape = Shapes.matmul("matmul", List.of(Internals.shapeRef(a), Internals.shapeRef(b)), Attrs.NONE);
    Tensor o = Elementwise.prepare(out, a.dtype(), shape, "matmul");
    int r = shape.length;
    int n = shape[r - 2];
    int m = shape[r - 1];
    int k = Internals.shapeRef(a)[a.dim() - 1];
    if (o.numel() == 0) {
      return o;
    }
    if (k == 0) {
      o.storage().fill(o.offset(), o.offset() + o.numel(), 0);
      return o;
    }
    int[] aOff;
    int[] bOff;
    if (r == 2) {
      aOff = new int[] {a.offset()};
      bOff = new int[] {b.offset()};
    } else {
      int[] batch = Arrays.copyOf(shape, r - 2);
      aOff = batchOffsets(a, batch);
      bOff = batchOffsets(b, batch);
    }
    dispatch(a, aOff, b, bOff, o, n, k, m, vector);
    return o;
  }

  /**
   * Whether {@code a} [..., n, k] and {@code b} [..., k, m] have one rank and the same batch dims, and
   * {@code out} is a contiguous [..., n, m] of their dtype: attention's products in compiled code, which
   * {@link #batchedInto} runs without the general rule's lists and arrays.
   */
  private static boolean sameBatchProduct(Tensor a, Tensor b, Tensor out) {
    int[] as = Internals.shapeRef(a);
    int[] bs = Internals.shapeRef(b);
    int[] os = Internals.shapeRef(out);
    int r = as.length;
    if (bs.length != r || os.length != r || out.dtype() != a.dtype() || !out.isContiguous()
        || bs[r - 2] != as[r - 1] || os[r - 2] != as[r - 2] || os[r - 1] != bs[r - 1]) {
      return false;
    }
    for (int d = 0; d < r - 2; d++) {
      if (as[d] != bs[d] || os[d] != as[d]) {
        return false;
      }
    }
    return true;
  }

  /** Per-thread batch offset arrays of {@link #batchedInto}, replaced when the number of matrices changes. */
  private static final ThreadLocal<int[][]> BATCH_OFFSETS = ThreadLocal.withInitial(() -> new int[2][0]);

  /** The product of two batches of matrices checked by {@link #sameBatchProduct}, into {@code out}. */
  private static Tensor batchedInto(Tensor a, Tensor b, Tensor out, boolean vector) {
    int[] as = Internals.shapeRef(a);
    int r = as.length;
    int n = as[r - 2];
    int k = as[r - 1];
    int m = Internals.shapeRef(b)[r - 1];
    if (out.numel() == 0) {
      return out;
    }
    if (k == 0) {
      out.storage().fill(out.offset(), out.offset() + out.numel(), 0);
      return out;
    }
    int batches = 1;
    for (int d = 0; d < r - 2; d++) {
      batches *= as[d];
    }
    int[][] offsets = BATCH_OFFSETS.get();
    if (offsets[0].length != batches) {
      offsets[0] = new int[batches];
      offsets[1] = new int[batches];
    }
    fillBatchOffsets(a, offsets[0]);
    fillBatchOffsets(b, offsets[1]);
    dispatch(a, offsets[0], b, offsets[1], out, n, k, m, vector);
    return out;
  }

  /** The storage offset of each matrix of {@code t}'s batch dims, in row-major order of the batch index. */
  private static void fillBatchOffsets(Tensor t, int[] offs) {
    int[] s = Internals.shapeRef(t);
    int[] st = Internals.stridesRef(t);
    int r = s.length;
    for (int i = 0; i < offs.length; i++) {
      int rem = i;
      int at = t.offset();
      for (int d = r - 3; d >= 0; d--) {
        at += (rem % s[d]) * st[d];
        rem /= s[d];
      }
      offs[i] = at;
    }
  }

  private static void checkSameDtype(Tensor a, Tensor b) {
    if (a.dtype() != b.dtype()) {
      DType wider = DType.promote(a.dtype(), b.dtype());
      throw new IllegalArgumentException("matmul: expected both operands to have the same dtype, but got "
          + a.dtype().shortName() + " and " + b.dtype().shortName() + ": convert one with .to(DType." + wider.name() + ")");
    }
  }

  /** Per-thread one-element offset arrays for 2-D products (read by pool threads while the caller waits). */
  private static final ThreadLocal<int[][]> OFFSETS_2D = ThreadLocal.withInitial(() -> new int[2][1]);

  /**
   * The 2-D product without the general rule's lists and shape arrays: compiled steps call it for
   * every layer, and with an {@code out} buffer it allocates nothing of its own (docs/design.md, "Performance targets").
   */
  private static Tensor matmul2d(Tensor a, Tensor b, Tensor out, boolean vector) {
    return product2d("matmul", a, false, b, false, out, vector);
  }

  /**
   * {@code op(a) @ op(b)} for 2-D operands, where op transposes an operand when asked: the
   * transposed one is read through swapped strides, without a view object (compiled backward
   * passes compute a weight's gradient as {@code dYᵀ·x} this way every step).
   */
  static Tensor matmulTransposed(String name, Tensor a, boolean transposeA, Tensor b, boolean transposeB, Tensor out) {
    int ra = a.dim();
    int rb = b.dim();
    // beyond 2-D: the rows of a (and, for aᵀ @ b, of b too) are all dims but the last, flattened
    boolean ranks = ra == 2 && rb == 2
        || ra > 2 && !transposeA && transposeB && rb == 2
        || transposeA && !transposeB && ra == rb && ra > 2
            && Arrays.equals(Internals.shapeRef(a), 0, ra - 1, Internals.shapeRef(b), 0, rb - 1);
    if (!ranks) {
      throw new IllegalArgumentException(name + ": expected two 2-D operands (or [..., n, k] and [m, k] for a @ bᵀ, "
          + "[..., k, n] and [..., k, m] for aᵀ @ b), but got shapes "
          + Arrays.toString(Internals.shapeRef(a)) + " and " + Arrays.toString(Internals.shapeRef(b)));
    }
    checkSameDtype(a, b);
    // rows that do not lie in one stride (a permuted view) are copied first
    Tensor ar = ra > 2 && collapsedRows(a) < 0 ? Copy.cast(a, a.dtype()) : a;
    Tensor br = rb > 2 && collapsedRows(b) < 0 ? Copy.cast(b, b.dtype()) : b;
    return product2d(name, ar, transposeA, br, transposeB, out, VectorTier.active());
  }

  /**
   * The rows of {@code t} (rank 2 or more) as one matrix: the product of all dims but the last when
   * they lie in one stride (a contiguous [B, T, K], or a narrow of its last dim), else -1.
   */
  private static int collapsedRows(Tensor t) {
    int[] s = Internals.shapeRef(t);
    int[] st = Internals.stridesRef(t);
    int r = s.length;
    int rows = s[r - 2];
    for (int d = r - 3; d >= 0; d--) {
      if (s[d] != 1 && st[d] != st[d + 1] * s[d + 1]) {
        return -1;
      }
      rows *= s[d];
    }
    return rows;
  }

  /**
   * {@code op(a) @ op(b)} with each operand a matrix [rows, last dim] ({@link #collapsedRows}); the
   * result is [n, m], or a's leading dims and m when a has more than 2 and is not transposed.
   */
  private static Tensor product2d(String name, Tensor a, boolean ta, Tensor b, boolean tb, Tensor out, boolean vector) {
    int[] as = Internals.shapeRef(a);
    int[] bs = Internals.shapeRef(b);
    int ra = as.length;
    int rb = bs.length;
    int aRows = ra == 2 ? as[0] : collapsedRows(a);
    int bRows = rb == 2 ? bs[0] : collapsedRows(b);
    int n = ta ? as[ra - 1] : aRows;
    int k = ta ? aRows : as[ra - 1];
    int m = tb ? bRows : bs[rb - 1];
    if ((tb ? bs[rb - 1] : bRows) != k) {   // the rule's message, on the shapes as multiplied
      Shapes.matmul(name, List.of(new int[] {n, k}, new int[] {tb ? bs[rb - 1] : bRows, m}), Attrs.NONE);
    }
    boolean leading = ra > 2 && !ta;   // the result keeps a's leading dims: [..., m]
    Tensor o;
    if (out != null && out.dtype() == a.dtype() && out.isContiguous() && hasProductShape(out, as, leading, n, m)) {
      o = out;
    } else {
      int[] shape;
      if (leading) {
        shape = Arrays.copyOf(as, ra);
        shape[ra - 1] = m;
      } else {
        shape = new int[] {n, m};
      }
      o = Elementwise.prepare(out, a.dtype(), shape, name);
    }
    if (o.numel() == 0) {
      return o;
    }
    if (k == 0) {
      o.storage().fill(o.offset(), o.offset() + o.numel(), 0);
      return o;
    }
    int[] sa = Internals.stridesRef(a);
    int[] sb = Internals.stridesRef(b);
    int sa0 = sa[ra - 2];
    int sa1 = sa[ra - 1];
    int sb0 = sb[rb - 2];
    int sb1 = sb[rb - 1];
    int[][] offsets = OFFSETS_2D.get();
    offsets[0][0] = a.offset();
    offsets[1][0] = b.offset();
    dispatch(a, offsets[0], ta ? sa1 : sa0, ta ? sa0 : sa1, b, offsets[1], tb ? sb1 : sb0, tb ? sb0 : sb1,
        o, n, k, m, vector);
    return o;
  }

  /** Whether {@code out} is [n, m], or (with {@code leading}) a's leading dims followed by m. */
  private static boolean hasProductShape(Tensor out, int[] as, boolean leading, int n, int m) {
    int[] os = Internals.shapeRef(out);
    if (!leading) {
      return os.length == 2 && os[0] == n && os[1] == m;
    }
    if (os.length != as.length || os[os.length - 1] != m) {
      return false;
    }
    for (int d = 0; d < as.length - 1; d++) {
      if (os[d] != as[d]) {
        return false;
      }
    }
    return true;
  }

  private static void dispatch(Tensor a, int[] aOff, Tensor b, int[] bOff, Tensor o, int n, int k, int m, boolean vector) {
    int[] sa = Internals.stridesRef(a);
    int[] sb = Internals.stridesRef(b);
    dispatch(a, aOff, sa[sa.length - 2], sa[sa.length - 1], b, bOff, sb[sb.length - 2], sb[sb.length - 1], o, n, k, m, vector);
  }

  /** The product of the matrices at {@code aOff}/{@code bOff} with the given row and column strides. */
  private static void dispatch(Tensor a, int[] aOff, int sa0, int sa1, Tensor b, int[] bOff, int sb0, int sb1,
      Tensor o, int n, int k, int m, boolean vector) {
    DType t = a.dtype();
    if (vector && t == DType.FLOAT32
        && ((long) aOff.length * n * k * m >= VECTOR_MIN_WORK || Unpacked.of(n, k, m, sa0, sa1, sb0, sb1) != Unpacked.NONE)) {
      vectorF32(a, aOff, sa0, sa1, b, bOff, sb0, sb1, o, n, k, m);
    } else if (t == DType.FLOAT32 || t == DType.FLOAT64) {
      if (t == DType.FLOAT32) {
        VectorTier.scalarWork((long) aOff.length * n * k * m);   // starts the tier's warm-up once it adds up
      }
      floating(a, aOff, sa0, sa1, b, bOff, sb0, sb1, o, n, k, m);
    } else {
      generic(a, aOff, sa0, sa1, b, bOff, sb0, sb1, o, n, k, m);
    }
  }

  /** The storage offset of each batch matrix of {@code t} broadcast to {@code batch}. */
  private static int[] batchOffsets(Tensor t, int[] batch) {
    int r = t.dim();
    Tensor meta = Internals.view(t.storage(), t.offset(), Arrays.copyOf(Internals.shapeRef(t), r - 2), Arrays.copyOf(Internals.stridesRef(t), r - 2));
    int[] st = Strided.broadcastStrides(meta, batch);
    int[] offs = new int[Layouts.numel(batch)];
    Layouts.forEachIndex(batch, st, t.offset(), (i, at) -> offs[i] = at);
    return offs;
  }

  /** The Vector API tier; only called when {@link VectorTier#ENABLED}. C is contiguous. */
  private static void vectorF32(Tensor a, int[] aOff, int sa0, int sa1, Tensor b, int[] bOff, int sb0, int sb1,
      Tensor c, int n, int k, int m) {
    float[] as = a.storage().floats();
    float[] bs = b.storage().floats();
    float[] cs = c.storage().floats();
    int co = c.offset();
    int batches = aOff.length;
    long work = (long) batches * n * k * m;
    int shape = Unpacked.of(n, k, m, sa0, sa1, sb0, sb1);
    if (shape != Unpacked.NONE) {
      // one column, one row or k == 1: matrix-vector and outer products, nothing packed; these
      // are memory-bound and small, so they stay on the calling thread
      for (int bi = 0; bi < batches; bi++) {
        Unpacked.run(shape, as, aOff[bi], sa0, sa1, bs, bOff[bi], sb0, sb1, cs, co + bi * n * m, n, k, m);
      }
      return;
    }
    if (n < VectorMatMul.MR && sa1 == 1 && sb0 == 1) {
      // x @ w.t() with few rows: dot products over w's contiguous rows, nothing packed
      Parallel.forRange(batches * n, work, (from, to) -> {
        for (int task = from; task < to; task++) {
          int bi = task / n;
          int i = task % n;
          VectorMatMul.gemv(bs, bOff[bi], sb1, as, aOff[bi] + i * sa0, cs, co + task * m, k, m);
        }
      });
      return;
    }
    float[] pre = sameMatrix(bOff) ? PackedWeights.lookup(b.storage(), bOff[0], sb0, sb1, k, m) : null;
    if (pre != null) {
      packedF32(as, aOff, sa0, sa1, pre, cs, co, n, k, m, work);
      return;
    }
    int threads = Parallel.threads();
    if (batches == 1 && (threads == 1 || work < SPLIT_MIN_WORK)) {
      VectorMatMul.gemm(as, aOff[0], sa0, sa1, bs, bOff[0], sb0, sb1, cs, co, m, k, m, 0, n);
      return;
    }
    if (batches < threads) {
      // split each product by column strips (every thread packs only its own columns of B), or by
      // rows when there are too few columns for every thread
      int strip = 2 * VectorMatMul.lanes();
      int strips = (m + strip - 1) / strip;
      if (strips >= threads) {
        int per = (strips + threads - 1) / threads * strip;
        int parts = (m + per - 1) / per;
        Parallel.forRange(batches * parts, work, (from, to) -> {
          for (int task = from; task < to; task++) {
            int bi = task / parts;
            int j0 = (task % parts) * per;
            VectorMatMul.gemmBlock(as, aOff[bi], sa0, sa1, bs, bOff[bi], sb0, sb1, cs, co + bi * n * m, m, k,
                0, n, j0, Math.min(m, j0 + per));
          }
        });
        return;
      }
    }
    int rowsPer = rowsPerTask(n, batches, threads);
    int blocks = (n + rowsPer - 1) / rowsPer;
    if (Parallel.runsInline(batches * blocks, work)) {
      // on this thread: the loop below without its capturing lambda (compiled steps make a dozen of these)
      for (int bi = 0; bi < batches; bi++) {
        VectorMatMul.gemm(as, aOff[bi], sa0, sa1, bs, bOff[bi], sb0, sb1, cs, co + bi * n * m, m, k, m, 0, n);
      }
      return;
    }
    Parallel.forRange(batches * blocks, work, (from, to) -> {
      for (int task = from; task < to; task++) {
        int bi = task / blocks;
        int i0 = (task % blocks) * rowsPer;
        int i1 = Math.min(n, i0 + rowsPer);
        VectorMatMul.gemm(as, aOff[bi], sa0, sa1, bs, bOff[bi], sb0, sb1, cs, co + bi * n * m, m, k, m, i0, i1);
      }
    });
  }

  private static boolean sameMatrix(int[] offsets) {
    for (int i = 1; i < offsets.length; i++) {
      if (offsets[i] != offsets[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The vector-tier GEMM with B packed whole beforehand (a parameter's cached pack, shared by every
   * batch matrix): split by column strips, or by batch and rows, as {@link #vectorF32} splits.
   */
  private static void packedF32(float[] as, int[] aOff, int sa0, int sa1, float[] pre, float[] cs, int co,
      int n, int k, int m, long work) {
    int batches = aOff.length;
    int threads = Parallel.threads();
    if (batches == 1 && (threads == 1 || work < SPLIT_MIN_WORK)) {
      VectorMatMul.gemmPacked(as, aOff[0], sa0, sa1, pre, m, cs, co, m, k, 0, n, 0, m);
      return;
    }
    int strip = VectorMatMul.stripWidth();
    int strips = (m + strip - 1) / strip;
    if (batches < threads && strips >= threads) {
      int per = (strips + threads - 1) / threads * strip;
      int parts = (m + per - 1) / per;
      Parallel.forRange(batches * parts, work, (from, to) -> {
        for (int task = from; task < to; task++) {
          int bi = task / parts;
          int j0 = (task % parts) * per;
          VectorMatMul.gemmPacked(as, aOff[bi], sa0, sa1, pre, m, cs, co + bi * n * m, m, k, 0, n, j0, Math.min(m, j0 + per));
        }
      });
      return;
    }
    int rowsPer = rowsPerTask(n, batches, threads);
    int blocks = (n + rowsPer - 1) / rowsPer;
    Parallel.forRange(batches * blocks, work, (from, to) -> {
      for (int task = from; task < to; task++) {
        int bi = task / blocks;
        int i0 = (task % blocks) * rowsPer;
        VectorMatMul.gemmPacked(as, aOff[bi], sa0, sa1, pre, m, cs, co + bi * n * m, m, k, i0, Math.min(n, i0 + rowsPer), 0, m);
      }
    });
  }

  /** Rows per task: whole matrices when the batch alone gives every thread work, else row ranges. */
  private static int rowsPerTask(int n, int batches, int threads) {
    if (threads > 1 && batches < threads) {
      int rows = (n + threads - 1) / threads;
      return Math.min(n, Math.max(VectorMatMul.MR, (rows + VectorMatMul.MR - 1) / VectorMatMul.MR * VectorMatMul.MR));
    }
    return n;
  }

  /**
   * FLOAT32 products that need no packing on the vector tier, by the layout of one batch matrix:
   * one output column, one output row, or an outer product. {@link #of} picks the kind.
   */
  static final class Unpacked {
    static final int NONE = 0;
    /** m == 1, A's rows contiguous: one dot product per row of A ({@code A·v}). */
    static final int COLUMN_ROWS = 1;
    /** m == 1, A's columns contiguous (a transposed view): {@code vᵀ·Aᵀ}, summed over A's columns. */
    static final int COLUMN_COLS = 2;
    /** n == 1, B's rows contiguous: the row vector times B. */
    static final int ROW = 3;
    /** k == 1, B's row contiguous: the outer product of A's column and B's row. */
    static final int OUTER = 4;

    private Unpacked() {}

    static int of(int n, int k, int m, int sa0, int sa1, int sb0, int sb1) {
      if (m == 1 && sa1 == 1 && (sb0 == 1 || k == 1)) {
        return COLUMN_ROWS;
      }
      if (m == 1 && sa0 == 1) {
        return COLUMN_COLS;
      }
      if (k == 1 && (sb1 == 1 || m == 1)) {
        return OUTER;
      }
      if (n == 1 && (sb1 == 1 || m == 1)) {
        return ROW;
      }
      return NONE;
    }

    static void run(int kind, float[] as, int ao, int sa0, int sa1, float[] bs, int bo, int sb0, int sb1,
        float[] cs, int co, int n, int k, int m) {
      switch (kind) {
        case COLUMN_ROWS: VectorMatMul.gemv(as, ao, sa0, bs, bo, cs, co, k, n); return;
        case COLUMN_COLS: VectorMatMul.gevm(bs, bo, sb0, as, ao, sa1, cs, co, k, n); return;
        case ROW: VectorMatMul.gevm(as, ao, sa1, bs, bo, sb0, cs, co, k, m); return;
        case OUTER: VectorMatMul.outer(as, ao, sa0, bs, bo, cs, co, m, n, m); return;
        default: throw new IllegalStateException("not an unpacked product: " + kind);
      }
    }
  }

  private static void floating(Tensor a, int[] aOff, int sa0, int sa1, Tensor b, int[] bOff, int sb0, int sb1,
      Tensor c, int n, int k, int m) {
    boolean f32 = a.dtype() == DType.FLOAT32;
    int batches = aOff.length;
    boolean shared = sameMatrix(bOff);
    // a parameter's B kept packed between calls (inference) when the vector tier does not serve this JVM
    float[][][] kept = f32 && shared && !VectorTier.ENABLED ? PlainPacks.lookup(b.storage(), bOff[0], sb0, sb1, k, m) : null;
    if (kept == null && f32 && n < DOT_MAX_ROWS && sa1 == 1 && sb0 == 1 && m > 1) {
      // x @ w.t() with few rows: dot products over w's contiguous rows, nothing packed
      float[] as = a.storage().floats();
      float[] bs = b.storage().floats();
      float[] cs = c.storage().floats();
      int co = c.offset();
      Parallel.forRange(batches * n, (long) batches * n * k * m, (from, to) -> {
        for (int task = from; task < to; task++) {
          int bi = task / n;
          int i = task % n;
          dotRowsF32(as, aOff[bi], sa0, bs, bOff[bi], sb1, cs, co + bi * n * m, k, m, i, i + 1);
        }
      });
      return;
    }
    long work1 = (long) batches * n * k * m;
    if (f32 && kept == null && batches == 1 && m <= NARROW_MAX_COLS && n >= 4 * m && n <= J_BLOCK
        && (long) k * n <= PlainF32.MAX_REUSED && !Parallel.worthSplitting(work1)) {
      narrowF32(a.storage().floats(), aOff[0], sa0, sa1, b.storage().floats(), bOff[0], sb0, sb1,
          c.storage().floats(), c.offset(), n, k, m);
      return;
    }
    // pack each distinct B matrix once: [batch][jBlock][p][j]
    long total = (long) batches * n * k * m;
    if (!shared && f32 && total < Parallel.MIN_SPLIT_WORK) {
      // small products of distinct matrices (attention's at a short context): one batch after another
      // through this thread's reused pack, allocating nothing; too little work to split over threads
      PlainF32 scratch = PLAIN_F32.get();
      float[] as = a.storage().floats();
      float[] cs = c.storage().floats();
      for (int bi = 0; bi < batches; bi++) {
        float[][][] bp = packF32(b.storage().floats(), bOff[bi], sb0, sb1, k, m, scratch);
        rowsF32(as, aOff[bi], sa0, sa1, bp, cs, c.offset() + bi * n * m, k, m, 0, n);
      }
      return;
    }
    int packs = shared ? 1 : batches;
    Object[] packed = new Object[packs];
    for (int q = 0; q < packs; q++) {
      packed[q] = kept != null ? kept
          : f32 ? packF32(b.storage().floats(), bOff[q], sb0, sb1, k, m, packs == 1 ? PLAIN_F32.get() : null)
          : packF64(b.storage().doubles(), bOff[q], sb0, sb1, k, m);
    }
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    long work = (long) batches * n * k * m;
    Parallel.forRange(batches * blocks, work, (from, to) -> {
      for (int task = from; task < to; task++) {
        int bi = task / blocks;
        int i0 = (task % blocks) * ROW_BLOCK;
        int i1 = Math.min(n, i0 + ROW_BLOCK);
        int co = c.offset() + bi * n * m;
        Object bp = packed[shared ? 0 : bi];
        if (f32) {
          rowsF32(a.storage().floats(), aOff[bi], sa0, sa1, (float[][][]) bp, c.storage().floats(), co, k, m, i0, i1);
        } else {
          rowsF64(a.storage().doubles(), aOff[bi], sa0, sa1, (double[][][]) bp, c.storage().doubles(), co, k, m, i0, i1);
        }
      }
    });
  }

  /**
   * At most this many columns of C, with at least four times as many rows (up to {@link #J_BLOCK}), a
   * single-threaded pure-Java FLOAT32 product runs as Cᵀ = Bᵀ·Aᵀ ({@link #narrowF32}).
   */
  static final int NARROW_MAX_COLS = 64;

  /**
   * {@code C = A·B} with few columns (a small MLP's layers: [256,117]·[117,64], [256,64]·[64,32]) as
   * {@code Cᵀ = Bᵀ·Aᵀ}, so that {@link #rowsF32}'s vectorized loop runs over C's n rows instead of its
   * m columns: 64 floats are 4 AVX-512 vectors between C2's scalar pre- and post-loops. Aᵀ is gathered
   * into the thread's scratch rows and Cᵀ written back transposed; together that costs less than the
   * short loops did: [256,117]·[117,64] 121 -> 94 us, [256,64]·[64,32] 43 -> 34 us, [256,32]·[32,1]
   * 7.4 -> 4.2 us (thread CPU time, 1 thread, no vector module), pure-Java mlp_train_small 5-15 % faster.
   */
  private static void narrowF32(float[] a, int ao, int sa0, int sa1, float[] b, int bo, int sb0, int sb1,
      float[] c, int co, int n, int k, int m) {
    PlainF32 s = PLAIN_F32.get();
    float[][][] at = s.transposed(k, n);
    float[][] rows = at[0];
    for (int p = 0; p < k; p++) {
      float[] row = rows[p];
      int from = ao + p * sa1;
      for (int i = 0; i < n; i++) {
        row[i] = a[from + i * sa0];
      }
    }
    float[] ct = s.columns(m * n);
    rowsF32(b, bo, sb1, sb0, at, ct, 0, k, n, 0, m);
    for (int j = 0; j < m; j++) {
      int from = j * n;
      for (int i = 0; i < n; i++) {
        c[co + i * m + j] = ct[from + i];
      }
    }
  }

  /**
   * Per-thread arrays of the pure-Java FLOAT32 path, reused so that a warm product allocates nothing:
   * the packed rows of a shared B (up to {@link #MAX_REUSED} floats; bigger ones are packed fresh) and
   * the two row accumulators.
   */
  private static final class PlainF32 {
    static final int MAX_REUSED = 1 << 20;
    float[][][] pack = new float[0][0][0];
    int rows;
    int width;
    final float[][] acc = new float[2][J_BLOCK];
    private float[][][] transposed = new float[1][0][0];
    private float[] columns = new float[0];

    /** Rows for Aᵀ in {@link #narrowF32}: at least k rows of at least n floats, as one block. */
    float[][][] transposed(int k, int n) {
      float[][] t = transposed[0];
      int rows = t.length;
      int wide = rows > 0 ? t[0].length : 0;
      if (rows < k || wide < n) {
        int r = Math.max(rows, k);
        int w = Math.max(wide, n);
        if ((long) r * w > MAX_REUSED) {   // the union of two shapes could be far bigger than either
          r = k;
          w = n;
        }
        transposed[0] = new float[r][w];
      }
      return transposed;
    }

    /** Room for Cᵀ in {@link #narrowF32}. */
    float[] columns(int size) {
      if (columns.length < size) {
        columns = new float[size];
      }
      return columns;
    }

    /** Packed rows for jBlocks blocks of k rows, each at least w wide (the first block's width). */
    float[][][] pack(int jBlocks, int k, int w) {
      if ((long) jBlocks * k * w > MAX_REUSED) {
        return null;
      }
      if (pack.length < jBlocks || rows < k || width < w) {
        int jb = Math.max(jBlocks, pack.length);
        int r = Math.max(rows, k);
        int wd = Math.max(width, w);
        if ((long) jb * r * wd > MAX_REUSED) {
          // a deep narrow B after a shallow wide one (a convolution's weight gradient after its
          // forward): the union of both would be far over the cap (it ran out of heap), so fit this one
          jb = jBlocks;
          r = k;
          wd = w;
        }
        rows = r;
        width = wd;
        pack = new float[jb][r][wd];
      }
      return pack;
    }

    /** Floats held by the reused pack, for tests. */
    long floats() {
      return (long) pack.length * rows * width;
    }
  }

  private static final ThreadLocal<PlainF32> PLAIN_F32 = ThreadLocal.withInitial(PlainF32::new);

  /** Floats this thread's pure-Java path keeps for packing B (at most {@link PlainF32#MAX_REUSED}). */
  static long reusedPackFloats() {
    return PLAIN_F32.get().floats();
  }

  /** B packed as [jBlock][p][j]: into the thread's reused arrays when {@code scratch} has room, else fresh ones. */
  static float[][][] packF32(float[] b, int off, int s0, int s1, int k, int m, PlainF32 scratch) {
    int jBlocks = (m + J_BLOCK - 1) / J_BLOCK;
    float[][][] reused = scratch == null ? null : scratch.pack(jBlocks, k, Math.min(J_BLOCK, m));
    float[][][] out = reused != null ? reused : new float[jBlocks][k][];
    for (int jb = 0; jb < jBlocks; jb++) {
      int j0 = jb * J_BLOCK;
      int w = Math.min(J_BLOCK, m - j0);
      for (int p = 0; p < k; p++) {
        float[] row = reused != null ? out[jb][p] : new float[w];
        int at = off + p * s0 + j0 * s1;
        if (s1 == 1) {
          System.arraycopy(b, at, row, 0, w);
        } else {
          for (int j = 0; j < w; j++) {
            row[j] = b[at + j * s1];
          }
        }
        out[jb][p] = row;
      }
    }
    return out;
  }

  private static double[][][] packF64(double[] b, int off, int s0, int s1, int k, int m) {
    int jBlocks = (m + J_BLOCK - 1) / J_BLOCK;
    double[][][] out = new double[jBlocks][k][];
    for (int jb = 0; jb < jBlocks; jb++) {
      int j0 = jb * J_BLOCK;
      int w = Math.min(J_BLOCK, m - j0);
      for (int p = 0; p < k; p++) {
        double[] row = new double[w];
        int at = off + p * s0 + j0 * s1;
        if (s1 == 1) {
          System.arraycopy(b, at, row, 0, w);
        } else {
          for (int j = 0; j < w; j++) {
            row[j] = b[at + j * s1];
          }
        }
        out[jb][p] = row;
      }
    }
    return out;
  }

  /**
   * Rows {@code [i0, i1)} of {@code C = A @ B} for one batch matrix; C is contiguous. Two rows of C
   * accumulate in two arrays while four rows of B are read per pass, so each element of the
   * accumulators is loaded and stored once per 8 multiply-adds: C2 vectorizes the inner loop only
   * while its body stays under the unroller's node limit ({@code LoopUnrollLimit}, 60), and two rows ×
   * four k-steps is the largest tile that does (4×4 needs {@code -XX:LoopUnrollLimit=250} and then
   * runs no faster; 2×4 ran 2.3–2.9× the one-k-step loop at 256³, 1024³ and 128×784×512, AVX-512, JDK 17).
   * The sums keep the order of p, as the one-step loop had them.
   */
  static void rowsF32(float[] a, int ao, int sa0, int sa1, float[][][] bp, float[] c, int co, int k, int m, int i0, int i1) {
    float[][] acc = PLAIN_F32.get().acc;
    float[] t0 = acc[0];
    float[] t1 = acc[1];
    int jBlocks = (m + J_BLOCK - 1) / J_BLOCK;
    for (int jb = 0; jb < jBlocks; jb++) {
      float[][] rows = bp[jb];
      int j0 = jb * J_BLOCK;
      int w = Math.min(J_BLOCK, m - j0);   // packed rows may be wider (reused arrays)
      int i = i0;
      for (; i + 1 < i1; i += 2) {
        Arrays.fill(t0, 0, w, 0f);
        Arrays.fill(t1, 0, w, 0f);
        int r0 = ao + i * sa0;
        int r1 = r0 + sa0;
        int p = 0;
        for (; p + 3 < k; p += 4) {
          int q0 = r0 + p * sa1;
          int q1 = r1 + p * sa1;
          float a00 = a[q0];
          float a01 = a[q0 + sa1];
          float a02 = a[q0 + 2 * sa1];
          float a03 = a[q0 + 3 * sa1];
          float a10 = a[q1];
          float a11 = a[q1 + sa1];
          float a12 = a[q1 + 2 * sa1];
          float a13 = a[q1 + 3 * sa1];
          float[] b0 = rows[p];
          float[] b1 = rows[p + 1];
          float[] b2 = rows[p + 2];
          float[] b3 = rows[p + 3];
          for (int j = 0; j < w; j++) {
            float x0 = b0[j];
            float x1 = b1[j];
            float x2 = b2[j];
            float x3 = b3[j];
            t0[j] = t0[j] + a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
            t1[j] = t1[j] + a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
          }
        }
        for (; p < k; p++) {
          float a0 = a[r0 + p * sa1];
          float a1 = a[r1 + p * sa1];
          float[] br = rows[p];
          for (int j = 0; j < w; j++) {
            float bv = br[j];
            t0[j] += a0 * bv;
            t1[j] += a1 * bv;
          }
        }
        int ci = co + i * m + j0;
        System.arraycopy(t0, 0, c, ci, w);
        System.arraycopy(t1, 0, c, ci + m, w);
      }
      if (i < i1) {
        Arrays.fill(t0, 0, w, 0f);
        int r0 = ao + i * sa0;
        int p = 0;
        for (; p + 3 < k; p += 4) {
          int q0 = r0 + p * sa1;
          float a00 = a[q0];
          float a01 = a[q0 + sa1];
          float a02 = a[q0 + 2 * sa1];
          float a03 = a[q0 + 3 * sa1];
          float[] b0 = rows[p];
          float[] b1 = rows[p + 1];
          float[] b2 = rows[p + 2];
          float[] b3 = rows[p + 3];
          for (int j = 0; j < w; j++) {
            t0[j] = t0[j] + a00 * b0[j] + a01 * b1[j] + a02 * b2[j] + a03 * b3[j];
          }
        }
        for (; p < k; p++) {
          float a0 = a[r0 + p * sa1];
          float[] br = rows[p];
          for (int j = 0; j < w; j++) {
            t0[j] += a0 * br[j];
          }
        }
        System.arraycopy(t0, 0, c, co + i * m + j0, w);
      }
    }
  }

  /**
   * {@code c[co + i*m + j] = Σ_p a[ao + i*sa0 + p] · w[wo + j*ldw + p]} for rows {@code [i0, i1)}: a
   * product {@code x·Wᵀ} with few rows and W's rows contiguous (a Linear's weight at batch 1), as dot
   * products over W's rows. Packing Wᵀ would read all of W with a stride for a few rows of output
   * (350 µs of a 784×512 layer's 440); C2 does not vectorize a float sum (its order is fixed), so
   * eight rows of W run at once, eight independent sums that keep both FP pipes busy (90 µs).
   */
  static void dotRowsF32(float[] a, int ao, int sa0, float[] w, int wo, int ldw, float[] c, int co, int k, int m, int i0, int i1) {
    for (int i = i0; i < i1; i++) {
      int x = ao + i * sa0;
      int y = co + i * m;
      int j = 0;
      for (; j + 8 <= m; j += 8) {
        int r0 = wo + j * ldw;
        int r1 = r0 + ldw;
        int r2 = r1 + ldw;
        int r3 = r2 + ldw;
        int r4 = r3 + ldw;
        int r5 = r4 + ldw;
        int r6 = r5 + ldw;
        int r7 = r6 + ldw;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        for (int p = 0; p < k; p++) {
          float xp = a[x + p];
          s0 += w[r0 + p] * xp;
          s1 += w[r1 + p] * xp;
          s2 += w[r2 + p] * xp;
          s3 += w[r3 + p] * xp;
          s4 += w[r4 + p] * xp;
          s5 += w[r5 + p] * xp;
          s6 += w[r6 + p] * xp;
          s7 += w[r7 + p] * xp;
        }
        c[y + j] = s0;
        c[y + j + 1] = s1;
        c[y + j + 2] = s2;
        c[y + j + 3] = s3;
        c[y + j + 4] = s4;
        c[y + j + 5] = s5;
        c[y + j + 6] = s6;
        c[y + j + 7] = s7;
      }
      for (; j < m; j++) {
        int r = wo + j * ldw;
        float s = 0;
        for (int p = 0; p < k; p++) {
          s += w[r + p] * a[x + p];
        }
        c[y + j] = s;
      }
    }
  }

  static void rowsF64(double[] a, int ao, int sa0, int sa1, double[][][] bp, double[] c, int co, int k, int m, int i0, int i1) {
    int w0 = Math.min(J_BLOCK, m);
    double[] t0 = new double[w0];
    double[] t1 = new double[w0];
    double[] t2 = new double[w0];
    double[] t3 = new double[w0];
    for (int jb = 0; jb < bp.length; jb++) {
      double[][] rows = bp[jb];
      int j0 = jb * J_BLOCK;
      int w = rows[0].length;
      int i = i0;
      for (; i + 3 < i1; i += 4) {
        Arrays.fill(t0, 0, w, 0.0);
        Arrays.fill(t1, 0, w, 0.0);
        Arrays.fill(t2, 0, w, 0.0);
        Arrays.fill(t3, 0, w, 0.0);
        int r0 = ao + i * sa0;
        for (int p = 0; p < k; p++) {
          int at = r0 + p * sa1;
          double a0 = a[at];
          double a1 = a[at + sa0];
          double a2 = a[at + 2 * sa0];
          double a3 = a[at + 3 * sa0];
          double[] br = rows[p];
          for (int j = 0; j < w; j++) {
            double bv = br[j];
            t0[j] += a0 * bv;
            t1[j] += a1 * bv;
            t2[j] += a2 * bv;
            t3[j] += a3 * bv;
          }
        }
        int ci = co + i * m + j0;
        System.arraycopy(t0, 0, c, ci, w);
        System.arraycopy(t1, 0, c, ci + m, w);
        System.arraycopy(t2, 0, c, ci + 2 * m, w);
        System.arraycopy(t3, 0, c, ci + 3 * m, w);
      }
      for (; i < i1; i++) {
        Arrays.fill(t0, 0, w, 0.0);
        int r0 = ao + i * sa0;
        for (int p = 0; p < k; p++) {
          double a0 = a[r0 + p * sa1];
          double[] br = rows[p];
          for (int j = 0; j < w; j++) {
            t0[j] += a0 * br[j];
          }
        }
        System.arraycopy(t0, 0, c, co + i * m + j0, w);
      }
    }
  }

  /** Integer and bool products in exact long arithmetic (any layout). */
  private static void generic(Tensor a, int[] aOff, int sa0, int sa1, Tensor b, int[] bOff, int sb0, int sb1,
      Tensor c, int n, int k, int m) {
    Storage as = a.storage();
    Storage bs = b.storage();
    Storage cs = c.storage();
    for (int bi = 0; bi < aOff.length; bi++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          long acc = 0;
          for (int p = 0; p < k; p++) {
            acc += as.getLong(aOff[bi] + i * sa0 + p * sa1) * bs.getLong(bOff[bi] + p * sb0 + j * sb1);
          }
          cs.setLong(c.offset() + (bi * n + i) * m + j, acc);
        }
      }
    }
  }
}
