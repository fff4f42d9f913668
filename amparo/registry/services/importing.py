"""The writes of an import (registry.transfer.importing reads and checks the file, batch by batch,
and hands each checked batch here): the run, the incidents, their defenders and terms, the
import records, all in one transaction with the import's audit entry, or nothing.

    with import_session(desk, source, actor) as session:
        for new, changed, existing in checked_batches:
            session.write(new, changed, existing)
        session.finish(counts)       # not called (errors found): everything is rolled back

One transaction for the whole file, however many batches: a row found bad late in the file, an
exception, or a killed process leaves nothing written, and the import can simply be run again.

New rows, the bulk of any first import, are written the fastest way each database has:
PostgreSQL's `COPY ... FROM STDIN` (psycopg 3's `cursor.copy()`), SQLite's `executemany` of one
prepared INSERT; their primary keys are reserved beforehand (a sequence's `nextval` on
PostgreSQL; on SQLite, the table's highest id, read once this transaction holds the write
lock) so the many-to-many rows can point at them. Changed rows (a re-import of an edited file)
go through the ORM. Each sealed part is sealed with public keys only (no member's key is
needed, so a command can import), the ring's newest epoch being read once per batch
(`sealing.BatchSealer`). Each batch announces its incidents (`signals.announce`) inside the
transaction, for the floors above.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry import sealing
from amparo.registry.actions import Action
from amparo.registry.models import Defender, ImportedRecord, ImportRun, Incident
from amparo.registry.signals import announce

if TYPE_CHECKING:
    from amparo.registry.transfer.importing.rows import DefenderRow, RowData

BATCH = 2000
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


@contextmanager
def import_session(desk: Desk, source: str, actor: Actor) -> Iterator[ImportSession]:
    """One transaction for one import: commits only when `finish` was called inside the block;
    otherwise (errors found, an exception, a killed process) nothing of it stays."""
    with transaction.atomic():
        session = ImportSession(desk, source, actor)
        yield session
        if session.run_id is None:
            transaction.set_rollback(True)


class ImportSession:
    """Writes checked batches of rows for one import run, in the session's transaction."""

    CLEAR = ("occurred_on", "date_precision", "country", "subdivision", "victims", "status",
             "reported_to_authorities", "reported_on", "justice",
             "consent_statistics", "consent_public_appeal", "consent_un")

    def __init__(self, desk: Desk, source: str, actor: Actor) -> None:
        self.desk, self.actor = desk, actor
        self.user = actor if isinstance(actor, User) else None
        # The run is the transaction's first write: on SQLite it takes the write lock, which
        # the id reservation below relies on.
        self.run = ImportRun.objects.create(desk=desk, source=source[:200], actor=self.user)
        self.run_id: int | None = None
        self.now = timezone.now()
        blank = Incident()  # the model's defaults, for fields the mapping leaves out
        self.defaults = {name: getattr(blank, name) for name in self.CLEAR}
        self.rows = _FastRows(desk, self.run, self.user, self.now)

    def write(self, new: Sequence[RowData], changed: Sequence[RowData],
              existing: dict[str, tuple[int, str]]) -> None:
        """One checked batch: `new` rows added, `changed` ones (keys in `existing`) updated."""
        if not new and not changed:
            return
        sealer = sealing.BatchSealer(self.desk)  # the ring's newest epoch, once per batch
        ids = self.rows.add(new, sealer) if new else []
        if changed:
            ids += self.update(changed, {r.key: existing[r.key][0] for r in changed}, sealer)
        announce(ids)

    def finish(self, counts: Counts) -> int:
        """The run's counts and the audit entry; the transaction then commits."""
        ImportRun.objects.filter(pk=self.run.pk).update(
            rows=counts.rows, added=counts.added, updated=counts.updated, unchanged=counts.unchanged)
        record_audit(self.actor, Action.IMPORTED, self.run, scope=network.scope_of(self.desk.network))
        self.run_id = int(self.run.pk)
        return self.run_id

    # --- Changed rows (through the ORM) -------------------------------------------------------

    def _fill(self, incident: Incident, row: RowData, sealer: sealing.BatchSealer) -> None:
        for name in self.CLEAR:
            setattr(incident, name, row.clear.get(name, self.defaults[name]))
        for name, sealed in sealer.incident_parts(_sealed_texts(row)).items():
            setattr(incident, name, sealed)
        incident.consent_recorded_by, incident.consent_recorded_at = self.user, self.now

    def update(self, rows: Sequence[RowData], incident_ids: dict[str, int],
               sealer: sealing.BatchSealer) -> list[int]:
        found = Incident.objects.in_bulk([incident_ids[r.key] for r in rows])
        pairs = [(found[incident_ids[r.key]], r) for r in rows]
        for incident, row in pairs:
            self._fill(incident, row, sealer)
            incident.updated_at = self.now
        Incident.objects.bulk_update([i for i, _ in pairs], [*self.CLEAR, *Incident.SEALED, "consent_recorded_by",
                                                             "consent_recorded_at", "updated_at"])
        ids = [i.pk for i, _ in pairs]
        for relation in TERM_FIELDS:
            getattr(Incident, relation).through.objects.filter(incident_id__in=ids).delete()
        for relation in TERM_FIELDS:
            through = getattr(Incident, relation).through
            links = [through(incident_id=i.pk, term_id=t) for i, r in pairs for t in r.terms.get(relation, [])]
            if links:
                through.objects.bulk_create(links)
        current: dict[int, list[Defender]] = {pk: [] for pk in ids}
        through = Incident.defenders.through
        for link in through.objects.filter(incident_id__in=ids).select_related("defender").order_by("defender_id"):
            current[link.incident_id].append(link.defender)
        self._defenders([(i, r, current[i.pk]) for i, r in pairs], sealer)
        records = list(ImportedRecord.objects.filter(incident_id__in=ids))
        digests = {incident_ids[r.key]: r.digest for r in rows}
        for record in records:
            record.digest, record.last_run = digests[record.incident_id], self.run
        ImportedRecord.objects.bulk_update(records, ["digest", "last_run"])
        return ids

    def _defenders(self, items: list[tuple[Incident, RowData, list[Defender]]], sealer: sealing.BatchSealer) -> None:
        """Each row's defenders, in order, onto the incident's: the first ones are updated in
        place, more are added, and those no longer in the row are unlinked (and deleted when
        no other incident names them)."""
        new: list[tuple[Incident, Defender, DefenderRow]] = []
        kept: list[tuple[Defender, DefenderRow]] = []
        dropped: list[tuple[int, int]] = []

        def fill(defender: Defender, row: DefenderRow) -> None:
            defender.kind, defender.gender_id = row.kind, row.gender
            defender.name = sealer.defender_name(row.name) if row.name else None

        for incident, row, current in items:
            for i, wanted in enumerate(row.defenders):
                if i < len(current):
                    fill(current[i], wanted)
                    kept.append((current[i], wanted))
                else:
                    defender = Defender(desk=self.desk)
                    fill(defender, wanted)
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


def _sealed_texts(row: RowData) -> dict[str, str]:
    # Where she reported it is read from the row's clear part (so a re-import's digest of older
    # runs still matches) but stored sealed, as every other sealed part.
    return {**row.sealed, "reported_to": row.clear.get("reported_to", "")}


# --- New rows: the fastest write each database has --------------------------------------------

class _Table:
    """The columns of one table as the fast path writes them: every concrete column of the
    model, with the values that do not vary from row to row prepared once."""

    def __init__(self, model: type[models.Model], fixed: dict[str, Any], varying: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields: list[models.Field[Any, Any]] = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.pk = str(model._meta.pk.column)
        by_name = {f.name: f for f in fields}
        self.varying = [by_name[n] for n in varying]
        self.fixed_fields = [f for f in fields if f.name not in set(varying)]
        self.columns: list[str] = [self.pk, *(str(f.column) for f in self.varying),
                                   *(str(f.column) for f in self.fixed_fields)]
        self.fixed = tuple(self._prepared(f, fixed[f.name] if f.name in fixed else f.get_default())
                           for f in self.fixed_fields)

    @staticmethod
    def _prepared(field: models.Field[Any, Any], value: Any) -> Any:
        if isinstance(value, models.Model):
            value = value.pk
        prepared = field.get_db_prep_save(value, connection)
        if connection.vendor == "postgresql" and isinstance(prepared, memoryview):
            prepared = bytes(prepared)
        return prepared


class _FastRows:
    """Adds new incidents with COPY (PostgreSQL) or executemany (SQLite), with their defenders,
    many-to-many rows and import records."""

    def __init__(self, desk: Desk, run: ImportRun, user: User | None, now: datetime) -> None:
        self.desk, self.run = desk, run
        self.postgres = connection.vendor == "postgresql"
        blank = Incident()
        self.defaults = {name: getattr(blank, name) for name in ImportSession.CLEAR}
        self.incidents = _Table(Incident, {
            "desk": desk.pk, "channel": Incident.Channel.IMPORT, "consent_recorded_by": user,
            "consent_recorded_at": now, "created_at": now, "updated_at": now}, [*ImportSession.CLEAR, *Incident.SEALED])
        self.defenders = _Table(Defender, {"desk": desk.pk, "created_at": now}, ["kind", "gender", "name"])
        self.next_id: dict[str, int] = {}
        self.date_column = connection.ops.adapt_datefield_value

    def add(self, rows: Sequence[RowData], sealer: sealing.BatchSealer) -> list[int]:
        ids = self._reserve(self.incidents.name, len(rows))
        clear_fields = self.incidents.varying[:len(ImportSession.CLEAR)]
        defaults = self.defaults
        dates = not self.postgres  # SQLite stores dates as text
        incident_rows = []
        for pk, row in zip(ids, rows, strict=True):
            values: list[Any] = [pk]
            for field in clear_fields:
                value = row.clear.get(field.name, defaults[field.name])
                values.append(self.date_column(value) if dates and isinstance(value, date) else value)
            sealed = sealer.incident_parts(_sealed_texts(row))
            values += [sealed[name] for name in Incident.SEALED]
            values += self.incidents.fixed
            incident_rows.append(values)
        self._insert(self.incidents.name, self.incidents.columns, incident_rows)
        del incident_rows
        for relation in TERM_FIELDS:
            through = getattr(Incident, relation).through
            self._insert(through._meta.db_table, ["incident_id", "term_id"],
                         [(pk, t) for pk, r in zip(ids, rows, strict=True) for t in r.terms.get(relation, [])])
        self._add_defenders(ids, rows, sealer)
        self._insert(ImportedRecord._meta.db_table,
                     ["desk_id", "incident_id", "key", "digest", "first_run_id", "last_run_id"],
                     [(self.desk.pk, pk, r.key, r.digest, self.run.pk, self.run.pk)
                      for pk, r in zip(ids, rows, strict=True)])
        return ids

    def _add_defenders(self, ids: list[int], rows: Sequence[RowData], sealer: sealing.BatchSealer) -> None:
        wanted = [(pk, d) for pk, r in zip(ids, rows, strict=True) for d in r.defenders]
        if not wanted:
            return
        defender_ids = self._reserve(self.defenders.name, len(wanted))
        self._insert(self.defenders.name, self.defenders.columns, [
            (did, d.kind, d.gender, sealer.defender_name(d.name) if d.name else None, *self.defenders.fixed)
            for did, (_pk, d) in zip(defender_ids, wanted, strict=True)])
        links = Incident.defenders.through._meta.db_table
        self._insert(links, ["incident_id", "defender_id"],
                     [(pk, did) for did, (pk, _d) in zip(defender_ids, wanted, strict=True)])
        self._insert(Defender.profiles.through._meta.db_table, ["defender_id", "term_id"],
                     [(did, t) for did, (_pk, d) in zip(defender_ids, wanted, strict=True) for t in d.profiles])

    def _reserve(self, table: str, count: int) -> list[int]:
        """`count` new primary keys of `table`, never used before."""
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, count])
                return [int(r[0]) for r in cursor.fetchall()]
            if table not in self.next_id:
                # This transaction holds SQLite's write lock (the run was written first): nobody
                # else adds a row before it commits. AUTOINCREMENT never reuses an id, so the
                # sequence counts as well as the highest id.
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                highest = int(cursor.fetchone()[0])
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                seq = cursor.fetchone()
                self.next_id[table] = max(highest, int(seq[0]) if seq else 0) + 1
            start = self.next_id[table]
            self.next_id[table] = start + count
            return list(range(start, start + count))

    def _insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        q = connection.ops.quote_name
        names = ", ".join(q(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {q(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {q(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608 - names from the models
                                   rows)
