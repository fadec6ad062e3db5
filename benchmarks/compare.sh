#!/usr/bin/env bash
# Runs PyTorch (benchmarks/pytorch/pytorch_bench.py, through pytorch_cpu_bench.py, which adds the CPU
# time per step) and Flint (BenchDriver) alternately, workload by workload, at 1 and then 2 threads
# (the same on both sides), appends every JSON line to one results file and prints the table of
# docs/design.md, "Performance targets" (benchmarks/compare_table.py). One run takes about 10 minutes.
#
#   benchmarks/compare.sh                       # build, run, table
#   BUDGET=0.5 THREADS=1 ONLY=gemm,mlp_train_small benchmarks/compare.sh
#
# Environment:
#   BUDGET      s of timed blocks per workload (default 1.5)
#   THREADS     thread counts to run (default "1 2")
#   ONLY        comma list of workloads (default: all of pytorch_bench.py's but jit, plus Flint's
#               gpt_generate_kv, alloc_mlp_train_small, gemm_mlp_mnist_step and gemv_mlp_mnist_b1)
#   GEMM_SIZES  default 256,1024 (2048 on Flint's current kernel takes minutes; JMH covers it)
#   WAIT_QUIET  s to wait for an idle machine before each workload (default 0: the team's 2-core
#               machine is never idle and waiting only lengthens the run; the foreign load is
#               measured and flagged either way; use 60 on a quiet machine)
#   RETRIES     re-measure contaminated rows (default 0, for the same reason)
#   WARMUP      Flint's JIT warm-up per workload in s (default 4; BenchDriver first waits for the
#               Vector API kernels' background warm-up, then C2 compiles the model's code)
#   NOVEC       workloads also run without --add-modules jdk.incubator.vector, for the table's
#               "no vector module" column (default gemm,mlp_train_small,mlp_infer_mnist,cnn_train_small;
#               "" for none); compiled only, and gemm's runtime kernel
#   PEER_REPEATS  PyTorch processes per thread count for mlp_train_mnist and cnn_train_small (default 3;
#               Debian's PyTorch swings between a slow and a fast mode from one process to the next on
#               them, and the table compares with its best, as issue 13 asks)
#   PYTHON (/usr/bin/python3), PYTORCH_BENCH, OUT (results file), SKIP_BUILD=1, MVN_FLAGS (e.g. -o)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
BUDGET="${BUDGET:-1.5}"
THREADS="${THREADS:-1 2}"
ONLY="${ONLY:-gemm,mlp_train_small,mlp_infer_small,mlp_train_mnist,mlp_infer_mnist,autograd_overhead,cnn_train_small,gpt_train_small,gpt_generate,gpt_generate_kv,lstm_train_small,alloc_mlp_train_small,gemm_mlp_mnist_step,gemv_mlp_mnist_b1}"
GEMM_SIZES="${GEMM_SIZES:-256,1024}"
WAIT_QUIET="${WAIT_QUIET:-0}"
RETRIES="${RETRIES:-0}"
WARMUP="${WARMUP:-4}"
PEER_REPEATS="${PEER_REPEATS:-3}"
NOVEC="${NOVEC-gemm,mlp_train_small,mlp_infer_mnist,cnn_train_small}"
PYTHON="${PYTHON:-/usr/bin/python3}"
PYTORCH_BENCH="${PYTORCH_BENCH:-$ROOT/benchmarks/pytorch/pytorch_bench.py}"
mkdir -p benchmarks/results
OUT="${OUT:-benchmarks/results/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
JAR=benchmarks/target/benchmarks.jar

if [[ ! -f "$PYTORCH_BENCH" ]]; then
  echo "compare.sh: PyTorch peer not found at $PYTORCH_BENCH (set PYTORCH_BENCH)" >&2
  exit 2
fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "# building $JAR" >&2
  mvn -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests >&2
fi
[[ -f "$JAR" ]] || { echo "compare.sh: $JAR is missing (build failed?)" >&2; exit 2; }

{
  echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs"
  echo "# command: BUDGET=$BUDGET THREADS=\"$THREADS\" GEMM_SIZES=$GEMM_SIZES benchmarks/compare.sh"
} | tee -a "$OUT.meta" >&2

# pytorch_bench.py's gpt_train_small also times gpt_generate (one model): gpt_generate runs there, not alone
PY_WORKLOADS=" gemm mlp_train_small mlp_infer_small mlp_train_mnist mlp_infer_mnist autograd_overhead cnn_train_small gpt_train_small lstm_train_small "
# workload by workload, PyTorch then Flint, so both sides of a ratio see about the same machine load
for t in $THREADS; do
  for w in ${ONLY//,/ }; do
    if [[ "$PY_WORKLOADS" == *" $w "* ]]; then
      repeats=1
      [[ "$w" == mlp_train_mnist || "$w" == cnn_train_small ]] && repeats="$PEER_REPEATS"
      for ((i = 1; i <= repeats; i++)); do
        echo "# $w, $t thread(s): PyTorch ($i of $repeats)" >&2
        "$PYTHON" benchmarks/pytorch_cpu_bench.py "$PYTORCH_BENCH" --threads "$t" --budget "$BUDGET" --only "$w" \
          --gemm-sizes "$GEMM_SIZES" --wait-quiet "$WAIT_QUIET" --retries "$RETRIES" --out "$OUT" >/dev/null
      done
    fi
    echo "# $w, $t thread(s): Flint" >&2
    java --add-modules jdk.incubator.vector -cp "$JAR" dev.flint.benchmarks.BenchDriver --threads "$t" \
      --budget "$BUDGET" --warmup "$WARMUP" --only "$w" --gemm-sizes "$GEMM_SIZES" \
      --wait-quiet "$WAIT_QUIET" --retries "$RETRIES" --out "$OUT" 2> >(grep -v '^WARNING: Using incubator modules' >&2) >/dev/null
    if [[ ",$NOVEC," == *",$w,"* ]]; then
      echo "# $w, $t thread(s): Flint without the vector module" >&2
      java -Dflint.vector=false -cp "$JAR" dev.flint.benchmarks.BenchDriver --threads "$t" --impl compiled \
        --budget "$BUDGET" --warmup "$WARMUP" --only "$w" --gemm-sizes "$GEMM_SIZES" \
        --wait-quiet "$WAIT_QUIET" --retries "$RETRIES" --out "$OUT" >/dev/null
    fi
  done
done

echo "# results: $OUT" >&2
"$PYTHON" benchmarks/compare_table.py "$OUT"
