#!/usr/bin/python3
"""Prints the PyTorch-vs-Flint table (docs/design.md, "Performance targets") from the JSON lines of pytorch_bench.py and BenchDriver.

    /usr/bin/python3 benchmarks/compare_table.py results.jsonl [--markdown]

One row per (threads, figure): the PyTorch figure, Flint eager, Flint compiled, Flint without the
vector module (compiled; gemm's runtime kernel) with its speed relative to the vector tier
(target >= 0.5), the ratio Flint/PyTorch (for the implementation the target names), the target and
whether it is met.
A figure marked * comes from a row whose foreign-load check failed (contaminated: other
processes took > 0.1 CPU while it ran); its verdict is marked (noisy). Where both sides report
cpu_ms_per_step_mean (BenchDriver; pytorch_cpu_bench.py), a second ratio and verdict compare
CPU time per step, which preemption by other processes does not inflate.
Standard library only.
"""
import json
import sys

# figure name, metric key, PyTorch (workload, impl, filter), Flint (workload, filter), target
# target: (impl the target is for, comparison, bound) with ratio = Flint / PyTorch;
# for latencies (us_per_call, us_per_op) lower is better, so the target is an upper bound. A bound given as
# {threads: bound} differs by thread count (no entry: no target at that count).
ROWS = [
    ("gemm 256 GFLOP/s (vs numpy/OpenBLAS)", "gflops", ("gemm", "numpy", {"size": 256}), ("gemm", {"size": 256}), None),
    ("gemm 1024 GFLOP/s (vs numpy/OpenBLAS)", "gflops", ("gemm", "numpy", {"size": 1024}), ("gemm", {"size": 1024}),
     ("flint-eager", ">=", {1: 0.9, 2: 0.8})),
    ("gemm 2048 GFLOP/s (vs numpy/OpenBLAS)", "gflops", ("gemm", "numpy", {"size": 2048}), ("gemm", {"size": 2048}), None),
    ("gemm 1024 GFLOP/s, torch.mm", "gflops", ("gemm", "pytorch-eager", {"size": 1024}), ("gemm", {"size": 1024}), None),
    ("mlp_train_small steps/s", "steps_per_s", ("mlp_train_small", "pytorch-eager", {}), ("mlp_train_small", {}),
     ("flint-compiled", ">=", 1.5)),
    ("mlp_infer_small us/call (b256)", "us_per_call", ("mlp_infer_small", "pytorch-eager", {}), ("mlp_infer_small", {}), None),
    ("mlp_train_mnist steps/s", "steps_per_s", ("mlp_train_mnist", "pytorch-eager", {}), ("mlp_train_mnist", {}),
     ("flint-compiled", ">=", 1.2)),
    ("mlp_infer_mnist us/call, batch 1", "us_per_call", ("mlp_infer_mnist", "pytorch-eager", {"batch": 1}),
     ("mlp_infer_mnist", {"batch": 1}), ("flint-compiled", "<=", 0.5)),
    ("mlp_infer_mnist us/call, batch 128", "us_per_call", ("mlp_infer_mnist", "pytorch-eager", {"batch": 128}),
     ("mlp_infer_mnist", {"batch": 128}), ("flint-compiled", "<=", 0.8)),
    ("autograd_overhead us/op", "us_per_op", ("autograd_overhead", "pytorch-eager", {}), ("autograd_overhead", {}),
     ("flint-eager", "<=", 0.5)),
    ("eager_dispatch_nograd us/op", "us_per_op", ("eager_dispatch_nograd", "pytorch-eager", {}),
     ("eager_dispatch_nograd", {}), None),
    ("cnn_train_small steps/s", "steps_per_s", ("cnn_train_small", "pytorch-eager", {}), ("cnn_train_small", {}),
     ("flint-compiled", ">=", 1.2)),
    ("gpt_train_small steps/s", "steps_per_s", ("gpt_train_small", "pytorch-eager", {}), ("gpt_train_small", {}),
     ("flint-compiled", ">=", {1: 1.5, 2: 1.2})),
    ("gpt_generate tokens/s (64 new, batch 1)", "tokens_per_s", ("gpt_generate", "pytorch-eager", {}), ("gpt_generate", {}),
     ("flint-compiled", ">=", 2.0)),
    # Flint's own KV-cache generate (eager) beside PyTorch's full recompute: a different algorithm, no target
    ("gpt_generate_kv tokens/s: Flint's KV cache vs PyTorch's full recompute", "tokens_per_s",
     ("gpt_generate", "pytorch-eager", {}), ("gpt_generate_kv", {}), None),
    ("lstm_train_small steps/s", "steps_per_s", ("lstm_train_small", "pytorch-eager", {}), ("lstm_train_small", {}),
     ("flint-compiled", ">=", 1.0)),
]


# Debian's PyTorch swings between a slow and a fast mode from one process to the next on these two
# workloads (issue 13): compare.sh runs the peer PEER_REPEATS times and the table takes its best run
PEER_BEST = {"mlp_train_mnist", "cnn_train_small"}


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    rows.append(json.loads(line))
    return rows


def find(rows, workload, impl, threads, filt, vector_module=True):
    """The last row that matches (later runs replace earlier ones); rows without a vector_module
    field (older runs) ran with the module."""
    hit = None
    for r in rows:
        if r.get("workload") == workload and r.get("impl") == impl and r.get("threads") == threads \
                and "error" not in r and all(r.get(k) == v for k, v in filt.items()) \
                and r.get("vector_module", True) == vector_module:
            hit = r
    return hit


# the "no vector module" column (issue 13): these figures also run without --add-modules
# jdk.incubator.vector; the target is at least half of the vector tier's figure
NOVEC_TARGET = 0.5


def best(rows, workload, impl, threads, filt):
    """The fastest of every matching row (by CPU time per step where there is one, else steps/s) and
    how many there were: the peer's best process, for the workloads in PEER_BEST."""
    hits = [r for r in rows if r.get("workload") == workload and r.get("impl") == impl
            and r.get("threads") == threads and "error" not in r and all(r.get(k) == v for k, v in filt.items())]
    if not hits:
        return None, 0
    return max(hits, key=lambda r: r.get("steps_per_s") or 0), len(hits)


def novec(rows, fw, ff, t, key, comp, eager):
    """The figure without the vector module and its ratio to the same implementation with it
    (compiled for the models, the runtime kernel for gemm); "" when there is no such row."""
    impl, vec = ("flint-eager", eager) if fw == "gemm" else ("flint-compiled", comp)
    row = find(rows, fw, impl, t, ff, vector_module=False)
    if row is None:
        return ""
    s = fmt(row, key)
    if vec is not None and row.get(key) and vec.get(key):
        r = row[key] / vec[key]
        speed = r if key in ("steps_per_s", "gflops", "tokens_per_s") else 1 / r   # >= 1 means as fast as the tier
        s += " (%.2fx vec: %s" % (speed, "met" if speed >= NOVEC_TARGET else "missed")
        fc, vc = row.get("cpu_ms_per_step_mean"), vec.get("cpu_ms_per_step_mean")
        if fc and vc:   # CPU time per step, which other processes' load does not inflate
            s += "; cpu %.2fx" % (vc / fc)
        s += ")"
    return s


def fmt(row, key):
    if row is None or row.get(key) is None:
        return "-"
    v = row[key]
    s = ("%.0f" if v >= 100 else "%.1f" if v >= 10 else "%.2f" if v >= 1 else "%.3g") % v
    return s + ("*" if row.get("contaminated") else "")


def ratio(flint, py, key, cpu):
    """Flint/PyTorch for the figure `key`; with cpu, from the CPU time per step instead of wall time."""
    if flint is None or py is None:
        return None
    if cpu:
        f, p = flint.get("cpu_ms_per_step_mean"), py.get("cpu_ms_per_step_mean")
        if not f or not p:
            return None
        # per-step times: throughput ratio is p/f, latency ratio f/p
        return p / f if key in ("steps_per_s", "gflops", "tokens_per_s") else f / p
    if not flint.get(key) or not py.get(key):
        return None
    return flint[key] / py[key]


def verdict(r, target):
    if r is None:
        return "-"
    _, op, bound = target
    return "met" if (r >= bound if op == ">=" else r <= bound) else "missed"


def table(rows):
    threads = sorted({r["threads"] for r in rows if "threads" in r})
    out = []
    for t in threads:
        for name, key, (pw, pi, pf), (fw, ff), target in ROWS:
            py = find(rows, pw, pi, t, pf)
            runs = 1
            if pw in PEER_BEST:
                py, runs = best(rows, pw, pi, t, pf)
            eager = find(rows, fw, "flint-eager", t, ff)
            comp = find(rows, fw, "flint-compiled", t, ff)
            cand = find(rows, fw, "flint-candidate", t, ff) if fw == "gemm" else None
            if py is None and eager is None and comp is None:
                continue
            if fw != pw and eager is None and comp is None:
                continue   # a Flint-only figure (gpt_generate_kv) that this run did not measure
            ratios = []
            for label, r in (("eager", eager), ("compiled", comp), ("cand.", cand)):
                x = ratio(r, py, key, False)
                if x is not None:
                    c = ratio(r, py, key, True)
                    ratios.append("%s %.3g%s" % (label, x, "" if c is None else " (cpu %.3g)" % c))
            tgt = ""
            v = ""
            if target is not None and isinstance(target[2], dict):
                bound = target[2].get(t)
                target = None if bound is None else (target[0], target[1], bound)
            if target is not None:
                impl = target[0]
                tgt = "%s %g (%s)" % (target[1], target[2], impl.replace("flint-", ""))
                r = eager if impl == "flint-eager" else comp
                if r is None or py is None:
                    v = "missed (no %s row)" % impl.replace("flint-", "")
                else:
                    v = verdict(ratio(r, py, key, False), target)
                    if r.get("contaminated") or py.get("contaminated"):
                        v += " (noisy)"
                    vc = verdict(ratio(r, py, key, True), target)
                    if vc != "-":
                        v += "; cpu: " + vc
            flint_eager = fmt(eager, key)
            if cand is not None:
                flint_eager += " / cand. " + fmt(cand, key)
            shown = name if runs <= 1 else "%s (peer: best of %d)" % (name, runs)
            out.append([str(t), shown, fmt(py, key), flint_eager, fmt(comp, key),
                        novec(rows, fw, ff, t, key, comp, eager), ", ".join(ratios), tgt, v])
    # Flint only: the 8 matmuls of an mlp_train_mnist step, runtime kernel vs candidate (ms per step)
    for t in threads:
        eager = find(rows, "gemm_mlp_mnist_step", "flint-eager", t, {})
        cand = find(rows, "gemm_mlp_mnist_step", "flint-candidate", t, {})
        py = find(rows, "mlp_train_mnist", "pytorch-eager", t, {})
        if eager is None and cand is None:
            continue
        out.append([str(t), "mlp_train_mnist step's 8 matmuls, ms (PyTorch: whole step)", fmt(py, "ms_per_step_median"),
                    fmt(eager, "ms_per_step_median") + " / cand. " + fmt(cand, "ms_per_step_median"), "-", "", "", "", ""])
    for t in threads:
        eager = find(rows, "gemv_mlp_mnist_b1", "flint-eager", t, {})
        cand = find(rows, "gemv_mlp_mnist_b1", "flint-candidate", t, {})
        py = find(rows, "mlp_infer_mnist", "pytorch-eager", t, {"batch": 1})
        if eager is None and cand is None:
            continue
        out.append([str(t), "mlp_infer_mnist b1: its 3 products, us (PyTorch: whole call)", fmt(py, "us_per_call"),
                    fmt(eager, "us_per_call") + " / cand. " + fmt(cand, "us_per_call"), "-", "", "", "", ""])
    # the allocation target (docs/design.md): heap bytes per warm mlp_train_small step (BenchDriver's alloc rows)
    for batch in (256, 1024):
        eager = find(rows, "alloc_mlp_train_small", "flint-eager", 1, {"batch": batch})
        comp = find(rows, "alloc_mlp_train_small", "flint-compiled", 1, {"batch": batch})
        if eager is None and comp is None:
            continue
        v = "missed (no compiled row)" if comp is None else ("met" if comp["bytes_per_step"] < 1024 else "missed")
        out.append(["1", "heap bytes/step mlp_train_small b%d" % batch, "-", fmt(eager, "bytes_per_step"),
                    fmt(comp, "bytes_per_step"), "", "", "< 1024 bytes (compiled)", v])
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit("usage: compare_table.py RESULTS.jsonl... [--markdown]")
    head = ["thr", "figure", "PyTorch", "Flint eager", "Flint compiled", "no vector module (÷ with it)",
            "Flint/PyTorch (wall; cpu)", "target",
            "verdict (wall; cpu)"]
    body = table(load(args))
    if "--markdown" in sys.argv:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in body:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(x[i]) for x in [head] + body) for i in range(len(head))]
        for r in [head] + body:
            print("  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip())
    print("\n* = contaminated row (other processes used > 0.1 CPU during it). Ratios are Flint/PyTorch of the "
          "figure (so for us/call and us/op lower is better); 'cpu' ratios compare the mean process CPU time "
          "per step instead of wall time (robust to preemption; at 2 threads they compare total work).")


if __name__ == "__main__":
    main()
