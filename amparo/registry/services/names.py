"""The blind index of defenders' names: members find a defender by name; a seized database
shows no names."""

from __future__ import annotations

import hmac
import secrets
from hashlib import sha256

from django.db import transaction

from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry.models import Defender, DeskIndexKey
from amparo.registry.services.common import label
from amparo.vault import services as vault
from amparo.vault.services import Unlocked

# --- The blind index of names ---------------------------------------------------------------

def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def desk_index_key(desk: Desk, unlocked: Unlocked) -> bytes:
    """The desk's index key, opened with a member's key; made on first use."""
    with transaction.atomic():
        found = DeskIndexKey.objects.select_for_update().filter(desk=desk).first()
        if found is None:
            raw = secrets.token_bytes(32)
            found = DeskIndexKey.objects.create(
                desk=desk, sealed_key=network.seal_for_desk(desk, raw, label="registry.desk.index_key"))
            return raw
    return vault.open_sealed_bytes(unlocked, found.sealed_key, label="registry.desk.index_key")


def name_index(key: bytes, name: str) -> str:
    return hmac.new(key, normalise_name(name).encode(), sha256).hexdigest()


def index_pending_names(desk: Desk, unlocked: Unlocked, limit: int = 200) -> int:
    """Index defenders written while no member was unlocked (anonymous reports, imports): the
    next member who opens the desk does it, like pending grants. Returns how many."""
    waiting = list(Defender.objects.filter(desk=desk, name_index="").exclude(name__isnull=True)[:limit])
    if not waiting:
        return 0
    key = desk_index_key(desk, unlocked)
    for defender in waiting:
        name = vault.open_sealed(unlocked, defender.name, label=label("defender", "name"))
        Defender.objects.filter(pk=defender.pk).update(name_index=name_index(key, name))
    return len(waiting)


def find_defenders(desk: Desk, unlocked: Unlocked, name: str) -> list[Defender]:
    """Defenders of the desk with exactly this name (case and spaces aside)."""
    index_pending_names(desk, unlocked)
    wanted = name_index(desk_index_key(desk, unlocked), name)
    return list(Defender.objects.filter(desk=desk, name_index=wanted))
