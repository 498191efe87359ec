"""Fixtures: a real Tracker server (the Release build of src/Tracker.Server) on loopback, over SQLite and PostgreSQL.

The server is started as ``dotnet Tracker.Server.dll`` with ``Tracker__AdminKey`` set; PostgreSQL is a throwaway
cluster (``initdb`` as the ``postgres`` user when run as root, fsync off) removed at the end of the session.
Build first: ``dotnet build -c Release src/Tracker.Server src/Tracker.Cli`` (``./test.sh`` does).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package itself, when it is not installed

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SERVER_DLL = os.environ.get("TRACKER_SERVER_DLL") or os.path.join(REPO, "src/Tracker.Server/bin/Release/net10.0/Tracker.Server.dll")
CLI_DLL = os.environ.get("TRACKER_CLI_DLL") or os.path.join(REPO, "src/Tracker.Cli/bin/Release/net10.0/Tracker.Cli.dll")
PG_BIN = "/usr/lib/postgresql/15/bin"
ADMIN_KEY = "trk_pytest_" + "k" * 40
AS_ROOT = os.geteuid() == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL 15 cluster on a free loopback port."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="tracker-pypg-")
        os.chmod(self.dir, 0o755)
        if AS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.data = os.path.join(self.dir, "data")
        self._pg("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions")
        self._pg("pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o",
                 f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off "
                 "-c full_page_writes=off -c max_connections=200", "start")
        self._databases = 0

    def _pg(self, tool: str, *args: str) -> None:
        cmd = [os.path.join(PG_BIN, tool), *args]
        if AS_ROOT:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def create_database(self) -> str:
        self._databases += 1
        name = f"py_{os.getpid()}_{self._databases}"
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"Host=127.0.0.1;Port={self.port};Username=postgres;Database={name}"

    def stop(self) -> None:
        try:
            self._pg("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """``dotnet Tracker.Server.dll`` on a fixed loopback port; can be killed and started again on the same store."""

    def __init__(self, store: str, postgres: Optional[Postgres]) -> None:
        if not os.path.exists(SERVER_DLL):
            pytest.skip(f"build the server first: dotnet build -c Release src/Tracker.Server ({SERVER_DLL} is missing)")
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="tracker-pyserver-")
        self.env = dict(os.environ)
        self.env.update({
            "ASPNETCORE_URLS": self.url,
            "ASPNETCORE_ENVIRONMENT": "Production",
            "Tracker__AdminKey": ADMIN_KEY,
            "Tracker__DataDir": self.data_dir,
            "Logging__LogLevel__Default": "Warning",
            "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        })
        for k in ("TRACKER_URL", "TRACKER_API_KEY", "TRACKER_PROJECT", "TRACKER_MODE"):
            self.env.pop(k, None)
        if store == "postgres":
            assert postgres is not None
            self.env["Tracker__Database__Provider"] = "Postgres"
            self.env["ConnectionStrings__Tracker"] = postgres.create_database()
        else:
            self.env["Tracker__Database__Provider"] = "Sqlite"
        self.process: Optional[subprocess.Popen] = None
        self._log = open(os.path.join(self.data_dir, "server.log"), "ab")

    def start(self) -> "Server":
        self.process = subprocess.Popen(["dotnet", SERVER_DLL], cwd=os.path.dirname(SERVER_DLL), env=self.env,
                                        stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; log in {self._log.name}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError("server not ready in 90 s")

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, as a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        self.kill()
        self._log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    # ----- REST helpers for assertions -----

    def api(self, method: str, path: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            body = r.read()
            return json.loads(body) if body else None

    def history(self, run_id: str, key: str) -> List[Dict[str, Any]]:
        """The full history of a series, every page, in step order."""
        points: List[Dict[str, Any]] = []
        cursor = None
        while True:
            query = {"limit": "100000"}
            if cursor:
                query["cursor"] = cursor
            page = self.api("GET", f"/api/v1/runs/{run_id}/metrics/{urllib.parse.quote(key)}?{urllib.parse.urlencode(query)}")
            points.extend(page["points"])
            cursor = page.get("nextCursor")
            if not cursor:
                return points

    def run(self, run_id: str) -> Dict[str, Any]:
        return self.api("GET", f"/api/v1/runs/{run_id}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    if not os.path.exists(os.path.join(PG_BIN, "initdb")):
        pytest.skip("PostgreSQL 15 is not installed (apt-get install -y postgresql)")
    cluster = Postgres()
    yield cluster
    cluster.stop()


def _store_server(store: str, request: pytest.FixtureRequest) -> Server:
    pg = request.getfixturevalue("postgres") if store == "postgres" else None
    return Server(store, pg)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A server shared by the tests of one store."""
    s = _store_server(request.param, request).start()
    yield s
    s.stop()


@pytest.fixture
def spool_dir(tmp_path: Any) -> str:
    return str(tmp_path / "spool")


def cli(*args: str, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """Runs the ``tracker`` CLI (the Release build of src/Tracker.Cli)."""
    if not os.path.exists(CLI_DLL):
        pytest.skip(f"build the CLI first: dotnet build -c Release src/Tracker.Cli ({CLI_DLL} is missing)")
    return subprocess.run(["dotnet", CLI_DLL, *args], capture_output=True, text=True, timeout=120, env=env)


def value_of(point: Dict[str, Any]) -> float:
    """A point's value as a float (the server writes NaN and infinities as strings)."""
    return float(point["value"])
