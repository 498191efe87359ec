"""A small HTTP/1.1 JSON client over ``http.client`` with keep-alive, used by one thread at a time."""

from __future__ import annotations

import email.utils
import http.client
import json
import socket
import time
import urllib.parse
from typing import Any, Dict, Optional, Tuple

# Statuses worth retrying later, as the C# SDK's RunServer.Classify: 408, 429 and 5xx.
TRANSIENT_STATUSES = frozenset({408, 429})

NETWORK_ERRORS: Tuple[type, ...] = (OSError, http.client.HTTPException, socket.timeout)


class TrackerApiError(Exception):
    """The server answered with an error status (an RFC 7807 problem when it could say more)."""

    def __init__(self, status: int, problem: Optional[Dict[str, Any]], retry_after: Optional[float] = None) -> None:
        self.status = status
        self.problem = problem or {}
        self.retry_after = retry_after
        title = self.problem.get("title") or http.client.responses.get(status, "error")
        detail = self.problem.get("detail")
        errors = self.problem.get("errors")
        message = f"{status} {title}"
        if detail:
            message += f": {detail}"
        if errors:
            message += f" {errors}"
        super().__init__(message)

    @property
    def transient(self) -> bool:
        """True for 408, 429 and 5xx: the same request may succeed later."""
        return is_transient_status(self.status)


def is_transient_status(status: int) -> bool:
    """408, 429 and 5xx are retried; other 4xx are definite answers."""
    return status in TRANSIENT_STATUSES or status >= 500


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class HttpJson:
    """One keep-alive connection to the server; reconnects after any error. Not thread-safe: one owner thread."""

    def __init__(self, base_url: str, api_key: Optional[str], timeout: float) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"server URL must be http(s)://host[:port][/path], not {base_url!r}")
        self._https = parsed.scheme == "https"
        self._host = parsed.hostname
        self._port = parsed.port
        self._prefix = parsed.path.rstrip("/")
        self._timeout = timeout
        self._headers = {"Accept": "application/json", "User-Agent": "tracker-client-python/0.1"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._conn: Optional[http.client.HTTPConnection] = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout)
        return self._conn

    def close(self) -> None:
        """Closes the connection (the next request opens a new one)."""
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def request(self, method: str, path: str, body: Optional[bytes] = None) -> Tuple[int, Dict[str, str], bytes]:
        """One attempt: sends and reads the whole answer. Network errors propagate (and close the connection)."""
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn = self._connection()
        try:
            conn.request(method, self._prefix + path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            if response.will_close:
                self.close()
            return response.status, answer_headers, data
        except BaseException:
            self.close()
            raise

    def json(self, method: str, path: str, payload: Any = None, raw: Optional[bytes] = None) -> Any:
        """One attempt with a JSON body; returns the decoded answer or raises :class:`TrackerApiError`."""
        body = raw if raw is not None else (None if payload is None else json.dumps(payload, allow_nan=False).encode())
        status, headers, data = self.request(method, path, body)
        if 200 <= status < 300:
            return json.loads(data) if data else None
        raise api_error(status, headers, data)


def api_error(status: int, headers: Dict[str, str], data: bytes) -> TrackerApiError:
    """The exception for an error answer, with its problem document when it has one."""
    problem: Optional[Dict[str, Any]] = None
    try:
        decoded = json.loads(data) if data else None
        if isinstance(decoded, dict):
            problem = decoded
    except ValueError:
        problem = {"detail": data[:200].decode("utf-8", "replace")}
    return TrackerApiError(status, problem, parse_retry_after(headers.get("retry-after")))
