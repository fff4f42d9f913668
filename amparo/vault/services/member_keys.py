"""A member's own keypair: creating it, unlocking it with her password, wrapping it again
after a password change, and recovering it with her recovery code."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.vault import crypto
from amparo.vault.actions import Action
from amparo.vault.errors import KeyLocked, RecoveryNeeded, WrongSecret
from amparo.vault.models import KeyRing, MemberKey
from amparo.vault.services.epochs import new_epoch, refresh_pending
from amparo.vault.services.keys import Unlocked, kdf_params, label_bytes, new_recovery_code, normal_code


def create_member_key(user: User, password: str) -> tuple[Unlocked, str]:
    """Give a member her keypair; returns it unlocked and the recovery code to show once."""
    private, public = crypto.new_keypair()
    code = new_recovery_code()
    ops, mem = kdf_params()
    password_salt, recovery_salt = crypto.random_bytes(crypto.SALT_BYTES), crypto.random_bytes(crypto.SALT_BYTES)
    aad = label_bytes(f"member-key:{user.pk}")
    with transaction.atomic():
        MemberKey.objects.create(
            user=user, public_key=public, kdf_ops=ops, kdf_mem=mem,
            password_salt=password_salt,
            wrapped_by_password=crypto.encrypt(crypto.derive_key(password, password_salt, ops=ops, mem=mem),
                                               private, aad),
            recovery_salt=recovery_salt,
            wrapped_by_recovery=crypto.encrypt(
                crypto.derive_key(normal_code(code), recovery_salt, ops=ops, mem=mem), private, aad),
        )
        record_audit(user, Action.MEMBER_KEY_CREATED, object_type="accounts.user", object_id=user.pk)
        # Rings she joined before she had a key (an invited documenter is given her role before
        # she chooses her password) and that nobody could open yet start with her key.
        empty = list(KeyRing.objects.filter(members__user=user, epochs__isnull=True).values_list("id", flat=True))
        for ring in KeyRing.objects.filter(id__in=empty).select_for_update():
            if not ring.epochs.exists():  # checked again under the lock
                new_epoch(ring, "created")
                refresh_pending(ring)
    return Unlocked(user.pk, private), code


def unlock_with_password(user: User, password: str) -> Unlocked:
    key = MemberKey.objects.filter(user=user).first()
    if key is None:
        raise KeyLocked("no member key")
    if key.needs_recovery:
        raise RecoveryNeeded
    derived = crypto.derive_key(password, bytes(key.password_salt), ops=key.kdf_ops, mem=key.kdf_mem)
    try:
        private = crypto.decrypt(derived, bytes(key.wrapped_by_password), label_bytes(f"member-key:{user.pk}"))
    except crypto.CryptoError as exc:
        raise WrongSecret from exc
    return Unlocked(user.pk, private)


def rewrap_for_password(unlocked: Unlocked, password: str) -> None:
    """After a password change: wrap the (unlocked) key under the new password."""
    key = MemberKey.objects.get(user_id=unlocked.user_id)
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    ops, mem = kdf_params()
    key.password_salt, key.kdf_ops, key.kdf_mem = salt, ops, mem
    key.wrapped_by_password = crypto.encrypt(crypto.derive_key(password, salt, ops=ops, mem=mem),
                                             unlocked.private_key, label_bytes(f"member-key:{unlocked.user_id}"))
    key.needs_recovery = False
    key.save()


def mark_needs_recovery(user: User) -> None:
    """A reset set a new password without the old one: the stored wrap is stale."""
    MemberKey.objects.filter(user=user).update(needs_recovery=True)


def recover_member_key(user: User, recovery_code: str, password: str) -> Unlocked:
    """Open her key with the recovery code and wrap it again under her current password.
    A wrong code changes nothing."""
    key = MemberKey.objects.filter(user=user).first()
    if key is None:
        raise KeyLocked("no member key")
    derived = crypto.derive_key(normal_code(recovery_code), bytes(key.recovery_salt),
                                ops=key.kdf_ops, mem=key.kdf_mem)
    try:
        private = crypto.decrypt(derived, bytes(key.wrapped_by_recovery), label_bytes(f"member-key:{user.pk}"))
    except crypto.CryptoError as exc:
        raise WrongSecret from exc
    unlocked = Unlocked(user.pk, private)
    with transaction.atomic():
        rewrap_for_password(unlocked, password)
        record_audit(user, Action.MEMBER_KEY_RECOVERED, object_type="accounts.user", object_id=user.pk)
    return unlocked


def reissue_recovery_code(unlocked: Unlocked) -> str:
    """A new recovery code (the old one stops working); returns it to show once."""
    code = new_recovery_code()
    key = MemberKey.objects.get(user_id=unlocked.user_id)
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    key.recovery_salt = salt
    key.wrapped_by_recovery = crypto.encrypt(
        crypto.derive_key(normal_code(code), salt, ops=key.kdf_ops, mem=key.kdf_mem),
        unlocked.private_key, label_bytes(f"member-key:{unlocked.user_id}"))
    with transaction.atomic():
        key.save(update_fields=["recovery_salt", "wrapped_by_recovery"])
        record_audit("system", Action.RECOVERY_CODE_REISSUED, object_type="accounts.user",
                     object_id=unlocked.user_id)
    return code
