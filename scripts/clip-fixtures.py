"""Generates test/data/clip-grad.json: torch.nn.utils.clip_grad_norm_ / clip_grad_value_ in float32.

Run with Debian's PyTorch (apt-get install python3-torch), pinned to AVX2 so the norm's SIMD width is 8:
  ATEN_CPU_CAPABILITY=avx2 /usr/bin/python3 scripts/clip-fixtures.py > test/data/clip-grad.json
Every float32 number is written as the double it equals, so the JSON holds the exact bits.
"""
import json
import math

import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

torch.manual_seed(12)


def dense(n, scale):
    return (torch.randn(n, dtype=torch.float32) * scale).tolist()


def sparse(rows, row_size, k, scale):
    # Duplicates on purpose: the norm is of the coalesced gradient (duplicates summed).
    indices = torch.randint(0, rows, (k,)).tolist()
    values = (torch.randn(k * row_size, dtype=torch.float32) * scale).tolist()
    return {"rows": rows, "rowSize": row_size, "indices": indices, "values": values}


def to_tensor(g):
    if isinstance(g, dict):
        idx = torch.tensor([g["indices"]], dtype=torch.int64)
        vals = torch.tensor(g["values"], dtype=torch.float32).reshape(len(g["indices"]), g["rowSize"])
        return torch.sparse_coo_tensor(idx, vals, (g["rows"], g["rowSize"]))
    return torch.tensor(g, dtype=torch.float32)


def grads_after(params):
    out = {}
    for name, p in params.items():
        g = p.grad
        if g.is_sparse:
            # Scaling an uncoalesced sparse tensor scales each stored value: same indices, same order.
            out[name] = g._values().reshape(-1).tolist()
        else:
            out[name] = g.tolist()
    return out


def norm_case(name, grads, max_norm, norm_type=2.0):
    params = {}
    for k, g in grads.items():
        t = to_tensor(g)
        p = torch.nn.Parameter(torch.zeros(t.shape, dtype=torch.float32))
        p.grad = t
        params[k] = p
    total = clip_grad_norm_(list(params.values()), max_norm, norm_type=norm_type)
    # PyTorch 1.13 scales g.detach(), which for a sparse tensor does not reach p.grad's values: its
    # sparse gradients come back unscaled. What clip_grad_norm_ documents (and this library does) is the
    # same scale on every gradient, so it is applied here with clip_grad_norm_'s own coefficient.
    clip_coef = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    for p in params.values():
        if p.grad.is_sparse:
            p.grad._values().mul_(clip_coef)
    return {
        "name": name,
        "maxNorm": max_norm,
        "normType": "Infinity" if math.isinf(norm_type) else norm_type,
        "grads": grads,
        "totalNorm": total.item(),
        "after": grads_after(params),
    }


def value_case(name, grads, clip_value):
    params = {}
    for k, g in grads.items():
        p = torch.nn.Parameter(torch.zeros(len(g), dtype=torch.float32))
        p.grad = torch.tensor(g, dtype=torch.float32)
        params[k] = p
    clip_grad_value_(list(params.values()), clip_value)
    return {"name": name, "clipValue": clip_value, "grads": grads, "after": grads_after(params)}


lengths = [1, 4, 7, 8, 9, 14, 31, 100, 1000, 2053, 4097]
norm_cases = []
for p in [2.0, math.inf]:
    for max_norm in [0.5, 1.0, 1e6]:
        grads = {f"g{n}": dense(n, 0.3) for n in lengths}
        norm_cases.append(norm_case(f"dense lengths {lengths}, p={p}, maxNorm={max_norm}", grads, max_norm, p))
# PyTorch takes the infinity norm of a sparse tensor not at all (aten::max has no sparse kernel): p=2 only.
for max_norm in [1.0, 100.0]:
    grads = {"w": dense(50, 2.0), "emb": sparse(40, 4, 12, 1.0), "b": dense(3, 1.0)}
    norm_cases.append(norm_case(f"dense and sparse (duplicate rows), maxNorm={max_norm}", grads, max_norm))
norm_cases.append(norm_case("one tiny gradient, not clipped", {"w": dense(5, 1e-4)}, 1.0))
norm_cases.append(norm_case("all zeros", {"w": [0.0] * 16}, 1.0))
norm_cases.append(norm_case("large values, clipped hard", {"w": dense(300, 1e3), "v": dense(17, 1e2)}, 0.01))
for p in [1.0]:
    norm_cases.append(norm_case("p=1 short gradients", {"a": dense(5, 1.0), "b": dense(3, 1.0)}, 0.5, p))

value_cases = [
    value_case("clip at 0.1", {"w": dense(40, 0.3), "b": dense(9, 0.05)}, 0.1),
    value_case("clip at 1/3 (rounded to float32)", {"w": dense(64, 1.0)}, 1 / 3),
]

print(json.dumps({
    "generator": "scripts/clip-fixtures.py",
    "torch": torch.__version__,
    "cpuCapability": "avx2 (ATEN_CPU_CAPABILITY)",
    "norm": norm_cases,
    "value": value_cases,
}))
