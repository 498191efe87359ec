"""Where a run's settings come from: arguments, then ``TRACKER_*`` environment variables, then ``~/.tracker/config``."""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from typing import Any, Dict, Optional

MODES = ("online", "offline", "disabled")
RESUME_MODES = {"never": "Never", "allow": "Allow", "must": "Must"}

# The server's rules (the C# SDK's MetricKeys and RunIds).
KEY_PATTERN = re.compile(r"[A-Za-z0-9_\-./ ]{1,250}\Z")
RUN_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


@dataclass(frozen=True)
class Settings:
    """Transport settings; the defaults are the C# SDK's ``RunOptions`` defaults where both have the setting."""

    max_batch_points: int = 10_000
    """Most points in one ingest request (the server accepts up to 10,000)."""
    batch_trigger_points: int = 1_000
    """A batch is sent as soon as this many points wait, without waiting for ``flush_interval``."""
    flush_interval: float = 0.05
    """Longest time (s) a logged point waits before the background thread sends it."""
    capacity: int = 100_000
    """Points the in-memory queue holds; past it ``log`` waits up to ``backpressure_timeout`` then spills to the spool."""
    backpressure_timeout: float = 0.5
    """How long ``log`` waits on a full queue before writing the call's points to the spool."""
    max_retries: int = 5
    """Retries of one request after the first attempt (exponential backoff with jitter) before it is spooled."""
    retry_base_delay: float = 0.2
    """Base delay (s) of the exponential backoff; a ``Retry-After`` answer overrides it."""
    retry_max_delay: float = 10.0
    """Longest wait (s) between two retries of one request."""
    replay_max_delay: float = 2.0
    """Longest wait (s) between two probes of a server that is down, while spooled batches wait."""
    attempt_timeout: float = 15.0
    """Time limit (s) of one HTTP attempt."""
    flush_timeout: float = 30.0
    """How long ``finish`` may take to flush before leaving the rest in the spool."""
    heartbeat_interval: float = 60.0
    """After this long without a request, an empty PATCH keeps a quiet run from being marked crashed (0 turns it off)."""


def resolve_home(home: Optional[str] = None) -> str:
    """The Tracker home: ``home``, else ``TRACKER_HOME``, else ``~/.tracker`` (as the C# SDK's TrackerConfig)."""
    return home or os.environ.get("TRACKER_HOME") or os.path.join(os.path.expanduser("~"), ".tracker")


def load_config(home: str) -> Dict[str, Any]:
    """``config`` in the home folder (written by ``tracker login``): url, apiKey, project; empty when absent."""
    try:
        with open(os.path.join(home, "config"), encoding="utf-8") as f:
            data = json.load(f)
        return {k.lower(): v for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def env(name: str) -> Optional[str]:
    """An environment variable, None when unset or empty."""
    value = os.environ.get(name)
    return value or None


def to_json_value(value: Any) -> Any:
    """A config value as JSON the server accepts: non-finite floats as strings, tuples and sets as lists, the rest as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json_value(v) for v in value]
    item = getattr(value, "item", None)  # numpy and torch scalars
    if callable(item):
        try:
            return to_json_value(item())
        except (TypeError, ValueError, RuntimeError):
            pass
    return str(value)
