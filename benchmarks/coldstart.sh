#!/usr/bin/env bash
# Cold start: the JVM uptime at a program's first prediction (dev.flint.benchmarks.ColdStart: load
# the compiled mlp_mnist, 784-512-256-10, from safetensors and predict one sample), over LAUNCHES
# launches with --add-modules jdk.incubator.vector and as many without, alternating, so both see
# the same machine load. Prints the median, min and max of each, and the median CPU time of the main
# thread (which a busy machine does not inflate), and appends one JSON line per variant to the
# results file. Target (issue 13): median within 300 ms, with and without the module.
#
#   benchmarks/coldstart.sh                 # build, 10 + 10 launches
#   LAUNCHES=20 SKIP_BUILD=1 benchmarks/coldstart.sh
#
# Environment: LAUNCHES (default 10), SKIP_BUILD=1, MVN_FLAGS, OUT (results file), JAVA (default java)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
LAUNCHES="${LAUNCHES:-10}"
JAVA="${JAVA:-java}"
mkdir -p benchmarks/results
OUT="${OUT:-benchmarks/results/coldstart-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
JAR=benchmarks/target/benchmarks.jar
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests >&2
fi
[[ -f "$JAR" ]] || { echo "coldstart.sh: $JAR is missing (build failed?)" >&2; exit 2; }
MODEL="$(mktemp -d)/mlp_mnist.safetensors"
"$JAVA" -Dflint.vector=false -cp "$JAR" dev.flint.benchmarks.ColdStart --write "$MODEL"

with=()
without=()
for ((i = 0; i < LAUNCHES; i++)); do
  line=$("$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" dev.flint.benchmarks.ColdStart "$MODEL" 2>/dev/null)
  with+=("${line#first_prediction_uptime_ms=}")
  line=$("$JAVA" -cp "$JAR" dev.flint.benchmarks.ColdStart "$MODEL" 2>/dev/null)
  without+=("${line#first_prediction_uptime_ms=}")
done
load="$(cut -d' ' -f1-3 /proc/loadavg)"
summary() {   # name, then ColdStart's output lines: prints a line and a JSON row
  local name="$1"; shift
  printf '%s\n' "$@" | sed -E 's/^([0-9]+) .*main_thread_cpu_ms=([0-9]+).*/\1 \2/' | sort -n | awk -v name="$name" -v load="$load" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
    function median(a, n,   b, i, j, t) {
      for (i = 1; i <= n; i++) b[i] = a[i]
      for (i = 2; i <= n; i++) for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
      return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    { v[NR] = $1; c[NR] = $2 }
    END {
      med = median(v, NR); cmed = median(c, NR)
      all = v[1]; for (i = 2; i <= NR; i++) all = all "," v[i]
      printf "%-20s median %5.0f ms (min %d, max %d); main thread CPU median %.0f ms; %d launches, load %s\n", name, med, v[1], v[NR], cmed, NR, load > "/dev/stderr"
      printf "{\"workload\": \"cold_start_mlp_mnist\", \"impl\": \"flint-compiled\", \"vector_module\": %s, \"launches\": %d, \"first_prediction_uptime_ms_median\": %s, \"min\": %d, \"max\": %d, \"main_thread_cpu_ms_median\": %s, \"all_ms\": [%s], \"loadavg\": \"%s\", \"date\": \"%s\"}\n", (name ~ /without/ ? "false" : "true"), NR, med, v[1], v[NR], cmed, all, load, date
    }'
}
{
  summary "with the module" "${with[@]}"
  summary "without the module" "${without[@]}"
} | tee -a "$OUT"
echo "# results: $OUT" >&2
