"""Table of a before/after run (benchmarks/ab.sh): per workload, implementation and size, the median
over rounds of CPU ms per step and of p10 wall ms per step, before and after, and after/before.

    python3 benchmarks/ab_table.py BEFORE.jsonl AFTER.jsonl
"""
import collections
import json
import statistics
import sys


def rows(path):
    by_key = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "cpu_ms_per_step_mean" in r:
                by_key[(r["workload"], r["impl"], r.get("batch"), r.get("size"))].append(r)
    return by_key


def median(rs, field):
    return statistics.median(r[field] for r in rs)


def main(before_path, after_path):
    before, after = rows(before_path), rows(after_path)
    print("| workload | impl | batch | size | CPU ms/step before | after | after/before "
          "| p10 wall ms before | after | after/before | rounds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(before.keys() & after.keys(), key=lambda k: tuple(str(x) for x in k)):
        b, a = before[key], after[key]
        cb, ca = median(b, "cpu_ms_per_step_mean"), median(a, "cpu_ms_per_step_mean")
        pb, pa = median(b, "ms_per_step_p10"), median(a, "ms_per_step_p10")
        workload, impl, batch, size = key
        print(f"| {workload} | {impl} | {batch if batch is not None else ''} | {size if size is not None else ''} "
              f"| {cb:.4g} | {ca:.4g} | {ca / cb:.2f} | {pb:.4g} | {pa:.4g} | {pa / pb:.2f} | {len(b)} |")
    for key in sorted(before.keys() ^ after.keys(), key=lambda k: tuple(str(x) for x in k)):
        print(f"(only on one side: {key})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: ab_table.py BEFORE.jsonl AFTER.jsonl")
    main(sys.argv[1], sys.argv[2])
