"""Reference fixtures for Flint's sequence layers, computed by PyTorch.

Run from this folder with a Python that has torch (Debian's python3-torch 1.13 made the committed files):
    python3 generate.py
For each case it writes <case>.state.safetensors (the module's state_dict exactly as PyTorch names it) and
<case>.io.safetensors (inputs, outputs, and the gradients of sum(output * cotangent), all FLOAT32).
The safetensors files are written by hand (the format is an 8-byte header length, a JSON header and
the raw little-endian data), so the safetensors package is not needed.
"""
import json
import struct

import torch

torch.manual_seed(0)
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.bool: "BOOL"}


def save(tensors, path):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def grads(module, inputs, outputs, io):
    """Backward of sum(out * cot) over the outputs; records the cotangents and every gradient."""
    loss = 0
    for name, out in outputs.items():
        cot = torch.randn_like(out)
        io["cot." + name] = cot
        io["out." + name] = out
        loss = loss + (out * cot).sum()
    loss.backward()
    for name, t in inputs.items():
        if t.grad is not None:
            io["grad." + name] = t.grad
    for name, p in module.named_parameters():
        io["grad." + name] = p.grad


def conv1d():
    m = torch.nn.Conv1d(3, 4, 3, stride=2, padding=1)
    x = torch.randn(2, 3, 7, requires_grad=True)
    io = {"in.x": x}
    grads(m, {"x": x}, {"y": m(x)}, io)
    return m, io


def embedding():
    m = torch.nn.Embedding(6, 3, padding_idx=1)
    with torch.no_grad():
        m.weight[1] = torch.tensor([0.5, -0.25, 2.0])   # a non-zero padding row: still no gradient
    idx = torch.tensor([[1, 2, 1, 5], [0, 1, 3, 3]])
    io = {"in.idx": idx}
    grads(m, {}, {"y": m(idx)}, io)
    return m, io


def mha():
    m = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    x = torch.randn(2, 5, 8, requires_grad=True)
    kv = torch.randn(2, 4, 8, requires_grad=True)
    mask = torch.tensor([[False, True, False, False], [False, False, True, True], [True, False, False, False],
                         [False, False, False, True], [False, True, True, False]])   # True: may not attend
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
    io = {"in.x": x, "in.kv": kv, "in.mask": mask}
    y_self, _ = m(x, x, x)
    y_cross, _ = m(x, kv, kv, attn_mask=mask)
    y_causal, _ = m(x, x, x, attn_mask=causal)
    grads(m, {"x": x, "kv": kv}, {"self": y_self, "cross": y_cross, "causal": y_causal}, io)
    return m, io


def recurrent(kind):
    cls = torch.nn.LSTM if kind == "lstm" else torch.nn.GRU
    m = cls(3, 5, 2, batch_first=True)
    x = torch.randn(2, 4, 3, requires_grad=True)
    h0 = torch.randn(2, 2, 5, requires_grad=True)
    io = {"in.x": x, "in.h0": h0}
    if kind == "lstm":
        c0 = torch.randn(2, 2, 5, requires_grad=True)
        io["in.c0"] = c0
        y, (hn, cn) = m(x, (h0, c0))
        y_zero, _ = m(x)
        grads(m, {"x": x, "h0": h0, "c0": c0}, {"y": y, "hn": hn, "cn": cn, "y_zero": y_zero}, io)
    else:
        y, hn = m(x, h0)
        y_zero, _ = m(x)
        grads(m, {"x": x, "h0": h0}, {"y": y, "hn": hn, "y_zero": y_zero}, io)
    return m, io


for case, make in [("conv1d", conv1d), ("embedding", embedding), ("mha", mha),
                   ("lstm", lambda: recurrent("lstm")), ("gru", lambda: recurrent("gru"))]:
    module, io = make()
    save(dict(module.state_dict()), case + ".state.safetensors")
    save(io, case + ".io.safetensors")
    print(case, sorted(module.state_dict().keys()))
