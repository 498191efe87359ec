"""The transport's guarantees against small stand-in servers (no .NET needed): Retry-After, idempotent retries,
log never blocking on the network, the spool lock, disabled mode."""

from __future__ import annotations

import email.utils
import fcntl
import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

import pytest

import tracker
from tracker._http import parse_retry_after
from tracker._spool import lock_path


class FakeServer:
    """Answers run creation, then the metric POSTs from a script of (status, headers) answers, recording every body."""

    def __init__(self, answers: List[Any]) -> None:
        self.answers = list(answers)
        self.posts: List[Dict[str, Any]] = []
        self.times: List[float] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, status: int, payload: Any, headers: Dict[str, str] = {}) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path.endswith("/runs"):
                    return self._reply(201, {"id": body["id"], "name": "fake", "state": "running"})
                fake.posts.append(body)
                fake.times.append(time.monotonic())
                status, headers = fake.answers.pop(0) if fake.answers else (200, {})
                if status == 200:
                    return self._reply(200, {"accepted": len(body["points"]), "duplicate": False,
                                             "advice": {"shouldStop": True, "reason": "enough", "bestStep": 3,
                                                        "pattern": "overfitting", "action": "stop training; restore step 3"}})
                self._reply(status, {"title": "busy", "status": status}, headers)

            def do_PATCH(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                self._reply(200, {"state": "finished"})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_retry_after_is_parsed_as_seconds_or_a_date() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= parse_retry_after(later) <= 31


def test_a_retried_batch_waits_for_retry_after_and_keeps_its_seq(tmp_path: Any) -> None:
    fake = FakeServer([(503, {"Retry-After": "1"}), (429, {"Retry-After": "0"})])
    try:
        settings = tracker.Settings(retry_base_delay=5.0)  # so only Retry-After can explain a short wait
        run = tracker.init(project="p", url=fake.url, spool_dir=str(tmp_path), settings=settings)
        run.log({"loss": 0.5, "val_loss": 0.7}, step=3)
        assert run.flush(10)
        assert len(fake.posts) == 3
        assert fake.posts[0] == fake.posts[1] == fake.posts[2], "a retry sends the same body, seq included"
        assert 0.9 <= fake.times[1] - fake.times[0] < 3.0, "waited for Retry-After: 1"
        assert fake.times[2] - fake.times[1] < 1.0, "Retry-After: 0 retries at once"
        assert run.advice == tracker.Advice(True, "enough", "overfitting", "stop training; restore step 3", 3)
        run.finish()
        assert not os.path.exists(run.spool_path)
    finally:
        fake.close()


def test_log_never_blocks_on_a_server_that_does_not_answer(tmp_path: Any) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # connections complete in the kernel's backlog; nothing ever answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        settings = tracker.Settings(attempt_timeout=1.0, max_retries=0, flush_timeout=0.5)
        warnings: List[str] = []
        run = tracker.init(project="p", url=url, spool_dir=str(tmp_path), settings=settings, on_warning=warnings.append)
        started = time.perf_counter()
        for step in range(20_000):
            run.log({"loss": 1.0, "acc": 0.5, "lr": 0.1, "val_loss": 2.0}, step=step)
        elapsed = time.perf_counter() - started
        assert elapsed < 2.0, f"20,000 log calls took {elapsed:.2f} s with the server hanging"
        run.finish()
        spooled = tracker.read_spool(run.spool_path)
        assert sum(len(b["points"]) for b in spooled["batches"]) == 80_000, "nothing lost"
        assert spooled["finish"] == "finished"
        assert len({b["seq"] for b in spooled["batches"]}) == len(spooled["batches"]), "every batch has its own seq"
    finally:
        listener.close()


def test_the_spool_is_locked_while_the_run_writes_it(tmp_path: Any) -> None:
    run = tracker.init(project="p", mode="offline", spool_dir=str(tmp_path), on_warning=lambda _: None)
    run.log({"loss": 1.0}, step=0)
    fd = os.open(lock_path(run.spool_path), os.O_RDWR)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # what `tracker sync` (.NET FileShare.None) takes
        run.finish()
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released at finish
    finally:
        os.close(fd)
    header = tracker.read_spool(run.spool_path)["header"]
    assert header == {"spool": 1, "runId": run.id, "project": "p", "resume": "Never", "create": {"id": run.id}}


def test_disabled_mode_does_nothing(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_MODE", "disabled")
    with tracker.init(project="p", spool_dir=str(tmp_path)) as run:
        run.log({"loss": 1.0})
        assert run.advice.should_stop is False and run.advice.reason == "continue"
    assert run.mode == "disabled"
    assert not os.listdir(tmp_path), "no spool, no lock"


def test_bad_keys_steps_and_values_are_skipped_with_one_warning(tmp_path: Any) -> None:
    warnings: List[str] = []
    run = tracker.init(project="p", mode="offline", spool_dir=str(tmp_path), on_warning=warnings.append)
    for step in range(3):
        run.log({"ok": step, "bad key!": 1.0, "text": "x"}, step=step)
    run.log({"ok": 1.0}, step=-1)
    run.finish()
    points = [p for b in tracker.read_spool(run.spool_path)["batches"] for p in b["points"]]
    assert [(p["key"], p["step"], p["value"]) for p in points] == [("ok", 0, 0.0), ("ok", 1, 1.0), ("ok", 2, 2.0)]
    assert len([w for w in warnings if "bad key!" in w]) == 1
    assert len([w for w in warnings if "'text'" in w]) == 1
    assert len([w for w in warnings if "negative step" in w]) == 1
