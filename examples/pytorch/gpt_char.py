"""The GPT example's recipe in PyTorch, as the peer for examples/README.md's side-by-side run.

Same data (examples/src/main/resources/data/tinyshakespeare.txt.gz), vocabulary, 90/10 split, model
(the benchmark's Gpt: 4 layers, 4 heads, width 128, block 64, tied head, exact GELU), nanoGPT's
initialisation, AdamW (betas 0.9/0.99, weight decay 0.1 on every parameter, as Flint's single group),
warm-up + cosine to a tenth of the peak (LambdaLR), gradient norm clipped to 1, random windows, and the
same validation windows and time rule as dev.flint.examples.gpt.GptExample.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 examples/pytorch/gpt_char.py --minutes 5

Runs on PyTorch 1.13 (no scaled_dot_product_attention: the causal mask is applied by hand, as the
benchmark's Block does).
"""
import argparse
import gzip
import math
import os
import time

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "src", "main", "resources", "data", "tinyshakespeare.txt.gz")
WARMUP, FLOOR, EVAL_BATCH, EVAL_EVERY_WINDOW = 100, 0.1, 64, 13


class Block(nn.Module):
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
    def __init__(self, vocab, block=64, layers=4, heads=4, d=128):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(block, d)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.lnF = nn.LayerNorm(d)
        for name, p in self.named_parameters():  # nanoGPT's initialisation, as Gpt.initWeights
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("proj.weight", "fc2.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith(".bias") and "ln" not in name:
                nn.init.zeros_(p)

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos.weight[:t]
        for blk in self.blocks:
            x = blk(x)
        return nn.functional.linear(self.lnF(x), self.tok.weight)


class WarmupCosine:
    def __init__(self, warmup, horizon, floor):
        self.warmup, self.floor = warmup, floor
        self.set_horizon(horizon)

    def set_horizon(self, horizon):
        self.horizon = max(horizon, self.warmup + 1)

    def __call__(self, step):
        if step < self.warmup:
            return (step + 1.0) / self.warmup
        if step >= self.horizon:
            return self.floor
        progress = (step - self.warmup) / (self.horizon - self.warmup)
        return self.floor + (1 - self.floor) * 0.5 * (1 + math.cos(math.pi * progress))


def windows(tokens, batch, block, gen):
    ix = torch.randint(len(tokens) - block, (batch,), generator=gen)
    x = torch.stack([tokens[i:i + block] for i in ix])
    y = torch.stack([tokens[i + 1:i + 1 + block] for i in ix])
    return x, y


def consecutive(tokens, batch, block, every):
    starts = [w * block for w in range(0, (len(tokens) - 1) // block, every)]
    out = []
    for f in range(0, len(starts), batch):
        s = starts[f:f + batch]
        out.append((torch.stack([tokens[i:i + block] for i in s]), torch.stack([tokens[i + 1:i + 1 + block] for i in s])))
    return out


@torch.no_grad()
def mean_loss(model, batches):
    model.eval()
    total, count = 0.0, 0
    for x, y in batches:
        logits = model(x)
        total += nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1)).item() * y.numel()
        count += y.numel()
    model.train()
    return total / count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--minutes", type=float, default=0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--eval-every", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    text = gzip.open(DATA, "rt", encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    train, valid = data[:n], data[n:]
    block = 64
    model = Gpt(len(chars), block)
    timed = a.minutes > 0
    warmup = WARMUP if timed else min(WARMUP, max(1, a.steps // 10))
    schedule = WarmupCosine(warmup, a.steps, FLOOR)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.99), weight_decay=0.1)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    gen = torch.Generator().manual_seed(a.seed + 1)
    estimate_set = consecutive(valid, EVAL_BATCH, block, EVAL_EVERY_WINDOW)
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads; {len(train):,} train and {len(valid):,} "
          f"validation characters, vocabulary of {len(chars)}; {sum(p.numel() for p in model.parameters()):,} parameters",
          flush=True)
    budget = a.minutes * 60
    train_seconds, warmup_tail, step, done, losses = 0.0, 0.0, 0, False, []
    while not done:
        x, y = windows(train, a.batch, block, gen)
        t0 = time.perf_counter()
        logits = model(x)
        loss = nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(loss.item())
        seconds = time.perf_counter() - t0
        train_seconds += seconds
        step += 1
        if timed and warmup // 2 < step <= warmup:
            warmup_tail += seconds
        if timed and step == warmup:
            per_step = warmup_tail / (warmup - warmup // 2)
            schedule.set_horizon(warmup + int(max(0.0, (budget - train_seconds) / per_step)))
        done = train_seconds >= budget if timed else step >= a.steps
        if step % a.eval_every == 0 or done:
            print(f"step {step:5d} loss={sum(losses) / len(losses):.4f} valid_loss={mean_loss(model, estimate_set):.4f} "
                  f"lr={sched.get_last_lr()[0]:.2e} ({train_seconds:.1f} s)", flush=True)
            losses = []
    valid_loss = mean_loss(model, consecutive(valid, EVAL_BATCH, block, 1))
    print(f"{step} steps in {train_seconds:.1f} s of training ({step / train_seconds:.1f} steps/s); validation loss over "
          f"all {(len(valid) - 1) // block} windows: {valid_loss:.4f} (cosine horizon: step {schedule.horizon})")


if __name__ == "__main__":
    main()
