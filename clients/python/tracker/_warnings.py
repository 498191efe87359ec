"""Warnings of a run: to standard error prefixed ``tracker:`` (as the C# SDK), or to a callback."""

from __future__ import annotations

import sys
import threading
from typing import Callable, Optional, Set


class RunWarnings:
    """Prints each warning once per key where asked; thread-safe."""

    def __init__(self, sink: Optional[Callable[[str], None]] = None) -> None:
        self._sink = sink
        self._seen: Set[str] = set()
        self._gate = threading.Lock()

    def warn(self, message: str) -> None:
        """Reports a warning."""
        if self._sink is not None:
            self._sink(message)
        else:
            print(f"tracker: {message}", file=sys.stderr, flush=True)

    info = warn

    def once(self, key: str, message: str) -> None:
        """Reports a warning the first time ``key`` is seen (until :meth:`reset`)."""
        with self._gate:
            if key in self._seen:
                return
            self._seen.add(key)
        self.warn(message)

    def reset(self, key: str) -> None:
        """Lets the warning of ``key`` be reported again."""
        with self._gate:
            self._seen.discard(key)
