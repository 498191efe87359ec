#!/usr/bin/python3
"""Builds the PyTorch learning-curve corpora data/curves-torch/{dev,holdout}.jsonl.

Every recipe is real torch training (nn.Module, torch.optim, torch.optim.lr_scheduler, manual
mini-batches or a DataLoader) on the repository's data sets (data/*.csv). The training loss is
logged at step 0 (initial model, training set) and then per full-batch step or per epoch (mean of
the epoch's mini-batch losses); the validation loss every k logged points. The label comes from the
recipe's intent; the label's rule (data/curves-torch/README.md) is measured on the full curve and a
recipe whose curve fails it is dropped.

    /usr/bin/python3 bench/curves-torch/generate.py                 # both sets
    /usr/bin/python3 bench/curves-torch/generate.py --set dev       # one set
    /usr/bin/python3 bench/curves-torch/generate.py --probe ID_PART # run matching recipes, print rule numbers, write nothing
"""
import argparse
import csv
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True
torch.set_num_threads(1)
torch.set_flush_denormal(True)  # tiny gradients late in a run would otherwise be slow denormal arithmetic
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MAX_POINTS = 400

# ---------------------------------------------------------------------------------------------
# data

_DATA = {}


def load(name):
    """Features (float64) and integer targets of data/<name>.csv (header row; `target` column)."""
    if name not in _DATA:
        with open(os.path.join(ROOT, "data", name + ".csv"), newline="") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        t = header.index("target")
        feats = [i for i, h in enumerate(header) if h not in ("target", "species")]
        x = np.array([[float(r[i]) for i in feats] for r in rows[1:]], dtype=np.float64)
        y = np.array([int(float(r[t])) for r in rows[1:]], dtype=np.int64)
        _DATA[name] = (x, y)
    return _DATA[name]


def split(c):
    """Train/validation tensors for recipe config c (seeded shuffle, optional subset, label noise, scaling)."""
    x, y = load(c["data"])
    if "classes" in c:  # keep some classes, relabelled 0..k-1
        keep = np.isin(y, c["classes"])
        x, y = x[keep], np.searchsorted(np.array(sorted(c["classes"])), y[keep])
    if "positive" in c:  # one class against the rest
        y = (y == c["positive"]).astype(np.int64)
    if "features" in c:
        x = x[:, c["features"]]
    rng = np.random.RandomState(c["seed"])
    idx = rng.permutation(len(y))
    n_val = int(round(c.get("val_frac", 0.3) * len(y)))
    va, tr = idx[:n_val], idx[n_val:]
    if "train_rows" in c:
        tr = tr[: c["train_rows"]]
    xtr, ytr, xva, yva = x[tr], y[tr].copy(), x[va], y[va]
    k = int(y.max()) + 1
    if c.get("label_noise", 0) > 0:  # flip a fraction of the training labels to another class
        flip = rng.rand(len(ytr)) < c["label_noise"]
        ytr[flip] = (ytr[flip] + rng.randint(1, k, size=flip.sum())) % k
    if c.get("scale", "standard") == "standard":
        mu, sd = xtr.mean(0), xtr.std(0)
        sd[sd < 1e-8] = 1.0
        xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    return (torch.tensor(xtr, dtype=torch.float32), torch.tensor(ytr), torch.tensor(xva, dtype=torch.float32), torch.tensor(yva), k)


# ---------------------------------------------------------------------------------------------
# models, optimizers, schedules

class MLP(nn.Module):
    """Fully connected net: widths of the hidden layers, activation, optional dropout."""

    def __init__(self, d, k, hidden, act="relu", dropout=0.0):
        super().__init__()
        layers, w = [], d
        for h in hidden:
            layers += [nn.Linear(w, h), {"relu": nn.ReLU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid()}[act]]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            w = h
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(w, k)

    def forward(self, x):
        return self.head(self.body(x))


class SmallCnn(nn.Module):
    """Two 3x3 convolutions on the 8x8 digit image, a 2x2 max-pool, an optional bottleneck, a linear head."""

    def __init__(self, k, c1=8, c2=16, bottleneck=0):
        super().__init__()
        self.body = nn.Sequential(
            nn.Unflatten(1, (1, 8, 8)),
            nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(),
            nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten())
        w = c2 * 16
        if bottleneck:
            self.body.append(nn.Linear(w, bottleneck))
            self.body.append(nn.ReLU())
            w = bottleneck
        self.head = nn.Linear(w, k)

    def forward(self, x):
        return self.head(self.body(x))


def build(c, d, k):
    m = c.get("model", "linear")
    if m == "linear":
        return nn.Linear(d, k)
    if m == "mlp":
        return MLP(d, k, c["hidden"], c.get("act", "relu"), c.get("dropout", 0.0))
    if m == "cnn":
        return SmallCnn(k, c.get("c1", 8), c.get("c2", 16), c.get("bottleneck", 0))
    raise ValueError(m)


def optimizer(c, params):
    name, lr, wd = c["opt"], c["lr"], c.get("wd", 0.0)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=c.get("momentum", 0.9), weight_decay=wd)
    if name == "nesterov":
        return torch.optim.SGD(params, lr=lr, momentum=c.get("momentum", 0.9), nesterov=True, weight_decay=wd)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, weight_decay=wd)
    raise ValueError(name)


def scheduler(c, opt, total):
    s = c.get("sched")
    if s is None:
        return None
    if s == "step":  # StepLR every `every` fraction of the run
        return torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, int(c.get("every", 0.3) * total)), gamma=c.get("gamma", 0.3))
    if s == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)
    if s == "warmup":  # linear warm-up over `warm` of the run, then constant
        w = max(1, int(c.get("warm", 0.1) * total))
        return torch.optim.lr_scheduler.LambdaLR(opt, lambda t: min(1.0, (t + 1) / w))
    if s == "warmup_cosine":
        w = max(1, int(c.get("warm", 0.1) * total))
        return torch.optim.lr_scheduler.LambdaLR(opt, lambda t: (t + 1) / w if t < w else 0.5 * (1 + math.cos(math.pi * (t - w) / max(1, total - w))))
    if s == "exp":  # exponential lr change per step (gamma > 1 raises it)
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=c["gamma"])
    raise ValueError(s)


def loss_fn(c, out, y, k):
    if c.get("loss", "ce") == "mse":  # squared error against one-hot targets
        return F.mse_loss(out, F.one_hot(y, k).float())
    return F.cross_entropy(out, y)


# ---------------------------------------------------------------------------------------------
# training

_PRETRAINED = {}


def pretrain_backbone(c, d):
    """Trains an MLP on digits 0-4 (Adam, 15 epochs) and returns its state for fine-tuning on digits 5-9."""
    key = (c["seed"], tuple(c["hidden"]))
    if key not in _PRETRAINED:
        _PRETRAINED[key] = _pretrain(c, d)
    return _PRETRAINED[key]


def _pretrain(c, d):
    p = dict(data="digits", classes=[0, 1, 2, 3, 4], seed=c["seed"] + 1000, model="mlp", hidden=c["hidden"])
    xtr, ytr, _, _, k = split(p)
    torch.manual_seed(p["seed"])
    m = build(p, d, k)
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(p["seed"])
    for _ in range(15):
        for b in torch.randperm(len(ytr), generator=g).split(64):
            opt.zero_grad()
            F.cross_entropy(m(xtr[b]), ytr[b]).backward()
            opt.step()
    return m.body.state_dict()


def train(c):
    """Runs recipe c; returns (loss_steps, loss, val_steps, val_loss) with the full training-loss series."""
    xtr, ytr, xva, yva, k = split(c)
    d = xtr.shape[1]
    torch.manual_seed(c["seed"])
    model = build(c, d, k)
    if "finetune" in c:
        model.body.load_state_dict(pretrain_backbone(c, d))
        if c["finetune"] == "frozen":
            for p in model.body.parameters():
                p.requires_grad_(False)
    if "init_scale" in c:  # poor initialization: every weight matrix scaled
        with torch.no_grad():
            for name, p in model.named_parameters():
                if p.dim() > 1 and (c.get("init_where", "all") == "all" or not name.startswith("head")):
                    p.mul_(c["init_scale"])
    params = [p for p in model.parameters() if p.requires_grad]
    opt = optimizer(c, params)
    batch = c.get("batch")
    n = len(ytr)
    epochs = c["epochs"]
    per_epoch = 1 if batch is None else math.ceil(n / batch)
    sched = scheduler(c, opt, epochs * per_epoch)
    val_every = c.get("val_every", max(1, epochs // 40))
    clip = c.get("clip")
    g = torch.Generator().manual_seed(c["seed"])
    loader = None
    if c.get("loader") and batch is not None:
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=batch, shuffle=True, generator=g)
    ls, lv, vs, vv = [], [], [], []

    def val_loss():
        model.eval()
        with torch.no_grad():
            v = loss_fn(c, model(xva), yva, k).item()
        model.train()
        return v

    def update(xb, yb):
        opt.zero_grad()
        loss = loss_fn(c, model(xb), yb, k)
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        if sched is not None:
            sched.step()
        return loss.item()

    step = 0
    if batch is not None:
        with torch.no_grad():
            model.eval()
            l0 = loss_fn(c, model(xtr), ytr, k).item()
            model.train()
        ls.append(0), lv.append(l0)
        vs.append(0), vv.append(val_loss())
    for e in range(epochs):
        if batch is None:  # full batch: the loss of this step's forward pass (before its update)
            if e % val_every == 0:
                vs.append(step), vv.append(val_loss())
            loss = update(xtr, ytr)
            ls.append(step), lv.append(loss)
            step += 1
        else:
            total = 0.0
            batches = loader if loader is not None else ((xtr[b], ytr[b]) for b in torch.randperm(n, generator=g).split(batch))
            for xb, yb in batches:
                total += update(xb, yb)
                step += 1
            loss = total / per_epoch
            ls.append(step), lv.append(loss)
            if (e + 1) % val_every == 0:
                vs.append(step), vv.append(val_loss())
        if not math.isfinite(loss):
            break
    return ls, lv, vs, vv


# ---------------------------------------------------------------------------------------------
# the labeling rules of data/curves-torch/README.md

def q(v, a, b):
    n = len(v)
    i, j = int(math.floor(a * n)), int(math.floor(b * n))
    j = max(j, i + 1)
    return float(np.mean(v[i:j]))


def measure(ls, lv, vs, vv):
    """The numbers the rules read, on the full series."""
    r = {"points": len(lv)}
    finite = all(math.isfinite(x) for x in lv)
    r["finite"] = 1 if finite else 0
    L = np.array([x if math.isfinite(x) else np.nan for x in lv], dtype=np.float64)
    if not finite or len(L) < 4:
        r["l0"] = float(L[0])
        if finite:
            r["l_end"] = q(L, 0.9, 1.0)
        return r
    n = len(L)
    l0, lend = float(L[0]), q(L, 0.9, 1.0)
    gain = l0 - lend
    q75, q50, q05 = q(L, 0.7, 0.8), q(L, 0.45, 0.55), q(L, 0.0, 0.1)
    h = L[n // 2:]
    swing = float(np.mean(np.abs(np.diff(h)))) if len(h) > 1 else 0.0
    t = np.arange(len(h), dtype=np.float64)
    slope = float(np.polyfit(t, h, 1)[0]) if len(h) > 1 else 0.0
    r.update(l0=l0, l_end=lend, drop=gain / l0,
             late_share=(q75 - lend) / gain if gain != 0 else float("inf"),
             late_rel=(q75 - lend) / lend,
             linearity=(q50 - lend) / (q05 - q50) if q05 != q50 else float("inf"),
             swing=swing, swing_ratio=swing / max(gain, 0.1 * lend),
             trend_fall=-slope * len(h), second_half_mean=float(np.mean(h)))
    if len(vv) > 0 and all(math.isfinite(x) for x in vv):
        V = np.array(vv)
        m = len(V)
        imin = int(np.argmin(V))
        vmin = float(V[imin])
        vend = float(np.mean(V[m - max(1, int(round(0.1 * m))):]))
        vlate = q(V, 0.7, 0.8)
        at = max(i for i in range(n) if ls[i] <= vs[imin]) if ls[0] <= vs[imin] else 0
        r.update(val_points=m, v_min=vmin, v_min_at=vs[imin] / max(1, ls[-1]), v_end=vend,
                 # amended: no rise while the minimum lies among the last 10 % of the val points
                 v_rise=0.0 if imin >= m - max(1, int(round(0.1 * m))) else (vend - vmin) / vmin, v_late_rel=(vlate - vend) / vend,
                 train_fall_after_v_min=(float(L[at]) - lend) / float(L[at]))
    return r


def confirm(label, r):
    """Whether the measured curve satisfies its label's rule; returns (ok, first failing condition)."""
    n, fin = r["points"], r["finite"] == 1

    def check(conds):
        for name, ok in conds:
            if not ok:
                return False, name
        return True, ""

    if label == "insufficient_data":
        return check([("n<20", n < 20), ("finite", fin)])
    if label == "diverging":
        return check([("n>=20", n >= 20), ("nonfinite or L_end>=10 L0", (not fin) or r["l_end"] >= 10 * r["l0"])])
    base = [("n>=20", n >= 20), ("finite", fin)]
    ok, why = check(base)
    if not ok:
        return ok, why
    hasv = "v_rise" in r
    if label == "overfitting":
        return check([("val>=5", r.get("val_points", 0) >= 5), ("v_min_at<=0.6", hasv and r["v_min_at"] <= 0.6),
                      ("v_rise>=0.10", hasv and r["v_rise"] >= 0.10), ("train_fall_after_v_min>=0.10", hasv and r["train_fall_after_v_min"] >= 0.10)])
    if label == "healthy_convergence":
        return check([("drop>=0.5", r["drop"] >= 0.5), ("late_share<=0.02", r["late_share"] <= 0.02), ("swing_ratio<=0.1", r["swing_ratio"] <= 0.1),
                      ("v_rise<=0.05", not hasv or r["v_rise"] <= 0.05), ("|v_late_rel|<=0.02", not hasv or abs(r["v_late_rel"]) <= 0.02)])
    if label == "still_improving":
        return check([("drop>=0.2", r["drop"] >= 0.2), ("late_share>=0.05", r["late_share"] >= 0.05), ("late_rel>=0.03", r["late_rel"] >= 0.03),
                      ("swing_ratio<=0.1", r["swing_ratio"] <= 0.1), ("v_rise<=0.05", not hasv or r["v_rise"] <= 0.05)])
    if label == "slow_progress":
        return check([("drop>=0.002", r["drop"] >= 0.002), ("drop<0.2", r["drop"] < 0.2), ("linearity>=0.6", r["linearity"] >= 0.6),
                      ("late_share>=0.1", r["late_share"] >= 0.1), ("swing_ratio<=0.25", r["swing_ratio"] <= 0.25),
                      ("v_rise<=0.05", not hasv or r["v_rise"] <= 0.05)])
    if label == "underfitting":
        return check([("drop<0.5", r["drop"] < 0.5), ("|late_rel|<=0.01", abs(r["late_rel"]) <= 0.01), ("late_share<=0.05", r["late_share"] <= 0.05),
                      ("swing<=0.01 L_end", r["swing"] <= 0.01 * r["l_end"]),
                      ("v_rise<=0.05", not hasv or r["v_rise"] <= 0.05), ("|v_late_rel|<=0.01", not hasv or abs(r["v_late_rel"]) <= 0.01)])
    if label == "oscillating":
        return check([("Q(0.5,1)<3 L0", r["second_half_mean"] < 3 * r["l0"]), ("swing_ratio>=0.3", r["swing_ratio"] >= 0.3),
                      ("trend_fall<swing", r["trend_fall"] < r["swing"])])
    raise ValueError(label)


# ---------------------------------------------------------------------------------------------
# output

def g7(v):
    if isinstance(v, int):
        return v
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return float(f"{v:.7g}")


def cut(steps, values):
    """The series up to and including its first non-finite value."""
    for i, v in enumerate(values):
        if not math.isfinite(v):
            return steps[: i + 1], values[: i + 1]
    return steps, values


def describe(c):
    keys = [k for k in c if k not in ("id", "family", "label", "set")]
    return "torch " + torch.__version__.split("a")[0] + "; " + ", ".join(f"{k}={c[k]}" for k in keys)


def to_line(c, rule, ls, lv, vs, vv):
    ls, lv = cut(ls, lv)
    vs, vv = cut(vs, vv)
    stride = max(1, math.ceil(len(lv) / MAX_POINTS))
    keep = [i for i in range(len(lv)) if i % stride == 0 or i == len(lv) - 1]
    obj = {"id": c["id"], "family": c["family"], "label": c["label"],
           "rule": {k: g7(v) for k, v in rule.items()}, "spec": describe(c), "stride": stride,
           "loss_steps": [ls[i] for i in keep], "loss": [g7(lv[i]) for i in keep],
           "val_steps": vs, "val_loss": [g7(v) for v in vv]}
    return json.dumps(obj, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------

def main():
    from recipes import recipes  # noqa: E402  (bench/curves-torch/recipes.py)
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["dev", "holdout", "all"], default="all")
    ap.add_argument("--probe", default=None, help="run recipes whose id contains this, print the rule numbers, write nothing")
    a = ap.parse_args()
    start = time.time()
    sets = ["dev", "holdout"] if a.set == "all" else [a.set]
    for s in sets:
        kept, dropped, lines = {}, {}, []
        t0 = time.time()
        for c in recipes(s):
            if a.probe is not None and a.probe not in c["id"]:
                continue
            t1 = time.process_time()
            ls, lv, vs, vv = train(c)
            rule = measure(ls, lv, vs, vv)
            ok, why = confirm(c["label"], rule)
            lab = c["label"]
            if a.probe is not None:
                nums = " ".join(f"{k}={v:.3g}" for k, v in rule.items())
                print(f"{c['id']:<52} {lab:<19} {'ok' if ok else 'FAIL ' + why:<30} {time.process_time() - t1:5.1f}s cpu\n    {nums}", flush=True)
                continue
            if ok:
                kept[lab] = kept.get(lab, 0) + 1
                lines.append(to_line(c, rule, ls, lv, vs, vv))
            else:
                dropped[lab] = dropped.get(lab, 0) + 1
                print(f"  dropped {c['id']} ({lab}): fails {why}", flush=True)
        if a.probe is not None:
            continue
        path = os.path.join(ROOT, "data", "curves-torch", s + ".jsonl")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{s}: wrote {len(lines)} curves to {os.path.relpath(path, ROOT)} in {time.time() - t0:.0f} s")
        for lab in sorted(set(kept) | set(dropped)):
            print(f"  {lab:<20} kept {kept.get(lab, 0):3d}  dropped {dropped.get(lab, 0):3d}")
    print(f"total {time.time() - start:.0f} s")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
