"""A ring's recovery sheet: a secret printed once, to which every epoch key is also sealed,
so a desk whose last key holder is gone can be restored."""

from __future__ import annotations

import base64
import secrets

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.vault import crypto
from amparo.vault.actions import Action
from amparo.vault.errors import KeyLocked, WrongSecret
from amparo.vault.models import Grant, KeyRing, RingMember
from amparo.vault.services.epochs import refresh_pending
from amparo.vault.services.keys import Unlocked, normal_code, public_keys


def _sheet_text(seed: bytes) -> str:
    raw = base64.b32encode(seed).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _sheet_seed(text: str) -> bytes:
    raw = normal_code(text)
    try:
        seed = base64.b32decode(raw + "=" * (-len(raw) % 8))
    except ValueError as exc:
        raise WrongSecret from exc
    if len(seed) != 32:
        raise WrongSecret
    return seed


def issue_recovery_sheet(ring: KeyRing, unlocked: Unlocked) -> str:
    """A fresh recovery secret for the ring, to print once; it is never stored. Every epoch's
    private key (and every later one) is also sealed to its public key."""
    seed = crypto.random_bytes(32)
    _private, public = crypto.keypair_from_seed(seed)
    with transaction.atomic():
        ring = KeyRing.objects.select_for_update().get(pk=ring.pk)
        for epoch in ring.epochs.all():
            epoch.sealed_to_recovery = crypto.seal_to(public, unlocked.epoch_key(epoch.pk))
            epoch.save(update_fields=["sealed_to_recovery"])
        ring.recovery_public_key, ring.recovery_confirmed_at = public, None
        ring.save(update_fields=["recovery_public_key", "recovery_confirmed_at"])
        record_audit("system", Action.RECOVERY_SHEET_ISSUED, object_type="vault.keyring", object_id=ring.pk)
    return _sheet_text(seed)


def confirm_recovery_sheet(ring: KeyRing, typed: str) -> None:
    """She typed the sheet back: it was printed (or written) correctly."""
    ring = KeyRing.objects.get(pk=ring.pk)
    _private, public = crypto.keypair_from_seed(_sheet_seed(typed))
    if not ring.recovery_public_key or not secrets.compare_digest(public, bytes(ring.recovery_public_key)):
        raise WrongSecret
    ring.recovery_confirmed_at = timezone.now()
    ring.save(update_fields=["recovery_confirmed_at"])
    record_audit("system", Action.RECOVERY_SHEET_CONFIRMED, object_type="vault.keyring", object_id=ring.pk)


def restore_from_sheet(ring: KeyRing, sheet: str, user: User) -> int:
    """Grant every epoch of the ring to `user` (who must have a key) from the recovery sheet."""
    ring = KeyRing.objects.get(pk=ring.pk)
    private, public = crypto.keypair_from_seed(_sheet_seed(sheet))
    if not ring.recovery_public_key or not secrets.compare_digest(public, bytes(ring.recovery_public_key)):
        raise WrongSecret
    target = public_keys([user.pk]).get(user.pk)
    if target is None:
        raise KeyLocked("she has no member key yet")
    made = 0
    with transaction.atomic():
        RingMember.objects.get_or_create(ring=ring, user=user)
        for epoch in ring.epochs.all():
            if epoch.sealed_to_recovery is None or Grant.objects.filter(epoch=epoch, user=user).exists():
                continue
            epoch_private = crypto.open_box(private, bytes(epoch.sealed_to_recovery))
            Grant.objects.create(epoch=epoch, user=user, sealed_private_key=crypto.seal_to(target, epoch_private))
            made += 1
        refresh_pending(ring)
        record_audit(user, Action.RING_RESTORED_FROM_SHEET, object_type="vault.keyring", object_id=ring.pk)
    return made
