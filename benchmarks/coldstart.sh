#!/usr/bin/env bash
# Cold start: the JVM uptime at a program's first prediction (dev.flint.benchmarks.ColdStart: load
# the compiled mlp_mnist, 784-512-256-10, from safetensors and predict one sample), over LAUNCHES
# launches with --add-modules jdk.incubator.vector and as many without, alternating, so both see
# the same machine load. Prints the median, min and max of each, the median CPU time of the main
# thread and of the whole process (which a busy machine inflates far less than wall time), and
# appends one JSON line per variant to the results file. Target (issue 13): median within 300 ms,
# with and without the module, in a default launch.
#
#   benchmarks/coldstart.sh                     # build, 10 + 10 launches
#   LAUNCHES=20 SKIP_BUILD=1 benchmarks/coldstart.sh
#   NICE=-19 benchmarks/coldstart.sh            # as root on a shared machine: launches ahead of other work
#   CDS=1 benchmarks/coldstart.sh               # also with an AppCDS archive of the program (extra rows)
#
# Environment: LAUNCHES (default 10), SKIP_BUILD=1, MVN_FLAGS, OUT (results file), JAVA (default java),
# JAR (default benchmarks/target/benchmarks.jar: point it at another build to compare), NICE (a niceness
# for the launches; negative needs root), CDS=1 (AppCDS rows: one launch per variant writes an archive
# with -XX:ArchiveClassesAtExit, the measured launches map it with -XX:SharedArchiveFile; JDK 17 has no
# automatic archive, so this is an option a deployment opts into, not the default launch)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
LAUNCHES="${LAUNCHES:-10}"
JAVA="${JAVA:-java}"
mkdir -p benchmarks/results
OUT="${OUT:-benchmarks/results/coldstart-$(date -u +%Y%m%dT%H%M%SZ).jsonl}"
JAR="${JAR:-benchmarks/target/benchmarks.jar}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests >&2
fi
[[ -f "$JAR" ]] || { echo "coldstart.sh: $JAR is missing (build failed?)" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
MODEL="$TMP/mlp_mnist.safetensors"
"$JAVA" -Dflint.vector=false -cp "$JAR" dev.flint.benchmarks.ColdStart --write "$MODEL"
PREFIX=()
[[ -n "${NICE:-}" ]] && PREFIX=(nice -n "$NICE")

names=("with the module" "without the module")
opts=("--add-modules jdk.incubator.vector" "")
if [[ "${CDS:-0}" == 1 ]]; then
  for i in 0 1; do
    # shellcheck disable=SC2086
    "$JAVA" ${opts[$i]} -XX:ArchiveClassesAtExit="$TMP/app$i.jsa" -cp "$JAR" dev.flint.benchmarks.ColdStart "$MODEL" >/dev/null 2>&1
    names+=("${names[$i]}, AppCDS")
    opts+=("${opts[$i]} -XX:SharedArchiveFile=$TMP/app$i.jsa")
  done
fi
for ((v = 0; v < ${#names[@]}; v++)); do : >"$TMP/runs$v"; done
for ((i = 0; i < LAUNCHES; i++)); do
  for ((v = 0; v < ${#names[@]}; v++)); do
    # shellcheck disable=SC2086
    "${PREFIX[@]}" "$JAVA" ${opts[$v]} -cp "$JAR" dev.flint.benchmarks.ColdStart "$MODEL" 2>/dev/null >>"$TMP/runs$v"
  done
done
load="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((v = 0; v < ${#names[@]}; v++)); do
  python3 - "${names[$v]}" "${opts[$v]}" "$load" "${NICE:-0}" "$TMP/runs$v" <<'EOF'
import json, re, statistics, sys, datetime
name, opts, load, nice, path = sys.argv[1:]
rows = [dict((k, int(x)) for k, x in re.findall(r"(\w+)=(-?\d+)", line)) for line in open(path) if "first_prediction" in line]
up = sorted(r["first_prediction_uptime_ms"] for r in rows)
med = lambda key: statistics.median(r.get(key, -1) for r in rows)
print("%-30s median %5.0f ms (min %d, max %d); CPU median: main thread %.0f ms, process %.0f ms; %d launches, load %s%s"
      % (name, statistics.median(up), up[0], up[-1], med("main_thread_cpu_ms"), med("process_cpu_ms"), len(rows), load,
         "" if nice == "0" else ", nice " + nice), file=sys.stderr)
print(json.dumps({"workload": "cold_start_mlp_mnist", "impl": "flint-compiled", "variant": name, "jvm_options": opts.split(),
                  "vector_module": "without" not in name, "launches": len(rows),
                  "first_prediction_uptime_ms_median": statistics.median(up), "min": up[0], "max": up[-1],
                  "main_thread_cpu_ms_median": med("main_thread_cpu_ms"), "process_cpu_ms_median": med("process_cpu_ms"),
                  "all_ms": up, "loadavg": load, "nice": int(nice),
                  "date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")}))
EOF
done | tee -a "$OUT"
echo "# results: $OUT" >&2
