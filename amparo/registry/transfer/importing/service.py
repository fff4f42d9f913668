"""Importing a file of incidents into a desk: read and check every row first, then hand all
of it to `services.write_import`, which writes it in one transaction, or nothing
(docs/import.md). Nothing here writes."""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amparo.network.models import Desk
from amparo.registry import services
from amparo.registry.models import ImportedRecord
from amparo.registry.services.importing import Actor, Progress
from amparo.registry.transfer.importing.mapping import Lookups, Mapping, load_mapping, parse_mapping
from amparo.registry.transfer.importing.rows import RowData, RowError, read_rows
from amparo.vault.errors import NoKeyHolder

LOOKUP_BATCH = 500


@dataclass
class ImportResult:
    """What an import did, or (dry run, or errors) would have done."""

    source: str
    dry_run: bool = False
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def import_file(path: str | Path, desk: Desk, mapping: Mapping | str | Path, *, actor: Actor = "system",
                dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
    """Import the CSV file at `path` into `desk` through `mapping` (a Mapping or a JSON file).
    Writes nothing if any row is invalid, or with `dry_run`; the result counts and names all."""
    lookups = Lookups()
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, lookups)
    with open(path, encoding=mapping.encoding, newline="") as lines:
        return import_lines(lines, desk, mapping, actor=actor, dry_run=dry_run, progress=progress, lookups=lookups)


def import_bytes(data: bytes, desk: Desk, mapping: Mapping | dict[str, Any], *, actor: Actor = "system",
                 dry_run: bool = False) -> ImportResult:
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
    return import_lines(io.StringIO(text, newline=""), desk, mapping, actor=actor, dry_run=dry_run,
                        lookups=lookups)


def import_lines(lines: Iterable[str], desk: Desk, mapping: Mapping, *, actor: Actor = "system",
                 dry_run: bool = False, progress: Progress | None = None, lookups: Lookups | None = None,
                 ) -> ImportResult:
    started = time.monotonic()
    lookups = lookups or Lookups()
    result = ImportResult(source=mapping.name, dry_run=dry_run)
    try:
        rows = list(read_rows(mapping, lines, lookups, result.errors,
                              progress=(lambda n: progress("checked", n, 0)) if progress else None))
    except UnicodeDecodeError as exc:
        result.errors.append(RowError(0, "", f"the file is not text in the encoding {mapping.encoding}: {exc}"))
        rows = []
    result.rows = len(rows) + _rows_with_errors(result.errors)
    if result.errors:
        result.seconds = time.monotonic() - started
        return result
    existing = _existing(desk, rows)
    new = [r for r in rows if r.key not in existing]
    changed = [r for r in rows if r.key in existing and existing[r.key][1] != r.digest]
    result.added, result.updated = len(new), len(changed)
    result.unchanged = len(rows) - len(new) - len(changed)
    if not dry_run:
        try:
            counts = services.Counts(result.rows, result.added, result.updated, result.unchanged)
            result.run_id = services.write_import(desk, mapping.name, actor, counts, new, changed, existing, progress)
        except NoKeyHolder:
            result.errors.append(RowError(0, "", "the desk has nobody with its key yet, so nothing imported "
                                                 "could ever be read: add a documenter first"))
    result.seconds = time.monotonic() - started
    return result


def _rows_with_errors(errors: list[RowError]) -> int:
    return len({e.line for e in errors if e.line > 1})


def _existing(desk: Desk, rows: list[RowData]) -> dict[str, tuple[int, str]]:
    """key -> (incident id, digest) of the rows already imported into this desk."""
    found: dict[str, tuple[int, str]] = {}
    keys = [r.key for r in rows]
    for start in range(0, len(keys), LOOKUP_BATCH):
        for key, incident_id, digest in ImportedRecord.objects.filter(
                desk=desk, key__in=keys[start:start + LOOKUP_BATCH]).values_list("key", "incident_id", "digest"):
            found[key] = (incident_id, digest)
    return found
