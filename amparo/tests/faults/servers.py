"""Servers of the fault tests' own, on spare loopback ports: a PostgreSQL 15 cluster and a
Redis, each in a temporary folder, started, restarted (the fault) and removed by the test that
owns them. The machine's shared servers are never touched.

We run as root in the sandbox and PostgreSQL refuses root: its commands run as the `postgres`
user (`runuser`), in a folder that user owns under /tmp (pytest's own temporary folders are
closed to other users)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def postgres_available() -> bool:
    return (PG_BIN / "initdb").exists() and shutil.which("runuser") is not None


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


class PrivatePostgres:
    """A cluster of its own. `durable=False` turns fsync off (fast, for set-up only): a test
    of what an acknowledged commit keeps must use the default, as production does."""

    def __init__(self, *, durable: bool = True) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="amparo-fault-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.durable = durable
        self.restarts = 0
        shutil.chown(self.folder, "postgres", "postgres")

    def _as_postgres(self, *argv: str, timeout: float = 120) -> None:
        # Output to a file, never a pipe: a server started by pg_ctl would hold a pipe open.
        with tempfile.TemporaryFile() as out:
            done = subprocess.run(["runuser", "-u", "postgres", "--", *argv], stdout=out, stderr=out,
                                  timeout=timeout, check=False)
            out.seek(0)
            said = out.read().decode(errors="replace")
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {said}\n{self.server_log()}")

    def start(self) -> PrivatePostgres:
        if not self.data.exists():
            self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                              "-E", "UTF8", "--no-locale", "--no-sync")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60 "
                   f"-c shared_buffers=32MB" + ("" if self.durable else " -c fsync=off -c synchronous_commit=off"))
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                          "-w", "-t", "60", "start")
        return self

    def restart(self, mode: str = "fast", down_for: float = 0.0) -> float:
        """Stop (`fast`: clients cut off, a clean shutdown; `immediate`: a crash, recovery at
        the next start), stay down `down_for` seconds, start again; returns the seconds away."""
        started = time.monotonic()
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")
        time.sleep(down_for)
        self.start()
        self.restarts += 1
        return time.monotonic() - started

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop",
                                  timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> str:
        self._as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


class PrivateRedis:
    """A redis-server of its own, as CI runs Redis (no snapshot, no append-only file): a
    restart loses whatever it held, the harshest case for the broker."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="amparo-fault-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        with (self.folder / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.folder)], stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 20
        while not port_open(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start: " + self.server_log())
            time.sleep(0.05)
        return self

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
            self.process = None

    def restart(self, down_for: float = 0.0) -> float:
        """Killed (what it held is gone) and started again on the same port."""
        started = time.monotonic()
        self.kill()
        time.sleep(down_for)
        self.start()
        self.restarts += 1
        return time.monotonic() - started

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def server_log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
