"""How far the imports under way have got, for the desk's page and for anyone else watching:
a small file per import under VAR_DIR/imports (rows read, rows in the file, when it began,
when it last moved, the process), replaced at most once a second and removed when the import
ends. A file rather than the database: the import's own transaction holds the rows until it
commits (and on SQLite the write lock), so nothing it wrote there would show meanwhile.

An import whose process died (killed, the machine restarted) wrote nothing (its transaction
never committed); its file stays, marked as stopped once its process is gone or it has not
moved for STALE seconds, and is cleared after a day. Holds no content of the file: the desk,
the mapping's name and counts.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from django.conf import settings

from amparo.network.models import Desk
from amparo.registry.services.importing import Progress

log = logging.getLogger(__name__)

EVERY = 1.0  # seconds between two writes of the file
STALE = 120  # seconds without a move after which an import is shown as stopped
FORGET = 24 * 3600


def _folder(desk_id: int) -> Path:
    return Path(settings.VAR_DIR) / "imports" / str(int(desk_id))


@dataclass(frozen=True)
class UnderWay:
    source: str
    done: int
    total: int
    dry_run: bool
    started: float
    updated: float
    stopped: bool

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


class Tracker:
    """Keeps the file of one import up to date, and passes each step on to `then` (a
    command's own display)."""

    def __init__(self, desk: Desk, source: str, total: int, *, dry_run: bool, then: Progress | None = None) -> None:
        self.path = _folder(desk.pk) / f"{uuid.uuid4().hex}.json"
        self.state: dict[str, Any] = {"source": source[:200], "done": 0, "total": total, "dry_run": dry_run,
                                      "started": time.time(), "updated": 0.0, "pid": os.getpid(),
                                      "host": os.uname().nodename}
        self.then, self.total, self.last = then, total, 0.0

    def __enter__(self) -> Tracker:
        self._save()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.path.unlink(missing_ok=True)

    def checked(self, rows: int) -> None:
        self._step("checked", rows)

    def written(self, rows: int) -> None:
        self._step("written", rows)

    def _step(self, phase: str, rows: int) -> None:
        if self.then is not None:
            self.then(phase, rows, self.total)
        self.state["done"] = max(self.state["done"], rows)
        if time.monotonic() - self.last >= EVERY:
            self._save()

    def _save(self) -> None:
        self.last = time.monotonic()
        self.state["updated"] = time.time()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".part")
            partial.write_text(json.dumps(self.state), encoding="utf-8")
            partial.replace(self.path)  # whoever reads it sees the old state or the new, whole
        except OSError as exc:  # the progress shown is a courtesy: never a reason for an import to fail
            log.warning("import progress not saved (%s); the import goes on", type(exc).__name__)


def under_way(desk: Desk) -> list[UnderWay]:
    """The desk's imports under way (or stopped without finishing), oldest first."""
    found = []
    now = time.time()
    folder = _folder(desk.pk)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if now - state["updated"] > FORGET:
            path.unlink(missing_ok=True)
            continue
        gone = state.get("host") == os.uname().nodename and not _alive(int(state["pid"]))
        found.append(UnderWay(source=state["source"], done=int(state["done"]), total=int(state["total"]),
                              dry_run=bool(state["dry_run"]), started=float(state["started"]),
                              updated=float(state["updated"]), stopped=gone or now - state["updated"] > STALE))
    return sorted(found, key=lambda u: u.started)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
