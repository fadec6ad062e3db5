#!/usr/bin/python3
"""PyTorch-CPU peer benchmark (reference numbers for the Java runtime).

Run with Debian's interpreter (Debian python3-torch 1.13.1 + OpenBLAS 0.3.21):

    /usr/bin/python3 benchmarks/pytorch/pytorch_bench.py --threads 2
    /usr/bin/python3 benchmarks/pytorch/pytorch_bench.py --threads 1

Prints one JSON object per line (JSONL), one per workload. Common fields:
  workload, impl ("pytorch-eager" | "pytorch-jit" | "numpy"), threads, batch,
  ms_per_step_median, ms_per_step_p10, ms_per_step_p90 (per single call/step),
  and either gflops (gemm) or steps_per_s (everything else), plus extras
  (samples_per_s, us_per_call, us_per_op, n_blocks, iters_per_block).

Shared machine: before each workload the script waits until other processes are
idle (cpuload.py) and records foreign_cpus = CPUs' worth of time used by
other processes during the timed window; rows with contaminated=true (foreign
load > 0.1 CPU even after retries) should not be trusted.

Timing: warm up (>= warmup_s and >= 3 calls), then run the step in blocks of
k calls (k chosen so one block lasts ~block_ms), until the per-workload time
budget is spent (at least 5 blocks). Per-step time of each block -> one sample;
median/p10/p90 are over blocks. steps_per_s = 1000 / median_ms.
"""
import os
import sys

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set machine-wide (for old OpenBLAS builds that
# misbehave on some processors); they pin PyTorch's BLAS to an older kernel (on an AVX-512 machine
# this halves GEMM and makes GEMV ~6x slower). The peer must run as its users get it: re-exec
# without them, then check_blas() below verifies products against float64 before timing anything.
if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
    if "--keep-openblas-env" not in sys.argv:
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        os.execve(sys.executable, [sys.executable] + sys.argv, env)

import argparse
import ctypes
import datetime
import gc
import json
import platform
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cpuload  # noqa: E402  (foreign-load detection; this machine is shared)


# ----------------------------------------------------------------------------
# environment description
def blas_info():
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return lib, "%s core=%s" % (lib.openblas_get_config().decode(),
                                        lib.openblas_get_corename().decode())
        except (OSError, AttributeError):
            continue
    return None, "non-OpenBLAS (probably reference BLAS)"


OPENBLAS, BLAS_DESC = blas_info()


# ----------------------------------------------------------------------------
# timing
# TorchScript's profiling executor needs a few calls before it optimizes the graph
WARMUP_ITERS = {"pytorch-eager": 3, "pytorch-jit": 20}
QUIET = {"max_wait_s": 300.0, "threshold": 0.10, "retries": 2}


def bench(step, budget_s, **kw):
    """Runs _bench; if other processes used > threshold CPUs during the timed window,
    waits for quiet and retries (up to QUIET['retries'] times). Reports the foreign load."""
    r = None
    for attempt in range(QUIET["retries"] + 1):
        if QUIET["max_wait_s"] > 0:
            cpuload.wait_quiet(QUIET["max_wait_s"], QUIET["threshold"])
        w = cpuload.Window()
        r = _bench(step, budget_s, **kw)
        r["foreign_cpus"] = round(w.foreign_cpus(), 3)
        r["attempt"] = attempt + 1
        if r["foreign_cpus"] <= QUIET["threshold"]:
            break
        print("# contaminated (foreign load %.2f CPUs), retrying" % r["foreign_cpus"], file=sys.stderr, flush=True)
    r["contaminated"] = r["foreign_cpus"] > QUIET["threshold"]
    return r


def _bench(step, budget_s, warmup_s=0.3, warmup_iters=3, block_ms=5.0, min_blocks=5, max_blocks=400):
    gc.collect()
    t0 = time.perf_counter()
    n = 0
    while n < warmup_iters or time.perf_counter() - t0 < warmup_s:
        step()
        n += 1
    # calibrate block size on a few post-warm-up calls (JIT warm-up calls are slow)
    t1 = time.perf_counter()
    for _ in range(3):
        step()
    per = (time.perf_counter() - t1) / 3
    k = max(1, int(block_ms / 1000.0 / max(per, 1e-9)))
    samples = []
    tstart = time.perf_counter()
    while (len(samples) < min_blocks or time.perf_counter() - tstart < budget_s) \
            and len(samples) < max_blocks:
        t = time.perf_counter()
        for _ in range(k):
            step()
        samples.append((time.perf_counter() - t) / k * 1000.0)  # ms per step
    s = np.array(samples)
    return {
        "ms_per_step_median": float(np.median(s)),
        "ms_per_step_p10": float(np.percentile(s, 10)),
        "ms_per_step_p90": float(np.percentile(s, 90)),
        "n_blocks": len(samples),
        "iters_per_block": k,
    }


class Reporter:
    def __init__(self, threads, out):
        self.threads = threads
        self.out = out
        self.common = {
            "threads": threads,
            "torch": torch.__version__,
            "numpy": np.__version__,
            "blas": BLAS_DESC,
            "date": datetime.date.today().isoformat(),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default"),
        }

    def emit(self, workload, impl, batch, r, **extra):
        row = {"workload": workload, "impl": impl, "threads": self.threads, "batch": batch}
        med = r["ms_per_step_median"]
        if "gflops" not in extra:
            row["steps_per_s"] = 1000.0 / med
        row.update(extra)
        row.update(r)
        for k, v in self.common.items():
            row.setdefault(k, v)
        for k, v in list(row.items()):
            if isinstance(v, float):
                row[k] = float("%.6g" % v)
        line = json.dumps(row)
        print(line, flush=True)
        if self.out:
            self.out.write(line + "\n")
            self.out.flush()


def skip(rep, workload, impl, err):
    row = {"workload": workload, "impl": impl, "threads": rep.threads, "error": str(err)[:300]}
    line = json.dumps(row)
    print(line, flush=True)
    if rep.out:
        rep.out.write(line + "\n")


# ----------------------------------------------------------------------------
# models
def mlp_small():
    return nn.Sequential(nn.Linear(117, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))


def mlp_mnist():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn_small():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 10))


class Block(nn.Module):
    """A pre-norm transformer block as in nanoGPT (causal self-attention, GELU MLP)."""

    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.view(b, t, self.h, d // self.h).transpose(1, 2)
        k = k.view(b, t, self.h, d // self.h).transpose(1, 2)
        v = v.view(b, t, self.h, d // self.h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / (d // self.h) ** 0.5)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.fc2(nn.functional.gelu(self.fc(self.ln2(x))))


class Gpt(nn.Module):
    """A small character-level GPT: token + position embeddings, blocks, final norm, tied head."""

    def __init__(self, vocab=65, block=64, layers=4, heads=4, d=128):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(block, d)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.lnF = nn.LayerNorm(d)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos.weight[:t]
        for blk in self.blocks:
            x = blk(x)
        return nn.functional.linear(self.lnF(x), self.tok.weight)


class LstmClassifier(nn.Module):
    """Digits read row by row: an 8-step sequence of 8 pixels, LSTM(8, 64), last hidden state -> 10 classes."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 64, batch_first=True)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


def make_train_step(model, loss_fn, opt, batches):
    """One step = zero_grad, forward, loss, backward, optimizer step (cycles through batches)."""
    it = [0]

    def step():
        x, y = batches[it[0] % len(batches)]
        it[0] += 1
        opt.zero_grad()
        out = model(x)
        loss = loss_fn(out, y)
        loss.backward()
        opt.step()
    return step


def small_batches(bs, n=8):
    return [(torch.randn(bs, 117), torch.randn(bs, 1)) for _ in range(n)]


def mnist_batches(bs, n=8):
    return [(torch.rand(bs, 784), torch.randint(0, 10, (bs,))) for _ in range(n)]


def cnn_batches(bs, n=4):
    return [(torch.rand(bs, 1, 28, 28), torch.randint(0, 10, (bs,))) for _ in range(n)]


# ----------------------------------------------------------------------------
# workloads
def run_gemm(rep, budget, sizes):
    for n in sizes:
        flop = 2.0 * n ** 3
        a = torch.randn(n, n)
        b = torch.randn(n, n)
        c = torch.empty(n, n)
        r = bench(lambda: torch.mm(a, b, out=c), budget)
        rep.emit("gemm", "pytorch-eager", None, r, size=n,
                 gflops=flop / (r["ms_per_step_median"] / 1000.0) / 1e9)
    if OPENBLAS is not None:
        OPENBLAS.openblas_set_num_threads(rep.threads)
        torch.set_num_threads(rep.threads)  # openmp OpenBLAS reads omp max threads too
    for n in sizes:
        flop = 2.0 * n ** 3
        a = np.random.rand(n, n).astype(np.float32)
        b = np.random.rand(n, n).astype(np.float32)
        c = np.empty((n, n), np.float32)
        r = bench(lambda: np.dot(a, b, out=c), budget)
        rep.emit("gemm", "numpy", None, r, size=n,
                 gflops=flop / (r["ms_per_step_median"] / 1000.0) / 1e9,
                 blas_threads=(OPENBLAS.openblas_get_num_threads() if OPENBLAS else None))


def run_mlp_small(rep, budget, impl="pytorch-eager"):
    torch.manual_seed(0)
    bs = 256
    model = mlp_small()
    if impl == "pytorch-jit":
        model = torch.jit.script(model)
    opt = torch.optim.SGD(model.parameters(), lr=1e-5, momentum=0.9)
    step = make_train_step(model, nn.MSELoss(), opt, small_batches(bs))
    r = bench(step, budget, warmup_iters=WARMUP_ITERS[impl])
    rep.emit("mlp_train_small", impl, bs, r, samples_per_s=bs * 1000.0 / r["ms_per_step_median"])


def freeze_for_infer(model, example):
    model.eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
        return torch.jit.freeze(traced)


def run_infer(rep, budget, workload, model, make_x, batches_, impl):
    model.eval()
    for bs in batches_:
        x = make_x(bs)
        m = freeze_for_infer(model, x) if impl == "pytorch-jit" else model

        def step():
            with torch.no_grad():
                m(x)
        r = bench(step, budget, warmup_iters=WARMUP_ITERS[impl])
        med = r["ms_per_step_median"]
        rep.emit(workload, impl, bs, r, us_per_call=med * 1000.0,
                 samples_per_s=bs * 1000.0 / med)


def run_mlp_mnist_train(rep, budget, impl="pytorch-eager"):
    torch.manual_seed(0)
    bs = 128
    model = mlp_mnist()
    if impl == "pytorch-jit":
        model = torch.jit.script(model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = make_train_step(model, nn.CrossEntropyLoss(), opt, mnist_batches(bs))
    r = bench(step, budget, warmup_iters=WARMUP_ITERS[impl])
    rep.emit("mlp_train_mnist", impl, bs, r, samples_per_s=bs * 1000.0 / r["ms_per_step_median"])


def run_autograd_overhead(rep, budget):
    torch.manual_seed(0)
    x = torch.randn(4, 4, requires_grad=True)
    c = torch.randn(4, 4)
    n_ops = 20

    def chain(y):
        for i in range(n_ops):
            k = i % 4
            if k == 0:
                y = y + c
            elif k == 1:
                y = y * c
            elif k == 2:
                y = torch.sigmoid(y)
            else:
                y = torch.relu(y)
        return y

    def step():
        x.grad = None
        chain(x).sum().backward()
    r = bench(step, budget)
    rep.emit("autograd_overhead", "pytorch-eager", None, r, shape=[4, 4], n_ops=n_ops,
             us_per_op=r["ms_per_step_median"] * 1000.0 / n_ops,
             note="fwd+bwd of 20 elementwise ops + sum().backward(); us_per_op = step/20")

    def step_nograd():
        with torch.no_grad():
            chain(x).sum()
    r = bench(step_nograd, budget)
    rep.emit("eager_dispatch_nograd", "pytorch-eager", None, r, shape=[4, 4], n_ops=n_ops,
             us_per_op=r["ms_per_step_median"] * 1000.0 / n_ops,
             note="same 20-op chain + sum() under no_grad (forward dispatch only)")


def run_cnn(rep, budget):
    torch.manual_seed(0)
    bs = 64
    model = cnn_small()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    step = make_train_step(model, nn.CrossEntropyLoss(), opt, cnn_batches(bs))
    r = bench(step, budget)
    rep.emit("cnn_train_small", "pytorch-eager", bs, r, samples_per_s=bs * 1000.0 / r["ms_per_step_median"])


def run_gpt(rep, budget):
    """gpt_train_small: vocab 65, block 64, 4 layers, 4 heads, width 128, batch 16, AdamW;
    gpt_generate: 64 new tokens at batch 1 from a 1-token prompt, full recompute per token
    (nanoGPT's generate), greedy, under no_grad; tokens_per_s."""
    torch.manual_seed(0)
    bs, block, vocab = 16, 64, 65
    model = Gpt(vocab, block)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    batches = [(torch.randint(0, vocab, (bs, block)), torch.randint(0, vocab, (bs, block))) for _ in range(4)]
    ce = nn.CrossEntropyLoss()
    step = make_train_step(model, lambda out, y: ce(out.reshape(-1, vocab), y.reshape(-1)), opt, batches)
    r = bench(step, budget)
    rep.emit("gpt_train_small", "pytorch-eager", bs, r, samples_per_s=bs * 1000.0 / r["ms_per_step_median"],
             tokens_per_s=bs * block * 1000.0 / r["ms_per_step_median"])
    model.eval()

    def generate():
        with torch.no_grad():
            idx = torch.zeros(1, 1, dtype=torch.long)
            for _ in range(block):
                logits = model(idx[:, -block:])
                idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    r = bench(generate, budget, warmup_iters=2)
    rep.emit("gpt_generate", "pytorch-eager", 1, r, new_tokens=block,
             tokens_per_s=block * 1000.0 / r["ms_per_step_median"])


def run_lstm(rep, budget):
    """lstm_train_small: LstmClassifier on [64, 8, 8] batches, Adam, CrossEntropyLoss."""
    torch.manual_seed(0)
    bs = 64
    model = LstmClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = [(torch.rand(bs, 8, 8), torch.randint(0, 10, (bs,))) for _ in range(4)]
    step = make_train_step(model, nn.CrossEntropyLoss(), opt, batches)
    r = bench(step, budget)
    rep.emit("lstm_train_small", "pytorch-eager", bs, r, samples_per_s=bs * 1000.0 / r["ms_per_step_median"])


def check_blas():
    """Refuses to time a BLAS that computes wrong products (see the re-exec at the top)."""
    g = torch.Generator().manual_seed(1)
    for m, k, n in [(1024, 1024, 1024), (1, 784, 512), (128, 784, 512), (7, 13, 5)]:
        a, b = torch.randn(m, k, generator=g), torch.randn(k, n, generator=g)
        ref = a.double() @ b.double()
        err = ((a @ b).double() - ref).abs().max().item() / ref.abs().max().item()
        if not err < 1e-4:
            sys.exit("pytorch_bench: BLAS product [%d,%d]x[%d,%d] is wrong (rel. error %.3g); "
                     "rerun with --keep-openblas-env" % (m, k, k, n, err))


ALL = ["gemm", "mlp_train_small", "mlp_infer_small", "mlp_train_mnist", "mlp_infer_mnist",
       "autograd_overhead", "cnn_train_small", "gpt_train_small", "lstm_train_small", "jit"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--budget", type=float, default=2.5, help="seconds of timed runs per workload")
    ap.add_argument("--gemm-sizes", default="256,512,1024,2048")
    ap.add_argument("--only", default=",".join(ALL), help="comma list from: " + ",".join(ALL))
    ap.add_argument("--out", default=None, help="also append JSONL rows to this file")
    ap.add_argument("--wait-quiet", type=float, default=300.0,
                    help="before each workload wait up to this many s for other processes to go idle (0: don't)")
    ap.add_argument("--retries", type=int, default=2, help="re-measure a workload this often if contaminated")
    ap.add_argument("--keep-openblas-env", action="store_true",
                    help="keep OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (by default the script re-runs itself without them)")
    args = ap.parse_args()
    QUIET["max_wait_s"] = args.wait_quiet
    QUIET["retries"] = args.retries

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)
    out = open(args.out, "a") if args.out else None
    rep = Reporter(args.threads, out)
    sel = set(args.only.split(","))
    print("# python %s, torch %s (threads=%d), numpy %s, %s, cpu_capability=%s" % (
        platform.python_version(), torch.__version__, torch.get_num_threads(), np.__version__,
        BLAS_DESC, getattr(torch.backends, "cpu", None) and torch.backends.cpu.get_cpu_capability()),
        file=sys.stderr, flush=True)
    check_blas()
    b = args.budget
    if "gemm" in sel:
        run_gemm(rep, b, [int(s) for s in args.gemm_sizes.split(",")])
    if "mlp_train_small" in sel:
        run_mlp_small(rep, b)
    if "mlp_infer_small" in sel:
        torch.manual_seed(0)
        run_infer(rep, b, "mlp_infer_small", mlp_small(), lambda n: torch.randn(n, 117), [256], "pytorch-eager")
    if "mlp_train_mnist" in sel:
        run_mlp_mnist_train(rep, b)
    if "mlp_infer_mnist" in sel:
        torch.manual_seed(0)
        run_infer(rep, b, "mlp_infer_mnist", mlp_mnist(), lambda n: torch.rand(n, 784), [1, 128], "pytorch-eager")
    if "autograd_overhead" in sel:
        run_autograd_overhead(rep, b)
    if "cnn_train_small" in sel:
        run_cnn(rep, b)
    if "gpt_train_small" in sel:
        run_gpt(rep, b)
    if "lstm_train_small" in sel:
        run_lstm(rep, b)
    if "jit" in sel:
        jobs = [
            ("mlp_train_small", lambda: run_mlp_small(rep, b, "pytorch-jit")),
            ("mlp_infer_small", lambda: run_infer(rep, b, "mlp_infer_small", mlp_small(),
                                                  lambda n: torch.randn(n, 117), [256], "pytorch-jit")),
            ("mlp_train_mnist", lambda: run_mlp_mnist_train(rep, b, "pytorch-jit")),
            ("mlp_infer_mnist", lambda: run_infer(rep, b, "mlp_infer_mnist", mlp_mnist(),
                                                  lambda n: torch.rand(n, 784), [1, 128], "pytorch-jit")),
        ]
        for name, job in jobs:
            torch.manual_seed(0)
            try:
                job()
            except Exception as e:  # report and continue
                skip(rep, name, "pytorch-jit", e)
    if out:
        out.close()


if __name__ == "__main__":
    main()
