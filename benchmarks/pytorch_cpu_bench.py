#!/usr/bin/python3
"""Runs benchmarks/pytorch/pytorch_bench.py unchanged except that each row also gets
cpu_ms_per_step_mean: this process's CPU time (time.process_time, all threads) over the timed
blocks divided by the timed calls, as Flint's BlockTimer records it. On a shared machine the wall
time of a step grows when other processes preempt it; its CPU time does not, so the two figures
together say how much of a ratio is noise.

    /usr/bin/python3 benchmarks/pytorch_cpu_bench.py benchmarks/pytorch/pytorch_bench.py --threads 1 ...

The timing loop below is pytorch_bench._bench with the CPU clock read around the timed blocks.
"""
import importlib.util
import sys
import time

import numpy as np


def load(path):
    spec = importlib.util.spec_from_file_location("pytorch_bench", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _bench(step, budget_s, warmup_s=0.3, warmup_iters=3, block_ms=5.0, min_blocks=5, max_blocks=400):
    import gc
    gc.collect()
    t0 = time.perf_counter()
    n = 0
    while n < warmup_iters or time.perf_counter() - t0 < warmup_s:
        step()
        n += 1
    t1 = time.perf_counter()
    for _ in range(3):
        step()
    per = (time.perf_counter() - t1) / 3
    k = max(1, int(block_ms / 1000.0 / max(per, 1e-9)))
    samples = []
    cpu0 = time.process_time()
    tstart = time.perf_counter()
    while (len(samples) < min_blocks or time.perf_counter() - tstart < budget_s) \
            and len(samples) < max_blocks:
        t = time.perf_counter()
        for _ in range(k):
            step()
        samples.append((time.perf_counter() - t) / k * 1000.0)
    cpu_ms = (time.process_time() - cpu0) * 1000.0 / (len(samples) * k)
    s = np.array(samples)
    return {
        "ms_per_step_median": float(np.median(s)),
        "ms_per_step_p10": float(np.percentile(s, 10)),
        "ms_per_step_p90": float(np.percentile(s, 90)),
        "n_blocks": len(samples),
        "iters_per_block": k,
        "cpu_ms_per_step_mean": cpu_ms,
    }


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: pytorch_cpu_bench.py PATH/pytorch_bench.py [its options]")
    mod = load(sys.argv[1])
    mod._bench = _bench
    sys.argv = [sys.argv[1]] + sys.argv[2:]
    mod.main()


if __name__ == "__main__":
    main()
