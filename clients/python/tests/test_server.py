"""The client against a real Tracker server (SQLite and PostgreSQL), as a training script uses it."""

from __future__ import annotations

import math
import os
import random
import socket
import time

import pytest

import tracker
from conftest import ADMIN_KEY, Server, cli, value_of

FAST_RETRIES = tracker.Settings(max_retries=1, retry_base_delay=0.05, replay_max_delay=0.3, attempt_timeout=5, flush_timeout=60)


def start(server: Server, spool_dir: str, **kwargs):
    return tracker.init(project="python-client", url=server.url, api_key=ADMIN_KEY, spool_dir=spool_dir, **kwargs)


def test_logged_points_query_back_exactly(server: Server, spool_dir: str) -> None:
    rng = random.Random(16)
    steps = 2500
    expected = {k: [rng.random() * 10 ** rng.randint(-30, 30) * rng.choice((-1, 1)) for _ in range(steps)]
                for k in ("loss", "val_loss", "lr", "train/acc")}
    expected["loss"][7] = 5e-324  # the smallest subnormal
    expected["loss"][8] = 1.7976931348623157e308
    with start(server, spool_dir, name="exact", config={"lr": 3e-4, "layers": (64, 64), "tracker.analysis": {"patience": 50}},
               tags=["py", "exact"], group="sweep-1", notes="round trip") as run:
        for step in range(steps):
            run.log({k: v[step] for k, v in expected.items()}, step=step)
        assert run.summary["lr"] == expected["lr"][-1]
        assert run.flush(30)
        assert run.sent_points == 4 * steps
    stored = server.run(run.id)
    assert stored["state"] == "finished"
    assert (stored["name"], stored["group"], sorted(stored["tags"]), stored["notes"]) == ("exact", "sweep-1", ["exact", "py"], "round trip")
    assert stored["config"] == {"lr": 3e-4, "layers": [64, 64], "tracker.analysis": {"patience": 50}}
    for key, values in expected.items():
        points = server.history(run.id, key)
        assert [p["step"] for p in points] == list(range(steps))
        assert [value_of(p) for p in points] == values, key
        assert stored["summary"][key]["count"] == steps
    assert not os.path.exists(run.spool_path), "a clean run leaves no spool"


def test_nan_and_infinities_round_trip(server: Server, spool_dir: str) -> None:
    values = [float("nan"), float("inf"), float("-inf"), 1.5, -0.0, float("nan")]
    with start(server, spool_dir, name="non-finite") as run:
        for step, v in enumerate(values):
            run.log({"weird": v}, step=step)
    points = server.history(run.id, "weird")
    got = [value_of(p) for p in points]
    assert math.isnan(got[0]) and math.isnan(got[5])
    assert got[1:5] == [math.inf, -math.inf, 1.5, 0.0]
    summary = server.run(run.id)["summary"]["weird"]
    assert (float(summary["min"]), float(summary["max"])) == (-math.inf, math.inf)  # min/max ignore NaN


def test_advice_arrives_and_should_stop_flips_when_the_curve_stops_improving(server: Server, spool_dir: str) -> None:
    config = {"tracker.analysis": {"monitor": "val_loss", "mode": "min", "patience": 3, "min_delta": 1e-3}}
    with start(server, spool_dir, name="plateau", config=config) as run:
        seen = []
        run.on_advice(seen.append)
        curve = [1.0 / (1 + e) for e in range(10)] + [0.1 + 0.01 * e for e in range(1, 12)]  # best at epoch 9
        stopped_at = None
        for epoch, val_loss in enumerate(curve):
            run.log({"loss": val_loss * 0.9, "val_loss": val_loss}, step=epoch)
            assert run.flush(10)
            if epoch < 10:
                assert not run.advice.should_stop, run.advice
            if run.advice.should_stop:
                stopped_at = epoch
                break
        advice = run.advice
    assert stopped_at is not None and stopped_at <= 9 + 3 + 1, f"advice never said stop: {advice}"
    assert advice.best_step == 9
    assert advice.reason and advice.reason != "continue"
    assert advice.action.startswith("stop")
    assert advice.pattern
    assert seen and seen[-1] == advice


def test_server_killed_mid_run_stores_every_point_once(server: Server, spool_dir: str) -> None:
    # The shared server is killed (SIGKILL, as a crash) and started again on the same port and store.
    steps, kill_at, restart_at = 600, 200, 400
    warnings = []
    run = start(server, spool_dir, name="outage", settings=FAST_RETRIES, on_warning=warnings.append)
    for step in range(steps):
        if step == kill_at:
            run.flush(10)
            time.sleep(0.1)
            server.kill()
        if step == restart_at:
            time.sleep(1.0)  # the sender gives up its retries and spools
            assert os.path.exists(run.spool_path), "an outage spools"
            server.start()
        run.log({"loss": 1.0 / (step + 1), "step_value": float(step)}, step=step)
        if step % 20 == 0:
            time.sleep(0.02)
    run.finish()
    assert any("unreachable" in w for w in warnings), warnings
    for key in ("loss", "step_value"):
        points = server.history(run.id, key)
        assert [p["step"] for p in points] == list(range(steps)), f"{key}: every step exactly once"
    assert [value_of(p) for p in server.history(run.id, "step_value")] == [float(s) for s in range(steps)]
    assert server.run(run.id)["state"] == "finished"
    assert not os.path.exists(run.spool_path), "replayed spool is removed at finish"


def test_server_absent_for_the_whole_run_spools_then_tracker_sync_uploads(server: Server, spool_dir: str) -> None:
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    warnings = []
    run = tracker.init(project="python-offline", name="absent", config={"lr": 0.01}, tags=["spooled"], url=dead,
                       api_key=ADMIN_KEY, spool_dir=spool_dir, settings=tracker.Settings(flush_timeout=1.0),
                       on_warning=warnings.append)
    for step in range(300):
        run.log({"loss": 2.0 / (step + 1), "acc": step / 300, "odd": float("nan") if step == 5 else 0.0}, step=step)
    run.finish()
    spooled = tracker.read_spool(run.spool_path)
    assert spooled["finish"] == "finished"
    assert sum(len(b["points"]) for b in spooled["batches"]) == 900
    assert spooled["header"]["runId"] == run.id and spooled["header"]["create"]["name"] == "absent"

    result = cli("sync", spool_dir, "--url", server.url, "--api-key", ADMIN_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "900 points" in result.stdout, result.stdout
    stored = server.run(run.id)
    assert (stored["project"], stored["name"], stored["tags"], stored["config"]) == ("python-offline", "absent", ["spooled"], {"lr": 0.01})
    assert stored["state"] == "finished"
    assert [value_of(p) for p in server.history(run.id, "loss")] == [2.0 / (s + 1) for s in range(300)]
    assert math.isnan(value_of(server.history(run.id, "odd")[5]))
    assert not os.path.exists(run.spool_path)


def test_offline_mode_writes_a_spool_that_tracker_sync_uploads(server: Server, spool_dir: str) -> None:
    run = tracker.init(project="python-offline", name="offline", mode="offline", spool_dir=spool_dir, on_warning=lambda _: None)
    for step in range(50):
        run.log({"loss": 1.0 / (step + 1)}, step=step)
    run.finish("failed")
    result = cli("sync", run.spool_path, "--url", server.url, "--api-key", ADMIN_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.run(run.id)["state"] == "failed"
    assert len(server.history(run.id, "loss")) == 50


def test_context_manager_marks_the_run_failed_on_an_exception(server: Server, spool_dir: str) -> None:
    with pytest.raises(ZeroDivisionError):
        with start(server, spool_dir, name="crashes") as run:
            run.log({"loss": 1.0}, step=0)
            _ = 1 / 0
    stored = server.run(run.id)
    assert stored["state"] == "failed"
    assert stored["summary"]["loss"]["count"] == 1


def test_resume_allow_continues_the_same_run(server: Server, spool_dir: str) -> None:
    with start(server, spool_dir, name="first") as run:
        run.log({"loss": 1.0}, step=0)
    with start(server, spool_dir, id=run.id, resume="allow") as again:
        again.log({"loss": 0.5}, step=1)
    assert [value_of(p) for p in server.history(run.id, "loss")] == [1.0, 0.5]
    with pytest.raises(ValueError):
        start(server, spool_dir, id=run.id)  # resume="never" refuses an existing id


def test_gradient_norms_of_a_torch_module_use_the_csharp_series_names(server: Server, spool_dir: str) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    torch.nn.functional.cross_entropy(model(torch.randn(32, 8)), torch.randint(0, 3, (32,))).backward()
    total = float(torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf")))
    with start(server, spool_dir, name="grads") as run:
        run.log_gradient_norms(model, step=0)
    series = {s["key"]: s["summary"]["last"] for s in server.api("GET", f"/api/v1/runs/{run.id}/metrics")["series"]}
    assert set(series) == {"grad_norm/0", "grad_norm/2", "grad_norm/total"}
    first = math.sqrt(float(model[0].weight.grad.norm()) ** 2 + float(model[0].bias.grad.norm()) ** 2)
    assert series["grad_norm/0"] == pytest.approx(first, rel=1e-6)
    assert series["grad_norm/total"] == pytest.approx(total, rel=1e-6)
    assert series["grad_norm/total"] == pytest.approx(math.hypot(series["grad_norm/0"], series["grad_norm/2"]), rel=1e-12)
