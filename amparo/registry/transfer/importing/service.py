"""Importing a file of incidents into a desk: read and check every row first, then write all
of it in one transaction, or nothing (docs/import.md).

Writes go in batches: incidents, defenders and the many-to-many rows with `bulk_create`, each
sealed part sealed to the desk's ring with public keys only (no member's key is needed, so a
command can import). One audit entry per import, pointing at its `ImportRun`, which every
imported incident points back to.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry.actions import Action
from amparo.registry.models import Defender, ImportedRecord, ImportRun, Incident
from amparo.registry.transfer.importing.mapping import TERM_FIELDS, Lookups, Mapping, load_mapping, parse_mapping
from amparo.registry.transfer.importing.rows import DefenderRow, RowData, RowError, read_rows
from amparo.vault.errors import NoKeyHolder

BATCH = 1000
LOOKUP_BATCH = 500
Actor = User | str
Progress = Callable[[str, int, int], None]  # (phase, rows done, rows in all or 0 if not known)


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
            result.run_id = _write(desk, mapping, actor, result, new, changed, existing, progress)
        except NoKeyHolder:
            result.errors.append(RowError(0, "", "the desk has nobody with its key yet, so nothing imported "
                                                 "could ever be read: add a documenter first"))
    result.seconds = time.monotonic() - started
    return result


def _write(desk: Desk, mapping: Mapping, actor: Actor, result: ImportResult, new: list[RowData],
           changed: list[RowData], existing: dict[str, tuple[int, str]], progress: Progress | None) -> int:
    """Everything in one transaction: the run, the rows, the audit entry."""
    with transaction.atomic():
        run = ImportRun.objects.create(
            desk=desk, source=mapping.name[:200], actor=actor if isinstance(actor, User) else None,
            rows=result.rows, added=result.added, updated=result.updated, unchanged=result.unchanged)
        writer = _Writer(desk, run, actor)
        done, total = 0, len(new) + len(changed)
        for batch in _batches(new, BATCH):
            writer.add(batch)
            done += len(batch)
            if progress:
                progress("written", done, total)
        for batch in _batches(changed, BATCH):
            writer.update(batch, {r.key: existing[r.key][0] for r in batch})
            done += len(batch)
            if progress:
                progress("written", done, total)
        record_audit(actor, Action.IMPORTED, run, scope=network.scope_of(desk.network))
    return int(run.pk)


def _rows_with_errors(errors: list[RowError]) -> int:
    return len({e.line for e in errors if e.line > 1})


def _batches(items: list[RowData], size: int) -> Iterator[list[RowData]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing(desk: Desk, rows: list[RowData]) -> dict[str, tuple[int, str]]:
    """key -> (incident id, digest) of the rows already imported into this desk."""
    found: dict[str, tuple[int, str]] = {}
    keys = [r.key for r in rows]
    for start in range(0, len(keys), LOOKUP_BATCH):
        for key, incident_id, digest in ImportedRecord.objects.filter(
                desk=desk, key__in=keys[start:start + LOOKUP_BATCH]).values_list("key", "incident_id", "digest"):
            found[key] = (incident_id, digest)
    return found


def _label(model: str, name: str) -> str:
    return f"registry.{model}.{name}"


class _Writer:
    """Writes batches of rows for one import run, in the caller's transaction."""

    CLEAR = ("occurred_on", "date_precision", "country", "subdivision", "victims", "status",
             "reported_to_authorities", "reported_on", "justice",
             "consent_statistics", "consent_public_appeal", "consent_un")

    def __init__(self, desk: Desk, run: ImportRun, actor: Actor) -> None:
        self.desk, self.run = desk, run
        self.user = actor if isinstance(actor, User) else None
        self.now = timezone.now()
        blank = Incident()  # the model's defaults, for fields the mapping leaves out
        self.defaults = {name: getattr(blank, name) for name in self.CLEAR}

    def _seal(self, model: str, name: str, text: str) -> bytes | None:
        return network.seal_for_desk(self.desk, text, label=_label(model, name)) if text else None

    def _fill(self, incident: Incident, row: RowData) -> None:
        for name in self.CLEAR:
            setattr(incident, name, row.clear.get(name, self.defaults[name]))
        # Where she reported it is read from the row's clear part (so a re-import's digest of
        # older runs still matches) but stored sealed, as every other sealed part.
        texts = {**row.sealed, "reported_to": row.clear.get("reported_to", "")}
        for name in Incident.SEALED:
            setattr(incident, name, self._seal("incident", name, texts.get(name, "")))
        incident.consent_recorded_by, incident.consent_recorded_at = self.user, self.now

    def _defender(self, defender: Defender, row: DefenderRow) -> None:
        defender.kind, defender.gender_id = row.kind, row.gender
        defender.name = self._seal("defender", "name", row.name)

    def add(self, rows: list[RowData]) -> None:
        incidents = []
        for row in rows:
            incident = Incident(desk=self.desk, channel=Incident.Channel.IMPORT)
            self._fill(incident, row)
            incidents.append(incident)
        Incident.objects.bulk_create(incidents)
        self._relations(list(zip(incidents, rows, strict=True)))
        self._defenders([(i, r, []) for i, r in zip(incidents, rows, strict=True)])
        ImportedRecord.objects.bulk_create([
            ImportedRecord(desk=self.desk, incident=i, key=r.key, digest=r.digest, first_run=self.run,
                           last_run=self.run) for i, r in zip(incidents, rows, strict=True)])

    def update(self, rows: list[RowData], incident_ids: dict[str, int]) -> None:
        found = Incident.objects.in_bulk([incident_ids[r.key] for r in rows])
        pairs = [(found[incident_ids[r.key]], r) for r in rows]
        for incident, row in pairs:
            self._fill(incident, row)
            incident.updated_at = self.now
        Incident.objects.bulk_update([i for i, _ in pairs], [*self.CLEAR, *Incident.SEALED, "consent_recorded_by",
                                                             "consent_recorded_at", "updated_at"])
        ids = [i.pk for i, _ in pairs]
        for relation in TERM_FIELDS:
            getattr(Incident, relation).through.objects.filter(incident_id__in=ids).delete()
        self._relations(pairs)
        current: dict[int, list[Defender]] = {pk: [] for pk in ids}
        through = Incident.defenders.through
        for link in through.objects.filter(incident_id__in=ids).select_related("defender").order_by("defender_id"):
            current[link.incident_id].append(link.defender)
        self._defenders([(i, r, current[i.pk]) for i, r in pairs])
        records = list(ImportedRecord.objects.filter(incident_id__in=ids))
        digests = {incident_ids[r.key]: r.digest for r in rows}
        for record in records:
            record.digest, record.last_run = digests[record.incident_id], self.run
        ImportedRecord.objects.bulk_update(records, ["digest", "last_run"])

    def _relations(self, pairs: list[tuple[Incident, RowData]]) -> None:
        for relation in TERM_FIELDS:
            through = getattr(Incident, relation).through
            links = [through(incident_id=i.pk, term_id=t) for i, r in pairs for t in r.terms.get(relation, [])]
            if links:
                through.objects.bulk_create(links)

    def _defenders(self, items: list[tuple[Incident, RowData, list[Defender]]]) -> None:
        """Each row's defenders, in order, onto the incident's: the first ones are updated in
        place, more are added, and those no longer in the row are unlinked (and deleted when
        no other incident names them)."""
        new: list[tuple[Incident, Defender, DefenderRow]] = []
        kept: list[tuple[Defender, DefenderRow]] = []
        dropped: list[tuple[int, int]] = []
        for incident, row, current in items:
            for i, wanted in enumerate(row.defenders):
                if i < len(current):
                    self._defender(current[i], wanted)
                    kept.append((current[i], wanted))
                else:
                    defender = Defender(desk=self.desk)
                    self._defender(defender, wanted)
                    new.append((incident, defender, wanted))
            dropped += [(incident.pk, d.pk) for d in current[len(row.defenders):]]
        if kept:
            Defender.objects.bulk_update([d for d, _ in kept], ["kind", "gender", "name"])
            Defender.profiles.through.objects.filter(defender_id__in=[d.pk for d, _ in kept]).delete()
        if new:
            Defender.objects.bulk_create([d for _, d, _ in new])
            Incident.defenders.through.objects.bulk_create(
                [Incident.defenders.through(incident_id=i.pk, defender_id=d.pk) for i, d, _ in new])
        profiles = [Defender.profiles.through(defender_id=d.pk, term_id=t)
                    for d, w in [*kept, *((d, w) for _, d, w in new)] for t in w.profiles]
        if profiles:
            Defender.profiles.through.objects.bulk_create(profiles)
        through = Incident.defenders.through
        for incident_id, defender_id in dropped:
            through.objects.filter(incident_id=incident_id, defender_id=defender_id).delete()
            if not through.objects.filter(defender_id=defender_id).exists():
                try:
                    with transaction.atomic():
                        Defender.objects.filter(pk=defender_id).delete()
                except ProtectedError:
                    pass  # another record (an appeal, a plan) still names her: she stays, unlinked
