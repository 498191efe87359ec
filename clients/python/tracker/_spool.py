"""The spool: the C# SDK's format, so that ``tracker sync`` uploads what a Python run left behind.

``{spool_dir}/{run_id}.spool`` holds JSON lines, fsynced after each append: a header
``{"spool":1,"runId":..,"project":..,"resume":"Never","create":{id,name,group,tags,config,notes}}``, then ingest bodies
exactly as POSTed (``{"seq":..,"points":[..]}``), then ``{"finish":"<state>"}`` when the run ended. While a process
writes it, it holds an exclusive ``flock`` on ``{run_id}.lock`` -- what .NET's ``FileShare.None`` takes on Linux -- so
``tracker sync`` leaves a live spool alone.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock, the files are still written
    fcntl = None  # type: ignore[assignment]

SPOOL_VERSION = 1


def spool_path(spool_dir: str, run_id: str) -> str:
    """The spool file of a run."""
    return os.path.join(spool_dir, run_id + ".spool")


def lock_path(path: str) -> str:
    """The lock file that goes with a spool file."""
    return os.path.splitext(path)[0] + ".lock"


def header_line(run_id: str, project: str, resume: str, create: Dict[str, Any]) -> bytes:
    """The header record (camelCase, nulls left out, as System.Text.Json writes it for the C# SDK)."""
    header = {"spool": SPOOL_VERSION, "runId": run_id, "project": project, "resume": resume,
              "create": {k: v for k, v in create.items() if v is not None}}
    return json.dumps(header, separators=(",", ":"), allow_nan=False).encode()


class SpoolFile:
    """An open spool: append-only, every record fsynced before ``append`` returns."""

    def __init__(self, spool_dir: str, run_id: str, header: bytes) -> None:
        os.makedirs(spool_dir, exist_ok=True)
        self.path = spool_path(spool_dir, run_id)
        self._lock_fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except BaseException:
            os.close(self._lock_fd)
            raise
        self._gate = threading.Lock()
        self._size = os.fstat(self._fd).st_size
        if self._size == 0:
            self.append(header)
        else:
            self._repair_torn_tail()

    def append(self, record: bytes) -> int:
        """Appends one record line and fsyncs; returns the record's offset."""
        with self._gate:
            offset = self._size
            data = record + b"\n"
            view = memoryview(data)
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
            os.fsync(self._fd)
            self._size += len(data)
            return offset

    def append_finish(self, state: str) -> None:
        """Appends the trailer that records the run's final state."""
        self.append(json.dumps({"finish": state}, separators=(",", ":")).encode())

    def read(self, offset: int, length: int) -> bytes:
        """Reads back a record written by :meth:`append`."""
        data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise OSError(f"spool {self.path} ends before offset {offset + length}")
        return data

    def close(self, delete: bool = False) -> None:
        """Closes the spool and releases its lock; deletes both files when ``delete``."""
        with self._gate:
            if self._fd < 0:
                return
            os.close(self._fd)
            self._fd = -1
            if delete:
                _remove(self.path)
                _remove(lock_path(self.path))
            os.close(self._lock_fd)  # releases the flock

    def _repair_torn_tail(self) -> None:
        last = os.pread(self._fd, 1, self._size - 1)
        if last != b"\n":
            os.write(self._fd, b"\n")
            os.fsync(self._fd)
            self._size += 1


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def read_spool(path: str) -> Dict[str, Any]:
    """Reads a spool back (tests, tools): ``{"header": {...}, "batches": [body dicts], "finish": state or None}``."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    header = json.loads(lines[0])
    batches = []
    finish: Optional[str] = None
    for line in lines[1:]:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a torn tail
        if "seq" in record and "points" in record:
            batches.append(record)
        elif "finish" in record:
            finish = record["finish"]
    return {"header": header, "batches": batches, "finish": finish}
