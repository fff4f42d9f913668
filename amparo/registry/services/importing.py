"""The writes of an import (registry.transfer.importing reads and checks the file, then calls
`write_import`): the run, the incidents, their defenders and terms, in batches, in one
transaction with its audit entry, or nothing.

Incidents, defenders and the many-to-many rows go in with `bulk_create`; each sealed part is
sealed to the desk's ring with public keys only (no member's key is needed, so a command can
import). One audit entry per import, pointing at its `ImportRun`, which every imported incident
points back to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry import sealing
from amparo.registry.actions import Action
from amparo.registry.models import Defender, ImportedRecord, ImportRun, Incident

if TYPE_CHECKING:
    from amparo.registry.transfer.importing.rows import DefenderRow, RowData

BATCH = 1000
# The incident's lists of terms a mapping fills (registry.transfer.importing.mapping.TERM_FIELDS).
TERM_FIELDS = ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders")
Actor = User | str
Progress = Callable[[str, int, int], None]  # (phase, rows done, rows in all or 0 if not known)


@dataclass(frozen=True)
class Counts:
    """What the importer counted, kept on the run."""

    rows: int
    added: int
    updated: int
    unchanged: int


def write_import(desk: Desk, source: str, actor: Actor, counts: Counts, new: list[RowData],
                 changed: list[RowData], existing: dict[str, tuple[int, str]],
                 progress: Progress | None = None) -> int:
    """Everything in one transaction: the run, the rows, the audit entry. Returns the run's id.
    Raises the vault's NoKeyHolder (nothing written) when the desk has nobody with its key."""
    with transaction.atomic():
        run = ImportRun.objects.create(
            desk=desk, source=source[:200], actor=actor if isinstance(actor, User) else None,
            rows=counts.rows, added=counts.added, updated=counts.updated, unchanged=counts.unchanged)
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


def _batches(items: list[RowData], size: int) -> Iterator[list[RowData]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


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

    def _fill(self, incident: Incident, row: RowData) -> None:
        for name in self.CLEAR:
            setattr(incident, name, row.clear.get(name, self.defaults[name]))
        # Where she reported it is read from the row's clear part (so a re-import's digest of
        # older runs still matches) but stored sealed, as every other sealed part.
        texts = {**row.sealed, "reported_to": row.clear.get("reported_to", "")}
        sealing.seal_incident_parts(self.desk, incident, texts)
        incident.consent_recorded_by, incident.consent_recorded_at = self.user, self.now

    def _defender(self, defender: Defender, row: DefenderRow) -> None:
        defender.kind, defender.gender_id = row.kind, row.gender
        defender.name = sealing.seal_defender_name(self.desk, row.name) if row.name else None

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
        self._unlink(dropped)

    def _unlink(self, dropped: list[tuple[int, int]]) -> None:
        through = Incident.defenders.through
        for incident_id, defender_id in dropped:
            through.objects.filter(incident_id=incident_id, defender_id=defender_id).delete()
            if not through.objects.filter(defender_id=defender_id).exists():
                try:
                    with transaction.atomic():
                        Defender.objects.filter(pk=defender_id).delete()
                except ProtectedError:
                    pass  # another record (an appeal, a plan) still names her: she stays, unlinked
