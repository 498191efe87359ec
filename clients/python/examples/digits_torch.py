"""Trains an MLP (64-128-128-10, ReLU, Adam, cosine lr) with PyTorch on the digits data set in data/ and logs it to
Tracker: loss, lr and per-layer gradient norms every step, val_loss and val_accuracy every epoch. It stops on the
server's early-stopping advice and restores the weights of the best epoch (kept in memory).

    TRACKER_URL=http://localhost:5040 TRACKER_API_KEY=trk_... /usr/bin/python3 clients/python/examples/digits_torch.py

(Debian's python3-torch runs it: ``apt-get install -y python3-torch``.)
"""

from __future__ import annotations

import copy
import csv
import math
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # run from a checkout, uninstalled
import tracker  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "data", "digits.csv")


def load_digits() -> tuple:
    with open(DATA, newline="") as f:
        rows = list(csv.reader(f))[1:]
    x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
    y = torch.tensor([int(float(r[-1])) for r in rows])
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(42))
    x, y = x[order], y[order]
    split = int(0.8 * len(rows))
    mean, std = x[:split].mean(0), x[:split].std(0).clamp_min(1e-6)  # standardize on the training part
    x = (x - mean) / std
    return x[:split], y[:split], x[split:], y[split:]


def main() -> None:
    torch.manual_seed(0)
    x_train, y_train, x_val, y_val = load_digits()
    epochs, batch, lr, width = int(os.environ.get("EPOCHS", "100")), 64, 3e-3, 128
    model = nn.Sequential(nn.Linear(64, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps_per_epoch = math.ceil(len(x_train) / batch)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch)
    config = {
        "model": f"mlp 64-{width}x2-10 relu", "optimizer": "adam", "lr": lr, "batch": batch, "epochs": epochs,
        "tracker.analysis": {"monitor": "val_loss", "patience": 8, "min_delta": 1e-4, "restore_best_weights": True},
    }
    best_state, best_val = None, math.inf
    step = 0
    with tracker.init(project=os.environ.get("TRACKER_PROJECT", "digits"), name=f"torch-mlp-{width}x2-adam",
                      config=config, tags=["example", "torch", "digits"]) as run:
        run.on_advice(lambda a: print(f"advice: {a.reason} (pattern {a.pattern}, best step {a.best_step})"))
        for epoch in range(epochs):
            model.train()
            for idx in torch.randperm(len(x_train)).split(batch):
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
                loss.backward()
                run.log_gradient_norms(model, step)             # grad_norm/0, grad_norm/2, grad_norm/4, grad_norm/total
                optimizer.step()
                run.log({"loss": loss.item(), "lr": scheduler.get_last_lr()[0]}, step=step)
                scheduler.step()
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(x_val)
                val_loss = nn.functional.cross_entropy(logits, y_val).item()
                accuracy = (logits.argmax(1) == y_val).float().mean().item()
            run.log({"val_loss": val_loss, "val_accuracy": accuracy, "epoch": epoch}, step=step - 1)
            if val_loss < best_val:
                best_val, best_state = val_loss, copy.deepcopy(model.state_dict())
            print(f"epoch {epoch:3}: val_loss {val_loss:.4f}  val_accuracy {accuracy:.1%}")
            run.flush(5)  # wait for this epoch's acknowledgement, so the advice below covers it
            if run.advice.should_stop:
                print(f"stopping early: {run.advice.reason}; {run.advice.action}")
                break
        if best_state is not None:
            model.load_state_dict(best_state)  # the best epoch's weights (the advice's best step)
        print(f"run {run.id} finished; best val_loss {best_val:.4f}")


if __name__ == "__main__":
    main()
