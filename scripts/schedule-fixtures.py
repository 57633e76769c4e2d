"""Generates test/data/lr-schedules.json: the learning rate of torch.optim.lr_scheduler at every step of
a 1,000-step run, beside the same schedule written as this library's data.

  /usr/bin/python3 scripts/schedule-fixtures.py > test/data/lr-schedules.json

lrs[t] is the rate the optimizer uses in its step t (t = 0 first): read from the param group before
optimizer.step(), then scheduler.step(), as PyTorch's documentation orders them.
"""
import json
import math

import torch
from torch.optim import SGD
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)

STEPS = 1000


def optimizer(lr):
    return SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def run(opt, scheduler):
    lrs = []
    for _ in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return lrs


cases = []


def case(name, lr, make, schedule):
    opt = optimizer(lr)
    cases.append({"name": name, "schedule": schedule, "lrs": run(opt, make(opt))})


case("StepLR(step_size=100, gamma=0.5)", 0.1, lambda o: StepLR(o, step_size=100, gamma=0.5),
     {"type": "StepLR", "lr": 0.1, "stepSize": 100, "gamma": 0.5})
case("StepLR(step_size=7, gamma=0.9)", 0.3, lambda o: StepLR(o, step_size=7, gamma=0.9),
     {"type": "StepLR", "lr": 0.3, "stepSize": 7, "gamma": 0.9})
case("ExponentialLR(gamma=0.995)", 0.05, lambda o: ExponentialLR(o, gamma=0.995),
     {"type": "ExponentialLR", "lr": 0.05, "gamma": 0.995})
case("CosineAnnealingLR(T_max=1000)", 0.1, lambda o: CosineAnnealingLR(o, T_max=1000),
     {"type": "CosineAnnealingLR", "lr": 0.1, "tMax": 1000, "etaMin": 0})
case("CosineAnnealingLR(T_max=300, eta_min=1e-3): past T_max it rises again", 0.1,
     lambda o: CosineAnnealingLR(o, T_max=300, eta_min=1e-3),
     {"type": "CosineAnnealingLR", "lr": 0.1, "tMax": 300, "etaMin": 1e-3})
case("LinearLR(start_factor=0.25, total_iters=100)", 0.1,
     lambda o: LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=100),
     {"type": "LinearLR", "lr": 0.1, "startFactor": 0.25, "endFactor": 1.0, "totalIters": 100})
case("LinearLR(start_factor=1, end_factor=0.1, total_iters=777)", 0.02,
     lambda o: LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=777),
     {"type": "LinearLR", "lr": 0.02, "startFactor": 1.0, "endFactor": 0.1, "totalIters": 777})
case("SequentialLR(LinearLR warm-up 50, CosineAnnealingLR(950, eta_min=1e-4))", 0.1,
     lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.01, total_iters=50),
                                CosineAnnealingLR(o, T_max=950, eta_min=1e-4)], milestones=[50]),
     {"type": "sequential", "boundaries": [50], "schedules": [
         {"type": "LinearLR", "lr": 0.1, "startFactor": 0.01, "endFactor": 1.0, "totalIters": 50},
         {"type": "CosineAnnealingLR", "lr": 0.1, "tMax": 950, "etaMin": 1e-4}]})
case("SequentialLR(LinearLR, StepLR, ExponentialLR) at 100 and 500", 0.1,
     lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.1, total_iters=100),
                                StepLR(o, step_size=60, gamma=0.7),
                                ExponentialLR(o, gamma=0.99)], milestones=[100, 500]),
     {"type": "sequential", "boundaries": [100, 500], "schedules": [
         {"type": "LinearLR", "lr": 0.1, "startFactor": 0.1, "endFactor": 1.0, "totalIters": 100},
         {"type": "StepLR", "lr": 0.1, "stepSize": 60, "gamma": 0.7},
         {"type": "ExponentialLR", "lr": 0.1, "gamma": 0.99}]})

# torch.optim.Adagrad's lr_decay: clr = lr / (1 + (step - 1) * lr_decay), step counted from 1.
lr, lr_decay = 0.1, 0.01
cases.append({
    "name": "Adagrad lr_decay=0.01 (torch/optim/adagrad.py's clr)",
    "schedule": {"type": "lrDecay", "init": lr, "decay": lr_decay},
    "lrs": [lr / (1 + (step - 1) * lr_decay) for step in range(1, STEPS + 1)],
})


def metric(t):
    # A loss that falls, then stalls with noise, then falls again: plateaus the scheduler must find.
    base = 1.0 / (1 + 0.01 * min(t, 300)) + (0.2 / (1 + 0.02 * (t - 600)) if t > 600 else 0.2)
    return base + 0.01 * math.sin(t * 1.3)


plateau_cases = []
for kwargs, ours in [
    (dict(mode="min", factor=0.5, patience=5, cooldown=2, min_lr=1e-4),
     dict(mode="min", factor=0.5, patience=5, cooldown=2, minLr=1e-4)),
    (dict(mode="max", factor=0.3, patience=3, threshold=0.01, threshold_mode="abs"),
     dict(mode="max", factor=0.3, patience=3, threshold=0.01, thresholdMode="abs")),
]:
    opt = optimizer(0.1)
    s = ReduceLROnPlateau(opt, **kwargs)
    metrics, lrs = [], []
    for t in range(STEPS):
        m = metric(t) if kwargs["mode"] == "min" else -metric(t)
        metrics.append(m)
        s.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    plateau_cases.append({"name": f"ReduceLROnPlateau({kwargs})", "options": {"lr": 0.1, **ours},
                          "metrics": metrics, "lrs": lrs})

print(json.dumps({"generator": "scripts/schedule-fixtures.py", "torch": torch.__version__,
                  "cases": cases, "plateau": plateau_cases}))
