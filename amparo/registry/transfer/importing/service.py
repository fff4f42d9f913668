"""Importing a file of incidents into a desk, streamed: the file is read one row at a time, and
each batch of checked rows is looked up (already imported? changed?) and handed to
`services.import_session`, whose single transaction covers the whole file (docs/import.md).

A bad row anywhere, even the last, means nothing is written: the rows before it were written
inside the transaction, which is then rolled back; after the first bad row no more is written,
but every row is still checked so the person sees every problem at once. A dry run checks and
counts the same way and writes nothing. Memory stays flat whatever the size of the file: one
batch of rows, the identifiers met so far (`rows._Seen`, about 20 bytes a row) and the first
errors. Nothing here writes.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amparo.network.models import Desk
from amparo.registry import services
from amparo.registry.models import ImportedRecord
from amparo.registry.services.importing import BATCH, Actor, ImportSession, Progress
from amparo.registry.transfer.importing import progress as shown
from amparo.registry.transfer.importing.mapping import Lookups, Mapping, load_mapping, parse_mapping
from amparo.registry.transfer.importing.rows import Errors, RowData, RowError, read_rows
from amparo.vault.errors import NoKeyHolder


@dataclass
class ImportResult:
    """What an import did, or (dry run, or errors) would have done."""

    source: str
    dry_run: bool = False
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: Errors = field(default_factory=Errors)  # the first ones; `error_count` counts all
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors.total

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def error_count(self) -> int:
        return self.errors.total

    @property
    def errors_by_column(self) -> list[tuple[str, int]]:
        return self.errors.by_column.most_common()


def import_file(path: str | Path, desk: Desk, mapping: Mapping | str | Path, *, actor: Actor = "system",
                dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Import the CSV file at `path` into `desk` through `mapping` (a Mapping or a JSON file).
    Writes nothing if any row is invalid, or with `dry_run`; the result counts and names all."""
    lookups = Lookups()
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, lookups)
    total = _count_records(path, mapping)
    with open(path, encoding=mapping.encoding, newline="") as lines:
        return import_lines(lines, desk, mapping, actor=actor, dry_run=dry_run, progress=progress, lookups=lookups,
                            total=total)


def import_bytes(data: bytes, desk: Desk, mapping: Mapping | dict[str, Any], *, actor: Actor = "system",
                 dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """The same for a file held in memory (the upload page): it is never written to disk."""
    lookups = Lookups()
    if not isinstance(mapping, Mapping):
        mapping = parse_mapping(mapping, lookups)
    try:
        text = data.decode(mapping.encoding)
    except (UnicodeDecodeError, LookupError):
        result = ImportResult(source=mapping.name, dry_run=dry_run)
        result.errors.append(RowError(1, "", f"the file is not text in the encoding {mapping.encoding}"))
        return result
    total = _records(io.StringIO(text, newline=""), mapping)
    return import_lines(io.StringIO(text, newline=""), desk, mapping, actor=actor, dry_run=dry_run,
                        progress=progress, lookups=lookups, total=total)


def import_lines(lines: Iterable[str], desk: Desk, mapping: Mapping, *, actor: Actor = "system",
                 dry_run: bool = False, progress: Progress | None = None, lookups: Lookups | None = None,
                 total: int = 0) -> ImportResult:
    """Read, check and (unless `dry_run` or any row is bad) write, batch by batch, in one
    transaction. `total`, the file's rows when known, is only for the progress shown."""
    started = time.monotonic()
    result = ImportResult(source=mapping.name, dry_run=dry_run)
    tracker = shown.Tracker(desk, mapping.name, total, dry_run=dry_run, then=progress)
    with tracker, ExitStack() as stack:  # the transaction closes first, then the progress shown
        run = _Run(result, desk, mapping.name, actor, stack, tracker)
        batch: list[RowData] = []
        try:
            for row in read_rows(mapping, lines, lookups or Lookups(), result.errors,
                                 progress=lambda n: tracker.checked(n)):
                batch.append(row)
                if len(batch) >= BATCH:
                    run.batch(batch)
                    batch = []
        except UnicodeDecodeError as exc:
            result.errors.append(RowError(0, "", f"the file is not text in the encoding {mapping.encoding}: {exc}"))
        run.batch(batch)
        result.rows = run.valid + result.errors.rows
        if result.ok and not dry_run:
            if run.session is None:  # no row to write (a header alone, or every row blank): still a run
                run.session = stack.enter_context(services.import_session(desk, mapping.name, actor))
            result.run_id = run.session.finish(
                services.Counts(result.rows, result.added, result.updated, result.unchanged))
        # Otherwise the session's transaction (if one began) is rolled back as the stack closes.
    result.seconds = time.monotonic() - started
    return result


class _Run:
    """One pass over the file's checked batches: counts them, and writes them while no error
    has been found (and it is not a dry run)."""

    def __init__(self, result: ImportResult, desk: Desk, source: str, actor: Actor, stack: ExitStack,
                 tracker: shown.Tracker) -> None:
        self.result, self.desk, self.source, self.actor = result, desk, source, actor
        self.stack, self.tracker = stack, tracker
        self.session: ImportSession | None = None
        self.valid = 0

    def batch(self, rows: list[RowData]) -> None:
        if not rows:
            return
        result = self.result
        self.valid += len(rows)
        existing = _existing(self.desk, rows)
        new = [r for r in rows if r.key not in existing]
        changed = [r for r in rows if r.key in existing and existing[r.key][1] != r.digest]
        result.added += len(new)
        result.updated += len(changed)
        result.unchanged += len(rows) - len(new) - len(changed)
        if result.dry_run or not result.ok:
            return  # a dry run, or a bad row already found: nothing more is written
        try:
            if self.session is None:
                self.session = self.stack.enter_context(services.import_session(self.desk, self.source, self.actor))
            self.session.write(new, changed, existing)
        except NoKeyHolder:
            result.errors.append(RowError(0, "", "the desk has nobody with its key yet, so nothing imported "
                                                 "could ever be read: add a documenter first"))
            return
        self.tracker.written(self.valid)


def _existing(desk: Desk, rows: list[RowData]) -> dict[str, tuple[int, str]]:
    """key -> (incident id, digest) of the batch's rows already imported into this desk."""
    return {key: (incident_id, digest) for key, incident_id, digest in ImportedRecord.objects.filter(
        desk=desk, key__in=[r.key for r in rows]).values_list("key", "incident_id", "digest")}


def _count_records(path: str | Path, mapping: Mapping) -> int:
    """The file's rows (records, not lines: a quoted cell may hold line breaks), for the
    progress shown; 0 when it cannot be read (the import then says why)."""
    try:
        with open(path, encoding=mapping.encoding, newline="") as lines:
            return _records(lines, mapping)
    except (OSError, UnicodeDecodeError, LookupError):
        return 0


def _records(lines: Iterable[str], mapping: Mapping) -> int:
    count = -1  # the header
    try:
        for count, _ in enumerate(csv.reader(lines, delimiter=mapping.delimiter)):  # noqa: B007
            pass
    except (csv.Error, UnicodeDecodeError):
        return 0
    return max(count, 0)
