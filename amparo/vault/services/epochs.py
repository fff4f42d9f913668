"""A ring's epochs: making the next one (sealed straight to every entitled member), keeping
each member's "pending" mark true, and reading the newest epoch to seal to."""

from __future__ import annotations

from django.db import connection

from amparo.vault import crypto
from amparo.vault.errors import NoKeyHolder
from amparo.vault.models import Grant, KeyRing, RingEpoch, RingMember
from amparo.vault.services.keys import public_keys


def new_epoch(ring: KeyRing, reason: str) -> tuple[RingEpoch, bytes]:
    """Make the next epoch and seal its private key straight to every entitled member who has
    a key (and to the ring's recovery key): no unlocking and no background job needed."""
    private, public = crypto.new_keypair()
    last = ring.epochs.order_by("-number").values_list("number", flat=True).first() or 0
    epoch = RingEpoch.objects.create(
        ring=ring, number=last + 1, public_key=public, reason=reason,
        sealed_to_recovery=crypto.seal_to(bytes(ring.recovery_public_key), private)
        if ring.recovery_public_key else None,
    )
    members = list(ring.members.values_list("user_id", flat=True))
    keys = public_keys(members)
    Grant.objects.bulk_create(
        Grant(epoch=epoch, user_id=uid, sealed_private_key=crypto.seal_to(pk, private))
        for uid, pk in keys.items()
    )
    return epoch, private


def refresh_pending(ring: KeyRing) -> None:
    epochs = set(ring.epochs.values_list("id", flat=True))
    held: dict[int, set[int]] = {}
    for epoch_id, user_id in Grant.objects.filter(epoch__ring=ring).values_list("epoch_id", "user_id"):
        held.setdefault(user_id, set()).add(epoch_id)
    for member in ring.members.all():
        pending = not epochs or held.get(member.user_id, set()) != epochs
        if member.pending != pending:
            RingMember.objects.filter(pk=member.pk).update(pending=pending)


def current_epoch(ring: KeyRing) -> tuple[int, bytes]:
    """The ring's newest epoch, read fresh every time: sealing to an older one after a member
    left would let her read it. Plain SQL because this runs once per sealed record and the
    ORM's query building costs ten times the query itself (bench/vault.py)."""
    table = RingEpoch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, public_key FROM {table} WHERE ring_id = %s ORDER BY number DESC LIMIT 1",  # noqa: S608
            [ring.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise NoKeyHolder(ring.label)
    return int(row[0]), bytes(row[1])
