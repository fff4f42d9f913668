"""What the fault tests share: the environment of the processes they start and kill, and a
record of figures for docs/reliability.md."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
FIGURES = ROOT / "var" / "fault-figures.jsonl"


def child_env(tmp: Path, database_url: str, **extra: str) -> dict[str, str]:
    """A process of the app's own (web, command, worker) on `database_url`, with this test's
    keys, its own var/ and media folders, and cheap key derivation as in every test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({
        "DATABASE_URL": database_url,
        "VAULT_SERVICE_KEY": settings.VAULT_SERVICE_KEY,
        "AMPARO_VAR_DIR": str(tmp / "var"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "VAULT_KDF_OPS": "1", "VAULT_KDF_MEM": "8192",
        # Jobs it queues go to files under its own var/, never to a shared broker.
        "CELERY_BROKER_URL": "filesystem://",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        **extra,
    })
    return env


class Stalled:
    """`python -m amparo.tests.faults.stall ...` as a child in a session of its own."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.out = log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "amparo.tests.faults.stall", *args], cwd=ROOT,
                                        env=env, stdout=subprocess.PIPE, stderr=self.out, start_new_session=True)

    def wait_stalled(self, timeout: float = 120) -> None:
        import select

        assert self.process.stdout is not None
        started = time.monotonic()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.kill()
        line = self.process.stdout.readline().decode() if ready else "(nothing)"
        assert line.strip() == "stalled", f"{line!r} after {time.monotonic() - started:.1f} s: {self.errors()}"

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.out.close()

    def errors(self) -> str:
        if not self.out.closed:
            self.out.flush()
        return self.log.read_text(errors="replace")[-3000:]


def run_to_end(args: list[str], env: dict[str, str], timeout: float = 180) -> str:
    done = subprocess.run([sys.executable, "-m", "amparo.tests.faults.stall", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=timeout, check=False)
    out = done.stdout.decode(errors="replace")
    assert done.returncode == 0 and "finished" in out, out + done.stderr.decode(errors="replace")[-3000:]
    lines = out.strip().splitlines()
    result = lines[-1].removeprefix("finished ").strip()
    return " / ".join([*lines[:-1], result]) if result == "None" else result


def record_figures(name: str, **figures: Any) -> None:
    """One line per fault test in var/fault-figures.jsonl (docs/reliability.md quotes them)."""
    from django.db import connection

    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a") as out:
        out.write(json.dumps({"test": name, "database": connection.vendor, "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                              "loadavg": Path("/proc/loadavg").read_text().split()[:3], **figures}) + "\n")
    print(name, figures)


@pytest.fixture
def fault_tmp():
    """A temporary folder other users can enter (the postgres user, a tmpfs mount point)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="amparo-fault-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
