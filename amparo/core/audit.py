"""Appending to and verifying the audit chain. The only code that writes `AuditEntry`."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from amparo.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


class AuditAction(enum.StrEnum):
    """The base of every app's catalogue of audit actions. An app declares its own in
    `amparo/<app>/actions.py` as `class Action(AuditAction)` with dotted values
    ("incident.recorded"), so a typo is a NameError, not a silent new action; `record` takes
    only members of such a catalogue."""

    @classmethod
    def catalogue(cls) -> dict[str, AuditAction]:
        """Every action of every app's catalogue, by value."""
        found: dict[str, AuditAction] = {}
        pending = list(cls.__subclasses__())
        while pending:
            sub = pending.pop()
            pending.extend(sub.__subclasses__())
            found.update({member.value: member for member in sub})
        return found


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "scope": entry.scope,
    }


Actor = AbstractBaseUser | AnonymousUser | int | str | None  # a user, her id, "system", or nobody


def record(
    actor: Actor,
    action: AuditAction,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    scope: str = "",
) -> AuditEntry:
    """Append one entry: who (`actor` is a user, None for anonymous, or "system"), what action,
    which object. Never pass content: only identifiers. Runs inside the caller's transaction,
    so the entry exists exactly when the write it describes does. `action` is a member of an
    app's catalogue (`amparo/<app>/actions.py`, `class Action(AuditAction)`); a plain string
    is refused with a TypeError, even one a catalogue holds."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"an audit action comes from a catalogue (a member of amparo/<app>/actions.py's "
                        f"Action, an AuditAction; all of them: AuditAction.catalogue()), not {action!r}")
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = obj.pk if object_id is None else object_id
    if actor == "system":
        actor_id, actor_label = None, "system"
    elif isinstance(actor, int):  # a user known by id only (e.g. an unlocked key's owner)
        actor_id, actor_label = actor, "user"
    elif isinstance(actor, AbstractBaseUser) and actor.is_authenticated:
        actor_id, actor_label = actor.pk, "user"
    else:  # nobody signed in (None, an anonymous user, a word other than "system")
        actor_id, actor_label = None, "anonymous"
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS}
        )
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type or "",
            object_id=str(object_id or ""),
            scope=scope,
            prev_hash=head.hash,
        )
        entry.hash = _digest(head.hash, _fields(entry))
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def latest() -> AuditHead:
    """The newest sequence number and hash (the anchor sent to coordinators)."""
    head = AuditHead.objects.filter(id=1).first()
    return head or AuditHead(id=1, seq=0, hash=GENESIS)


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def _walk(batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(anchor: str | None = None) -> tuple[int, Break | None]:
    """Walk the whole chain; return how many entries were checked and the first break.

    With `anchor`, also require that an entry with that hash is on the verified chain: an
    anchor sent out earlier proves nothing before it was rewritten."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    anchor_seen = anchor is None or anchor == GENESIS
    for entry in _walk():
        if entry.seq != expected_seq:
            return checked, Break(expected_seq, f"entry #{expected_seq} is missing")
        if entry.prev_hash != prev_hash:
            return checked, Break(entry.seq, "does not link to the entry before it")
        if _digest(prev_hash, _fields(entry)) != entry.hash:
            return checked, Break(entry.seq, "its content does not match its hash")
        if anchor is not None and entry.hash == anchor:
            anchor_seen = True
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = latest()
    if head.seq != checked or head.hash != prev_hash:
        return checked, Break(checked + 1, "entries after the last one found were removed")
    if not anchor_seen:
        return checked, Break(checked, "the anchor is not on the chain")
    return checked, None
