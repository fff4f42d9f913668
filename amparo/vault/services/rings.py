"""Rings and their members: who is entitled to read what a desk or a network seals, and
handing the epoch keys over to newcomers."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.vault import crypto
from amparo.vault.actions import Action
from amparo.vault.errors import LastKeyHolder
from amparo.vault.models import Grant, KeyRing, RingEpoch, RingMember
from amparo.vault.services.epochs import new_epoch, refresh_pending
from amparo.vault.services.keys import Unlocked, has_member_key, public_keys


def create_ring(label: str) -> KeyRing:
    """An empty ring; its first epoch is made when the first member with a key joins."""
    ring, _ = KeyRing.objects.get_or_create(label=label)
    return ring


def add_ring_member(ring: KeyRing, user: User, *, actor: User | str = "system") -> RingMember:
    """Entitle `user` to the ring. Her grants are completed by the next member who is unlocked
    (or at once, if the ring has no epoch yet and she has a key: she starts it)."""
    with transaction.atomic():
        ring = KeyRing.objects.select_for_update().get(pk=ring.pk)
        member, created = RingMember.objects.get_or_create(ring=ring, user=user)
        if not ring.epochs.exists() and has_member_key(user):
            new_epoch(ring, "created")
        refresh_pending(ring)
        if created:
            record_audit(actor, Action.RING_MEMBER_ADDED, object_type="vault.keyring", object_id=ring.pk)
    member.refresh_from_db()
    return member


def remove_ring_member(
    ring: KeyRing, user: User, *, reason: str = "member removed", actor: User | str = "system"
) -> None:
    """Delete her grants and open a new epoch sealed to the remaining members, in this
    request. Refuses to remove the last complete key holder unless a recovery sheet for the
    ring is confirmed. What she could open before stays openable to her if she kept copies."""
    with transaction.atomic():
        ring = KeyRing.objects.select_for_update().get(pk=ring.pk)
        member = RingMember.objects.filter(ring=ring, user=user).first()
        if member is None:
            return
        others = ring.members.exclude(user=user)
        holders = others.filter(pending=False).count()
        if ring.epochs.exists() and not member.pending and holders == 0 and ring.recovery_confirmed_at is None:
            raise LastKeyHolder
        Grant.objects.filter(epoch__ring=ring, user=user).delete()
        member.delete()
        if ring.epochs.exists():
            new_epoch(ring, reason)
        refresh_pending(ring)
        record_audit(actor, Action.RING_MEMBER_REMOVED, object_type="vault.keyring", object_id=ring.pk)


def complete_pending_grants(unlocked: Unlocked) -> int:
    """Give newcomers the epochs this unlocked member holds. Cheap when nothing is pending
    (one query); called on each request of an unlocked member. Returns grants made."""
    rings = RingMember.objects.filter(user_id=unlocked.user_id, pending=False).values("ring_id")
    waiting = list(RingMember.objects.filter(ring_id__in=rings, pending=True)
                   .exclude(user_id=unlocked.user_id).values_list("ring_id", "user_id"))
    if not waiting:
        return 0
    made = 0
    keys = public_keys(uid for _, uid in waiting)
    with transaction.atomic():
        for ring_id, user_id in waiting:
            if user_id not in keys:
                continue  # no key yet: she gets one at her next login
            have = Grant.objects.filter(epoch__ring_id=ring_id, user_id=user_id).values("epoch_id")
            for epoch in RingEpoch.objects.filter(ring_id=ring_id).exclude(id__in=have):
                sealed = crypto.seal_to(keys[user_id], unlocked.epoch_key(epoch.pk))
                Grant.objects.create(epoch=epoch, user_id=user_id, sealed_private_key=sealed)
                made += 1
        for ring in KeyRing.objects.filter(id__in={r for r, _ in waiting}):
            refresh_pending(ring)
            # Who handed the keys over, and in which ring: the trust boundary made visible.
            record_audit(unlocked.user_id, Action.GRANTS_COMPLETED, object_type="vault.keyring",
                         object_id=ring.pk)
    return made


def pending_members(ring: KeyRing) -> list[int]:
    """User ids still waiting for grants (shown to the desk)."""
    return list(ring.members.filter(pending=True).values_list("user_id", flat=True))


def is_reader(ring: KeyRing, user: User) -> bool:
    return RingMember.objects.filter(ring=ring, user=user, pending=False).exists()
