"""Jobs the fault tests run in a process of their own (through amparo.tests.faults.stall),
called by the service entry points the app itself uses."""

from __future__ import annotations

from amparo.accounts.models import User
from amparo.vault import services as vault
from amparo.vault.models import KeyRing


def remove_member(ring_id: int, user_id: int) -> str:
    """A key-ring rotation: she leaves the ring, which moves to a new epoch."""
    vault.remove_ring_member(KeyRing.objects.get(pk=ring_id), User.objects.get(pk=user_id))
    return "rotated"
