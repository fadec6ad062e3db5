#!/usr/bin/env bash
# Before/after benchmark of two commits of Flint on the same machine in one run: builds each commit's
# benchmarks jar in a temporary git worktree, then runs BenchDriver with one jar and then the other,
# workload by workload, ROUNDS times, so both sides see about the same machine load. The table gives,
# per workload, the median over rounds of the CPU time per step (less sensitive to a loaded machine
# than wall time) and of the p10 wall time, and the after/before ratios.
#
#   benchmarks/ab.sh BEFORE AFTER            # e.g. benchmarks/ab.sh ba23629 HEAD
#
# Environment: ROUNDS (3), THREADS (1), BUDGET (1.0 s per workload), WARMUP (4 s),
#   ONLY (gemm,mlp_train_small,mlp_infer_small,mlp_train_mnist,mlp_infer_mnist,autograd_overhead,cnn_train_small),
#   OUT (folder for the two JSON-lines files, default benchmarks/results), MVN_FLAGS (e.g. -o)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[[ $# -eq 2 ]] || { echo "usage: benchmarks/ab.sh BEFORE AFTER (two commits)" >&2; exit 2; }
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-1}"
BUDGET="${BUDGET:-1.0}"
WARMUP="${WARMUP:-4}"
ONLY="${ONLY:-gemm,mlp_train_small,mlp_infer_small,mlp_train_mnist,mlp_infer_mnist,autograd_overhead,cnn_train_small}"
OUT="${OUT:-$ROOT/benchmarks/results}"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'git worktree remove --force "$WORK/before" 2>/dev/null || true; git worktree remove --force "$WORK/after" 2>/dev/null || true; rm -rf "$WORK"' EXIT

STAMP="$(date -u +%Y%m%dT%H%MZ)"
declare -A JSON
for side in before after; do
  commit="$([[ $side == before ]] && echo "$1" || echo "$2")"
  short="$(git rev-parse --short "$commit")"
  echo "# building $side ($short)" >&2
  git worktree add -q --detach "$WORK/$side" "$commit"
  (cd "$WORK/$side" && mvn -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests >&2)
  JSON[$side]="$OUT/ab-$STAMP-$side-$short.jsonl"
done

for round in $(seq "$ROUNDS"); do
  for w in ${ONLY//,/ }; do
    for side in before after; do
      echo "# round $round, $w, $side, load $(cut -d' ' -f1 /proc/loadavg)" >&2
      java --add-modules jdk.incubator.vector -cp "$WORK/$side/benchmarks/target/benchmarks.jar" \
        dev.flint.benchmarks.BenchDriver --threads "$THREADS" --budget "$BUDGET" --warmup "$WARMUP" \
        --only "$w" --gemm-sizes 256,1024 --wait-quiet 0 --retries 0 --out "${JSON[$side]}" \
        >/dev/null 2> >(grep -v '^WARNING: Using incubator modules' >&2)
    done
  done
done
python3 "$ROOT/benchmarks/ab_table.py" "${JSON[before]}" "${JSON[after]}"
