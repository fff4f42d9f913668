"""The blind index of defenders' names: members find a defender by name; a seized database
shows no names."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from amparo.network.models import Desk
from amparo.registry import sealing
from amparo.registry.models import Defender, DeskIndexKey
from amparo.vault.services import Unlocked

# --- The blind index of names ---------------------------------------------------------------

def name_indexes(desk: Desk, unlocked: Unlocked, names: Sequence[str]) -> list[str]:
    """The blind index of each name under the desk's index key, which the vault makes on first
    use and keeps to itself: the registry holds only its sealed envelope."""
    with transaction.atomic():
        found = DeskIndexKey.objects.select_for_update().filter(desk=desk).first()
        if found is None:
            sealed, indexes = sealing.new_desk_name_index(desk, names)
            DeskIndexKey.objects.create(desk=desk, sealed_key=sealed)
            return indexes
    return sealing.desk_name_indexes(unlocked, found.sealed_key, names)


def index_pending_names(desk: Desk, unlocked: Unlocked, limit: int = 200) -> int:
    """Index defenders written while no member was unlocked (anonymous reports, imports): the
    next member who opens the desk does it, like pending grants. Returns how many."""
    waiting = list(Defender.objects.filter(desk=desk, name_index="").exclude(name__isnull=True)[:limit])
    if not waiting:
        return 0
    names = [sealing.open_defender_name(unlocked, defender) for defender in waiting]
    for defender, index in zip(waiting, name_indexes(desk, unlocked, names), strict=True):
        Defender.objects.filter(pk=defender.pk).update(name_index=index)
    return len(waiting)


def find_defenders(desk: Desk, unlocked: Unlocked, name: str) -> list[Defender]:
    """Defenders of the desk with exactly this name (case and spaces aside)."""
    index_pending_names(desk, unlocked)
    [wanted] = name_indexes(desk, unlocked, [name])
    return list(Defender.objects.filter(desk=desk, name_index=wanted))
