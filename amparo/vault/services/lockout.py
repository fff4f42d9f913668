"""Lockdown: a member whose phone may be in other hands is taken out of every ring she is in,
at once, and put back later by her desk after it has checked who she is (helpdesk's lockdown).

Taking her out is `remove_ring_member` ring by ring: her grants go and each ring moves to a new
epoch sealed to the others only, so nothing sealed from now on opens with her key. A ring she
alone could open (and whose recovery sheet is not confirmed) is left as it was: removing her
would lose its records; her desk restores it from its recovery sheet instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from amparo.accounts.models import User
from amparo.vault.errors import LastKeyHolder
from amparo.vault.models import KeyRing, RingMember
from amparo.vault.services.rings import add_ring_member, remove_ring_member

LOCKDOWN = "lockdown"  # the new epochs' reason


@dataclass(frozen=True)
class LockedOut:
    """What lockdown did to her rings (ids and labels, never keys)."""

    rotated: list[int] = field(default_factory=list)  # now in a new epoch she holds no grant for
    last_holder: list[int] = field(default_factory=list)  # she alone opens it: restore from the sheet
    labels: dict[int, str] = field(default_factory=dict)


def lock_out_member(user: User, *, actor: User | str = "system") -> LockedOut:
    """Take `user` out of every ring she is in; each such ring gets a new epoch she cannot
    open. Rings she alone holds are listed in `last_holder` and left as they were. Safe to run
    twice (the second run finds no ring)."""
    rotated: list[int] = []
    last_holder: list[int] = []
    labels: dict[int, str] = {}
    with transaction.atomic():
        ring_ids = list(RingMember.objects.filter(user=user).values_list("ring_id", flat=True))
        for ring in KeyRing.objects.filter(id__in=ring_ids).order_by("pk"):
            labels[ring.pk] = ring.label
            try:
                with transaction.atomic():
                    remove_ring_member(ring, user, reason=LOCKDOWN, actor=actor)
            except LastKeyHolder:
                last_holder.append(ring.pk)
            else:
                rotated.append(ring.pk)
    return LockedOut(rotated, last_holder, labels)


def restore_member(user: User, ring_ids: Iterable[int], *, actor: User | str = "system") -> int:
    """Entitle her again to the rings lockdown took her out of; her grants are pending until a
    member who holds them is unlocked (as for a newcomer). Returns how many rings."""
    rings = list(KeyRing.objects.filter(id__in=list(ring_ids)))
    with transaction.atomic():
        for ring in rings:
            add_ring_member(ring, user, actor=actor)
    return len(rings)
