"""Moves a run's points from the training thread to the server, as the C# SDK's RunTransport does.

The training thread appends one chunk per ``log`` call to a deque (no lock, no I/O). One background thread wakes every
``flush_interval`` (or at once when ``batch_trigger_points`` wait), takes whatever accumulated (at most
``max_batch_points``), gives it the next sequence number and POSTs it, retrying transient failures with exponential
backoff and jitter, honouring ``Retry-After``. A batch that still fails is appended to the spool (fsynced) and the
thread switches to replay: it probes the server (at most ``replay_max_delay`` apart) and sends spooled batches oldest
first; while any is waiting, new batches go to the spool behind it, so order is kept and memory stays bounded. Every
body (with its ``seq``) is written once, so a retry or a replay is idempotent: the server stores a (run, seq) once.
"""

from __future__ import annotations

import collections
import json
import random
import threading
import time
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from ._config import Settings
from ._http import NETWORK_ERRORS, HttpJson, TrackerApiError, api_error, is_transient_status
from ._spool import SpoolFile, spool_path
from ._warnings import RunWarnings

# One log call: (step, time in epoch ms, [(key, value), ...]).
Chunk = Tuple[int, int, List[Tuple[str, float]]]

_SPECIAL = {"nan": '"NaN"', "inf": '"Infinity"', "-inf": '"-Infinity"'}

STORED, TRANSIENT, NOT_RUNNING, PARKED, REJECTED = "stored", "transient", "not_running", "parked", "rejected"


def classify(status: int) -> str:
    """How an HTTP status is handled (the C# SDK's RunServer.Classify)."""
    if is_transient_status(status):
        return TRANSIENT
    if status == 409:
        return NOT_RUNNING
    if status in (400, 413, 422):
        return REJECTED
    return PARKED


class Transport:
    """The background side of one run; see the module's docstring."""

    def __init__(self, run_id: str, project: str, header: bytes, create: Dict[str, Any], resume: str,
                 url: Optional[str], api_key: Optional[str], run_ready: bool, spool_dir: str, settings: Settings,
                 warnings: RunWarnings, on_advice: Callable[[Dict[str, Any]], None]) -> None:
        self.run_id = run_id
        self._project = project
        self._header = header
        self._create = create
        self._resume = resume
        self._settings = settings
        self._warnings = warnings
        self._on_advice = on_advice
        self._spool_dir = spool_dir
        self._online = url is not None
        self._http = HttpJson(url, api_key, settings.attempt_timeout) if url is not None else None
        self._metrics_path = f"/api/v1/runs/{run_id}/metrics"
        self._run_path = f"/api/v1/runs/{run_id}"
        self._run_ready = run_ready

        self._queue: Deque[Chunk] = collections.deque()
        self._logged = 0  # points put by training threads
        self._drained = 0  # points taken by the background thread
        self._spilled = 0  # points a training thread wrote straight to the spool (back-pressure)
        self._handled = 0  # points acknowledged, written offline, parked or dropped
        self._progress = threading.Condition()
        self._urgent = threading.Event()
        self._closing = False
        self._abort = threading.Event()
        self._spill_until = 0.0

        self._drain_gate = threading.Lock()  # taking chunks off the queue (the sender, or a spilling training thread)
        self._gate = threading.Lock()  # the spool and the pending queue
        self._spool: Optional[SpoolFile] = None
        self._pending: Deque[Tuple[int, int, int]] = collections.deque()  # (offset, length, points) awaiting replay
        self._pending_points = 0
        self.parked_points = 0
        self.sent_points = 0
        self._refused = False

        self._seq_base = int(time.time() * 1000) * 1_000_000  # unique across sessions of a resumed run
        self._seq = 0
        self._seq_gate = threading.Lock()
        self._keys: Dict[str, str] = {}
        self._last_contact = time.monotonic()
        self._thread = threading.Thread(target=self._loop, name=f"tracker-{run_id}", daemon=True)
        if not self._online:
            self._ensure_spool()

    # ----- training thread -----------------------------------------------------------------------------------------

    def start(self) -> None:
        """Starts the background thread."""
        self._thread.start()

    def put(self, step: int, time_ms: int, items: List[Tuple[str, float]]) -> None:
        """Queues the points of one call; never does I/O unless the queue stayed full for ``backpressure_timeout``."""
        n = len(items)
        if self._closing:
            self._warnings.once("after-finish", "points logged after the run finished are ignored")
            return
        settings = self._settings
        if self._logged - self._drained - self._spilled + n > settings.capacity:
            if not self._wait_for_room(n):
                self._spill(step, time_ms, items)
                return
        self._queue.append((step, time_ms, items))
        self._logged += n
        if self._logged - self._drained - self._spilled >= settings.batch_trigger_points and not self._urgent.is_set():
            self._urgent.set()

    def _wait_for_room(self, n: int) -> bool:
        now = time.monotonic()
        if now < self._spill_until:
            return False
        self._urgent.set()
        deadline = now + self._settings.backpressure_timeout
        while time.monotonic() < deadline:
            time.sleep(0.001)
            if self._logged - self._drained - self._spilled + n <= self._settings.capacity:
                return True
        self._spill_until = time.monotonic() + 1.0
        self._warnings.once("spill", f"the queue ({self._settings.capacity} points) stayed full for "
                                     f"{self._settings.backpressure_timeout * 1000:.0f} ms; spilling points to {self.spool_path}")
        return False

    def _spill(self, step: int, time_ms: int, items: List[Tuple[str, float]]) -> None:
        """Writes everything queued, then this call's points, to the spool in batches of at most ``max_batch_points``
        (one fsync each, not one per call); the background thread replays them once it catches up."""
        self._spool_queue()
        body = self._body(self._next_seq(), [(step, time_ms, items)])
        self._append(body, len(items), pending=self._online)
        self._logged += len(items)
        self._spilled += len(items)
        if not self._online:
            self._advance(len(items))

    # ----- queries ---------------------------------------------------------------------------------------------------

    @property
    def spool_path(self) -> str:
        """The spool file's path (whether or not it exists yet)."""
        return spool_path(self._spool_dir, self.run_id)

    def flush(self, timeout: Optional[float]) -> bool:
        """Waits until every point queued so far was acknowledged (or written, offline); False on timeout."""
        target = self._logged
        deadline = None if timeout is None else time.monotonic() + timeout
        self._urgent.set()
        with self._progress:
            while self._handled < target:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._progress.wait(0.05 if left is None else min(left, 0.05))
                self._urgent.set()
        return True

    # ----- background thread -----------------------------------------------------------------------------------------

    def _loop(self) -> None:
        settings = self._settings
        replay_failures = 0
        try:
            while not self._abort.is_set():
                if not self._closing and self._logged - self._drained - self._spilled < settings.batch_trigger_points:
                    self._urgent.wait(self._wait_time())
                self._urgent.clear()
                if self._abort.is_set():
                    break
                if self._online and not self._refused and (self._pending or not self._run_ready):
                    if not self._replay():
                        self._spool_queue()
                        replay_failures += 1
                        delay = min(settings.replay_max_delay, settings.retry_base_delay * 2 ** min(replay_failures, 10))
                        self._abort.wait(delay * random.uniform(0.5, 1.0))
                        continue
                    replay_failures = 0
                points = self._drain(settings.max_batch_points)
                if points:
                    self._deliver(points)
                elif self._closing:
                    break
                else:
                    self._heartbeat_if_quiet()
        except Exception as e:  # never let the thread die silently with points queued
            self._warnings.warn(f"the background sender stopped ({e!r}); unsent points go to {self.spool_path}")
        finally:
            self._spool_queue()

    def _wait_time(self) -> float:
        return self._settings.flush_interval

    def _drain(self, limit: int) -> List[Chunk]:
        """Takes queued chunks, at most ``limit`` points (a bigger single chunk whole); both threads may call it."""
        queue = self._queue
        chunks: List[Chunk] = []
        n = 0
        with self._drain_gate:
            while queue:
                chunk = queue.popleft()
                size = len(chunk[2])
                if n and n + size > limit:
                    queue.appendleft(chunk)
                    break
                chunks.append(chunk)
                n += size
            self._drained += n
        return chunks

    def _next_seq(self) -> int:
        with self._seq_gate:
            self._seq += 1
            return self._seq_base + self._seq

    def _body(self, seq: int, chunks: List[Chunk]) -> bytes:
        """``{"seq":n,"points":[{key,step,value,time}]}``: keys JSON-encoded once, floats in shortest round-trip form."""
        keys = self._keys
        parts: List[str] = []
        append = parts.append
        for step, time_ms, items in chunks:
            mid = f',"step":{step},"value":'
            tail = f',"time":{time_ms}}}'
            for key, value in items:
                k = keys.get(key)
                if k is None:
                    k = keys[key] = '{"key":' + json.dumps(key)
                r = repr(value)
                if r[-1] > "9":
                    r = _SPECIAL[r]
                append(k + mid + r + tail)
        return f'{{"seq":{seq},"points":[{",".join(parts)}]}}'.encode()

    def _deliver(self, chunks: List[Chunk]) -> None:
        n = sum(len(c[2]) for c in chunks)
        body = self._body(self._next_seq(), chunks)
        if not self._online:
            self._append(body, n, pending=False)
            self._advance(n)
            return
        with self._gate:
            if self._pending or not self._run_ready:
                self._append_locked(body, n, pending=True)
                return
        status, ack, error = self._post(body, retries=self._settings.max_retries)
        if status == NOT_RUNNING and self._try_resume(error):
            status, ack, error = self._post(body, retries=self._settings.max_retries)
        if status == TRANSIENT:
            self._warnings.once("outage", f"server unreachable ({error}); spooling to {self.spool_path} until it answers")
            self._append(body, n, pending=True)
            return
        self._answered(status, ack, error, body, n)

    def _answered(self, status: str, ack: Optional[Dict[str, Any]], error: Optional[BaseException], body: bytes, n: int,
                  spooled: bool = False) -> None:
        if status == STORED:
            if not (ack or {}).get("duplicate"):
                self.sent_points += n
            advice = (ack or {}).get("advice")
            if advice:
                self._on_advice(advice)
        elif status == REJECTED:
            self._warnings.warn(f"server rejected a batch of {n} points and it was dropped: {error}")
        else:
            self._warnings.once(f"parked:{getattr(error, 'status', None)}",
                                f"server refused a batch ({error}); it is kept in {self.spool_path} for `tracker sync`, and the run continues")
            if spooled:
                with self._gate:
                    self.parked_points += n
            else:
                self._append(body, n, pending=False)
        self._advance(n)

    def _advance(self, n: int) -> None:
        with self._progress:
            self._handled += n
            self._progress.notify_all()

    def _post(self, body: bytes, retries: int) -> Tuple[str, Optional[Dict[str, Any]], Optional[BaseException]]:
        """POSTs one body with up to ``retries`` retries of transient failures; never raises."""
        assert self._http is not None
        settings = self._settings
        attempt = 0
        while True:
            self._last_contact = time.monotonic()
            retry_after: Optional[float] = None
            try:
                code, headers, data = self._http.request("POST", self._metrics_path, body)
                if 200 <= code < 300:
                    return STORED, json.loads(data) if data else None, None
                error: BaseException = api_error(code, headers, data)
                status = classify(code)
                retry_after = getattr(error, "retry_after", None)
            except NETWORK_ERRORS as e:
                error, status = e, TRANSIENT
            if status != TRANSIENT or attempt >= retries or self._abort.is_set():
                return status, None, error
            delay = min(settings.retry_max_delay, settings.retry_base_delay * 2 ** attempt) * random.uniform(0.5, 1.5)
            if retry_after is not None:
                delay = min(retry_after, 60.0)
            attempt += 1
            if self._abort.wait(delay):
                return TRANSIENT, None, error

    def _call(self, method: str, path: str, payload: Any = None) -> Any:
        assert self._http is not None
        self._last_contact = time.monotonic()
        return self._http.json(method, path, payload)

    def _try_resume(self, error: Optional[BaseException]) -> bool:
        """After a 409, resumes the run when the server marked it crashed (a long outage)."""
        try:
            run = self._call("GET", self._run_path)
            if run.get("state") != "crashed":
                return False
            self._call("PATCH", self._run_path, {"state": "running"})
            self._warnings.warn(f"run {self.run_id} had been marked crashed by the server; resumed it ({error})")
            return True
        except (TrackerApiError, *NETWORK_ERRORS):
            return False

    def _ensure_run(self) -> None:
        """Creates or resumes a run started while the server was unreachable (the C# SDK's deferred EnsureAsync)."""
        try:
            run = self._call("GET", self._run_path)
        except TrackerApiError as e:
            if e.status != 404:
                raise
            try:
                run = self._call("POST", f"/api/v1/projects/{self._project}/runs", self._create)
            except TrackerApiError as conflict:
                if conflict.status != 409:
                    raise
                run = self._call("GET", self._run_path)
        if run.get("state") != "running":
            self._call("PATCH", self._run_path, {"state": "running"})
        with self._gate:
            self._run_ready = True

    def _replay(self) -> bool:
        """Sends spooled batches oldest first; True when caught up, False while the server does not answer."""
        try:
            if not self._run_ready:
                self._ensure_run()
        except NETWORK_ERRORS:
            return False
        except TrackerApiError as e:
            if e.transient:
                return False
            self._park_everything(f"server refused the run ({e}); its points stay in {self.spool_path} for `tracker sync`")
            return True
        replayed = 0
        while True:
            with self._gate:
                if not self._pending:
                    break
                offset, length, n = self._pending[0]
                spool = self._spool
            assert spool is not None
            body = spool.read(offset, length)
            status, ack, error = self._post(body, retries=0)
            if status == NOT_RUNNING and self._try_resume(error):
                continue
            if status == TRANSIENT:
                return False
            with self._gate:
                self._pending.popleft()
                self._pending_points -= n
            self._answered(status, ack, error, body, n, spooled=True)
            replayed += 1
        if replayed:
            self._warnings.info(f"server answers again; replayed {replayed} spooled batches")
        self._warnings.reset("outage")
        return True

    def _park_everything(self, message: str) -> None:
        self._warnings.once("refused", message)
        with self._gate:
            self._refused = True
            self.parked_points += self._pending_points
            n = self._pending_points
            self._pending_points = 0
            self._pending.clear()
        self._advance(n)

    def _heartbeat_if_quiet(self) -> None:
        interval = self._settings.heartbeat_interval
        if not self._online or interval <= 0 or time.monotonic() - self._last_contact < interval:
            return
        self._last_contact = time.monotonic()
        with self._gate:
            if not self._run_ready or self._refused or self._pending:
                return
        try:
            run = self._call("PATCH", self._run_path, {})
            if isinstance(run, dict) and run.get("state") == "crashed":
                self._call("PATCH", self._run_path, {"state": "running"})
                self._warnings.warn(f"run {self.run_id} had been marked crashed by the server; resumed it")
        except (TrackerApiError, *NETWORK_ERRORS):
            pass  # a missed heartbeat is harmless

    # ----- spool -----------------------------------------------------------------------------------------------------

    def _ensure_spool(self) -> SpoolFile:
        with self._gate:
            return self._ensure_spool_locked()

    def _ensure_spool_locked(self) -> SpoolFile:
        if self._spool is None:
            self._spool = SpoolFile(self._spool_dir, self.run_id, self._header)
        return self._spool

    def _append(self, body: bytes, n: int, pending: bool) -> None:
        with self._gate:
            self._append_locked(body, n, pending)

    def _append_locked(self, body: bytes, n: int, pending: bool) -> None:
        offset = self._ensure_spool_locked().append(body)
        if pending:
            self._pending.append((offset, len(body), n))
            self._pending_points += n
        elif self._online:
            self.parked_points += n

    def _spool_queue(self) -> None:
        """Moves whatever is queued to the spool, in batches (during an outage, on back-pressure, when the thread ends)."""
        while True:
            chunks = self._drain(self._settings.max_batch_points)
            if not chunks:
                return
            n = sum(len(c[2]) for c in chunks)
            self._append(self._body(self._next_seq(), chunks), n, pending=self._online)
            if not self._online:
                self._advance(n)

    # ----- ending ----------------------------------------------------------------------------------------------------

    def close(self, timeout: float) -> Dict[str, Any]:
        """Stops accepting points, sends what is queued and spooled for at most ``timeout`` s, then spools the rest."""
        self._closing = True
        self._urgent.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abort.set()
            self._urgent.set()
            self._thread.join(self._settings.attempt_timeout + 1.0)
        self._spool_queue()  # points a training thread added while the thread ended
        with self._gate:
            return {
                "pending_points": self._pending_points,
                "pending_batches": len(self._pending),
                "parked_points": self.parked_points,
                "complete": self._online and self._run_ready and not self._refused and not self._pending and self.parked_points == 0,
                "run_ready": self._run_ready and not self._refused and not self._pending,
            }

    def set_state(self, state: str, timeout: float) -> bool:
        """PATCHes the run's final state (retrying transient failures for about ``timeout`` s); False when it failed."""
        if self._http is None:
            return False
        deadline = time.monotonic() + max(timeout, 2.0)
        delay = self._settings.retry_base_delay
        while True:
            try:
                self._call("PATCH", self._run_path, {"state": state})
                return True
            except (TrackerApiError, *NETWORK_ERRORS) as e:
                transient = not isinstance(e, TrackerApiError) or e.transient
                if not transient or time.monotonic() + delay > deadline:
                    self._warnings.warn(f"could not set run {self.run_id} to {state}: {e}")
                    return False
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    def close_spool(self, final_state: Optional[str], delete: bool) -> Optional[str]:
        """Records the final state in the spool (for ``tracker sync``) and closes it; returns its path when kept."""
        with self._gate:
            if self._spool is None:
                if final_state is None or delete:
                    return None
                self._ensure_spool_locked()
            assert self._spool is not None
            if final_state is not None and not delete:
                self._spool.append_finish(final_state)
            path = self._spool.path
            self._spool.close(delete)
            self._spool = None
            if self._http is not None:
                self._http.close()
            return None if delete else path
