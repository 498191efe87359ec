"""``tracker.init`` and the :class:`Run` a training script logs to."""

from __future__ import annotations

import atexit
import math
import os
import secrets
import string
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Type

from . import _config
from ._config import KEY_PATTERN, MODES, RESUME_MODES, RUN_ID_PATTERN, Settings
from ._http import NETWORK_ERRORS, HttpJson, TrackerApiError
from ._spool import header_line, spool_path
from ._transport import Transport
from ._warnings import RunWarnings

TOTAL_GRAD_NORM_KEY = "grad_norm/total"
_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class Advice:
    """The latest early-stopping advice, as the server sends it back with each ingest acknowledgement."""

    should_stop: bool = False
    """True when training should stop now."""
    reason: str = "continue"
    """Why, in plain words."""
    pattern: Optional[str] = None
    """Learning-curve label, e.g. ``healthy_convergence`` or ``overfitting``."""
    action: str = "keep training"
    """What to do now, in plain words (after a stop: "stop training ...", naming the step to restore)."""
    best_step: Optional[int] = None
    """Step of the best monitored value (restore the checkpoint of that step)."""

    @staticmethod
    def from_wire(dto: Mapping[str, Any]) -> "Advice":
        """The advice from the acknowledgement's ``advice`` object (the C# SDK's mapping of ``AdviceDto``)."""
        stop = bool(dto.get("shouldStop"))
        best = dto.get("bestStep")
        return Advice(stop, dto.get("reason") or ("stop" if stop else "continue"), dto.get("pattern"),
                      dto.get("action") or ("stop training" if stop else "keep training"),
                      int(best) if best is not None else None)


CONTINUE = Advice()


class Run:
    """A run being logged: :meth:`log` returns at once; a background thread sends, spools and replays.

    Use it as a context manager (the run ends ``failed`` when an exception leaves the block, ``killed`` on
    ``KeyboardInterrupt``) or call :meth:`finish`. A run still open when the interpreter exits is finished then.
    """

    def __init__(self, run_id: str, project: str, name: Optional[str], mode: str, transport: Optional[Transport],
                 warnings: RunWarnings, settings: Settings) -> None:
        self._id = run_id
        self._project = project
        self._name = name
        self._mode = mode
        self._transport = transport
        self._warnings = warnings
        self._settings = settings
        self._advice = CONTINUE
        self._summary: Dict[str, float] = {}
        self._valid_keys: set = set()
        self._next_step = 0
        self._final_state: Optional[str] = None
        self._finish_gate = threading.Lock()
        self._advice_callbacks: List[Callable[[Advice], None]] = []

    # ----- identity and state ----------------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """The run's id."""
        return self._id

    @property
    def project(self) -> str:
        """The project slug."""
        return self._project

    @property
    def name(self) -> Optional[str]:
        """Display name (the server's, when it was reached at start)."""
        return self._name

    @property
    def mode(self) -> str:
        """``online``, ``offline`` or ``disabled``."""
        return self._mode

    @property
    def advice(self) -> Advice:
        """The latest early-stopping advice; "continue" until the server says otherwise."""
        return self._advice

    @property
    def summary(self) -> Dict[str, float]:
        """The last logged value of each metric (a copy)."""
        return dict(self._summary)

    @property
    def spool_path(self) -> Optional[str]:
        """The run's spool file (it exists only while or after something was spooled)."""
        return self._transport.spool_path if self._transport is not None else None

    @property
    def sent_points(self) -> int:
        """Points the server has acknowledged so far."""
        return self._transport.sent_points if self._transport is not None else 0

    @property
    def final_state(self) -> Optional[str]:
        """The state the run ended with; None while it runs."""
        return self._final_state

    def on_advice(self, callback: Callable[[Advice], None]) -> None:
        """Calls ``callback`` (on the background thread) each time the advice changes."""
        self._advice_callbacks.append(callback)

    def _set_advice(self, dto: Mapping[str, Any]) -> None:
        advice = Advice.from_wire(dto)
        if advice != self._advice:
            self._advice = advice
            for callback in list(self._advice_callbacks):
                try:
                    callback(advice)
                except Exception as e:  # a user callback must not stop the sender
                    self._warnings.once("advice-callback", f"an advice callback raised {e!r}")

    # ----- logging ---------------------------------------------------------------------------------------------------

    def log(self, metrics: Mapping[str, Any], step: Optional[int] = None) -> None:
        """Logs every entry of ``metrics`` at ``step`` (the previous call's step + 1 when omitted); returns at once.

        Values are anything ``float()`` accepts (Python numbers, NumPy and one-element torch scalars); NaN and
        infinities are kept. A key that is not <= 250 characters of ``[A-Za-z0-9_-./ ]``, a negative step or a
        non-numeric value is skipped with one warning, never an exception.
        """
        transport = self._transport
        if transport is None:
            return
        if step is None:
            step = self._next_step
        elif step.__class__ is not int:
            step = int(step)
        if step < 0:
            self._warnings.once(f"step:{step}", f"negative step {step}: steps must be >= 0 and such points are skipped")
            return
        self._next_step = step + 1
        valid = self._valid_keys
        summary = self._summary
        items: List[Tuple[str, float]] = []
        for key, value in metrics.items():
            if key not in valid and not self._check_key(key):
                continue
            if value.__class__ is not float:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    self._warnings.once(f"value:{key}", f"metric '{key}' has a value that is not a number ({type(value).__name__}); such points are skipped")
                    continue
            items.append((key, value))
            summary[key] = value
        if items:
            limit = self._settings.max_batch_points
            time_ms = time.time_ns() // 1_000_000
            for start in range(0, len(items), limit):
                transport.put(step, time_ms, items[start:start + limit] if len(items) > limit else items)

    def _check_key(self, key: Any) -> bool:
        if isinstance(key, str) and KEY_PATTERN.match(key):
            self._valid_keys.add(key)
            return True
        self._warnings.once(f"key:{key}", f"metric key {key!r} is not <= 250 characters of [A-Za-z0-9_-./ ]; its points are skipped")
        return False

    def log_gradient_norms(self, model: Any, step: Optional[int] = None) -> None:
        """Logs per-layer gradient L2 norms as ``grad_norm/<layer>`` and their L2 combination as ``grad_norm/total``.

        ``model`` is a ``torch.nn.Module`` (call it after ``loss.backward()``): a layer is the module that owns the
        parameters, named as in ``model.named_modules()`` (``fc1``, ``net.0``), and its norm covers all its parameters
        that have a gradient (weight and bias together, as the C# compute core's ``layer{l}`` blocks). It may also be a
        mapping or iterable of ``(layer, norm)`` pairs, where a norm is a number or a tensor whose L2 norm is taken.
        ``grad_norm/total`` is the square root of the sum of the squared layer norms: ``clip_grad_norm_``'s total norm.
        """
        if self._transport is None:
            return
        from ._gradients import layer_norms

        norms = layer_norms(model)
        metrics: Dict[str, float] = {}
        total = 0.0
        for layer, norm in norms:
            metrics["grad_norm/" + layer] = norm
            total += norm * norm
        metrics[TOTAL_GRAD_NORM_KEY] = math.sqrt(total)
        if step is None:
            step = max(self._next_step - 1, 0)
        self.log(metrics, step=step)

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits until everything logged so far was acknowledged by the server (written, offline); False on timeout."""
        if self._transport is None:
            return True
        return self._transport.flush(timeout)

    # ----- ending ----------------------------------------------------------------------------------------------------

    def finish(self, state: str = "finished") -> None:
        """Flushes (for at most ``Settings.flush_timeout``) and ends the run with ``state`` (``finished``, ``failed``,
        ``killed``); what is not sent by then stays in the spool for ``tracker sync``, and a line says so."""
        with self._finish_gate:
            if self._final_state is not None:
                return
            self._final_state = state
        _open_runs.discard(self)
        transport = self._transport
        if transport is None:
            return
        started = time.monotonic()
        report = transport.close(self._settings.flush_timeout)
        state_set = False
        if self._mode == "online" and report["run_ready"]:
            state_set = transport.set_state(state, self._settings.flush_timeout - (time.monotonic() - started))
        if self._mode == "offline":
            path = transport.close_spool(state, delete=False)
            self._warnings.info(f"run {self._id} saved offline in {path}; upload it with `tracker sync`")
        elif report["complete"] and state_set:
            transport.close_spool(None, delete=True)
        else:
            path = transport.close_spool(state, delete=False)
            unsent = report["pending_points"] + report["parked_points"]
            self._warnings.warn(
                f"{unsent} points of run {self._id} not sent within {self._settings.flush_timeout:g} s; kept in {path}; upload them with `tracker sync`"
                if unsent else f"run {self._id} ended, but its spool {path} still holds its final state; upload it with `tracker sync`")

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        if exc_type is None:
            self.finish("finished")
        elif issubclass(exc_type, KeyboardInterrupt):
            self.finish("killed")
        else:
            self.finish("failed")

    def __repr__(self) -> str:
        return f"Run(id={self._id!r}, project={self._project!r}, name={self._name!r}, mode={self._mode!r})"


# ----- process-wide: finish open runs at exit ----------------------------------------------------------------------

_open_runs: "weakref.WeakSet[Run]" = weakref.WeakSet()
_uncaught = False
_hooks_installed = False


def _install_hooks() -> None:
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    previous = sys.excepthook

    def excepthook(exc_type: Type[BaseException], exc: BaseException, tb: Optional[TracebackType]) -> None:
        global _uncaught
        _uncaught = True
        previous(exc_type, exc, tb)

    sys.excepthook = excepthook
    atexit.register(_finish_open_runs)


def _finish_open_runs() -> None:
    """At interpreter exit: finishes every open run (``failed`` after an uncaught exception), flushing its points."""
    for run in list(_open_runs):
        try:
            run.finish("failed" if _uncaught else "finished")
        except Exception as e:  # pragma: no cover - last resort at exit
            print(f"tracker: could not finish run {run.id}: {e!r}", file=sys.stderr)


# ----- init --------------------------------------------------------------------------------------------------------

def init(project: Optional[str] = None, name: Optional[str] = None, config: Optional[Mapping[str, Any]] = None,
         tags: Optional[Iterable[str]] = None, group: Optional[str] = None, notes: Optional[str] = None,
         id: Optional[str] = None, resume: str = "never", mode: Optional[str] = None, url: Optional[str] = None,
         api_key: Optional[str] = None, spool_dir: Optional[str] = None, home: Optional[str] = None,
         settings: Optional[Settings] = None, on_warning: Optional[Callable[[str], None]] = None) -> Run:
    """Starts (or resumes) a run. Fails only on a configuration error, never because the server is down.

    Unset connection settings come from ``TRACKER_URL``, ``TRACKER_API_KEY``, ``TRACKER_PROJECT``, ``TRACKER_MODE``
    (``online`` | ``offline`` | ``disabled``) and ``TRACKER_HOME``, then from ``~/.tracker/config`` (``tracker login``).
    ``resume`` follows W&B: ``never`` fails when ``id`` exists, ``allow`` resumes it or creates it, ``must`` fails
    when it does not exist. Per-run analysis settings go in ``config["tracker.analysis"]`` (Keras names: ``monitor``,
    ``patience``, ``min_delta``, ...).
    """
    settings = settings or Settings()
    warnings = RunWarnings(on_warning)
    home = _config.resolve_home(home)
    file_config = _config.load_config(home)
    mode = (mode or _config.env("TRACKER_MODE") or "online").lower()
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    resume_name = RESUME_MODES.get(resume.lower()) if isinstance(resume, str) else None
    if resume_name is None:
        raise ValueError(f"resume must be 'never', 'allow' or 'must', not {resume!r}")
    project = project or _config.env("TRACKER_PROJECT") or file_config.get("project") or "default"
    run_id = id or "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))
    if not RUN_ID_PATTERN.match(run_id):
        raise ValueError(f"run id {run_id!r} must be 1-64 characters of [A-Za-z0-9_-]")
    if mode == "disabled":
        return Run(run_id, project, name, mode, None, warnings, settings)

    url = url or _config.env("TRACKER_URL") or file_config.get("url")
    api_key = api_key or _config.env("TRACKER_API_KEY") or file_config.get("apikey")
    if mode == "online" and not url:
        warnings.warn("no server URL (url=, TRACKER_URL or `tracker login`); logging offline")
        mode = "offline"
    create = {"id": run_id, "name": name, "group": group, "tags": list(tags) if tags is not None else None,
              "config": _config.to_json_value(dict(config)) if config is not None else None, "notes": notes}
    create = {k: v for k, v in create.items() if v is not None}
    spool_dir = spool_dir or os.path.join(home, "spool")
    header = header_line(run_id, project, resume_name, create)

    ready = False
    if mode == "online":
        assert url is not None
        http = HttpJson(url, api_key, settings.attempt_timeout)
        try:
            server_run = _ensure_run(http, project, run_id, resume_name, create)
            name = server_run.get("name", name)
            ready = True
        except NETWORK_ERRORS as e:
            warnings.once("outage", f"server unreachable at start ({e}); spooling to {spool_path(spool_dir, run_id)} until it answers")
        except TrackerApiError as e:
            if not e.transient:
                raise
            warnings.once("outage", f"server unavailable at start ({e}); spooling to {spool_path(spool_dir, run_id)} until it answers")
        finally:
            http.close()

    run_ref: List[Run] = []
    transport = Transport(run_id, project, header, create, resume_name, url if mode == "online" else None, api_key,
                          ready, spool_dir, settings, warnings, lambda dto: run_ref[0]._set_advice(dto))
    run = Run(run_id, project, name, mode, transport, warnings, settings)
    run_ref.append(run)
    _install_hooks()
    _open_runs.add(run)
    transport.start()
    return run


def _ensure_run(http: HttpJson, project: str, run_id: str, resume: str, create: Dict[str, Any]) -> Dict[str, Any]:
    """Makes the run exist and be running, with W&B's resume semantics (the C# SDK's RunLifecycle.EnsureAsync)."""
    runs_path = f"/api/v1/projects/{project}/runs"
    if resume == "Never":
        try:
            return http.json("POST", runs_path, create)
        except TrackerApiError as e:
            if e.status == 409:
                raise ValueError(f"run {run_id!r} already exists; pass resume='allow' or resume='must' to continue it") from e
            raise
    try:
        existing = http.json("GET", f"/api/v1/runs/{run_id}")
    except TrackerApiError as e:
        if e.status != 404:
            raise
        if resume == "Must":
            raise ValueError(f"run {run_id!r} does not exist and resume='must'") from e
        return http.json("POST", runs_path, create)
    if existing.get("state") != "running":
        existing = http.json("PATCH", f"/api/v1/runs/{run_id}", {"state": "running"})
    return existing
