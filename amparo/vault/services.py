"""The vault's API for the other apps, named by intent. All key handling happens here.

Sealing needs only public keys, so it works anywhere (a request, a command, a worker).
Opening what is sealed to a ring needs an `Unlocked` member key, which exists only inside
that member's own request; the only thing a worker may open is data sealed with the
service key.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from amparo.core.services import record_audit
from amparo.vault import crypto, envelope
from amparo.vault.envelope import Recipient
from amparo.vault.errors import (
    KeyLocked,
    LastKeyHolder,
    NoKeyHolder,
    NotAReader,
    RecoveryNeeded,
    Tampered,
    WrongSecret,
)
from amparo.vault.models import Grant, KeyRing, MemberKey, RingEpoch, RingMember

Text = str | bytes


def _bytes(value: Text) -> bytes:
    return value.encode() if isinstance(value, str) else value


def _label(label: str) -> bytes:
    return f"amparo:{label}".encode()


# --- Member keys ----------------------------------------------------------------------------

@dataclass
class Unlocked:
    """A member's private key, opened for the length of one request. Never stored as is."""

    user_id: int
    private_key: bytes = field(repr=False)
    _epochs: dict[int, bytes] = field(default_factory=dict, repr=False)

    def epoch_key(self, epoch_id: int) -> bytes:
        """The epoch's private key, if she holds a grant for it."""
        if epoch_id not in self._epochs:
            grant = Grant.objects.filter(epoch_id=epoch_id, user_id=self.user_id).first()
            if grant is None:
                raise NotAReader("no grant for this epoch")
            try:
                self._epochs[epoch_id] = crypto.open_box(self.private_key, bytes(grant.sealed_private_key))
            except crypto.CryptoError as exc:
                raise Tampered("a grant does not open with her key") from exc
        return self._epochs[epoch_id]


def _kdf_params() -> tuple[int, int]:
    return settings.VAULT_KDF_OPS, settings.VAULT_KDF_MEM


def new_recovery_code() -> str:
    """About 100 bits, in groups of four that are easy to copy by hand."""
    raw = base64.b32encode(secrets.token_bytes(13)).decode().rstrip("=")[:20]
    return "-".join(raw[i:i + 4] for i in range(0, 20, 4))


def _normal_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def has_member_key(user: Any) -> bool:
    return MemberKey.objects.filter(user=user).exists()


def create_member_key(user: Any, password: str) -> tuple[Unlocked, str]:
    """Give a member her keypair; returns it unlocked and the recovery code to show once."""
    private, public = crypto.new_keypair()
    code = new_recovery_code()
    ops, mem = _kdf_params()
    password_salt, recovery_salt = crypto.random_bytes(crypto.SALT_BYTES), crypto.random_bytes(crypto.SALT_BYTES)
    aad = _label(f"member-key:{user.pk}")
    with transaction.atomic():
        MemberKey.objects.create(
            user=user, public_key=public, kdf_ops=ops, kdf_mem=mem,
            password_salt=password_salt,
            wrapped_by_password=crypto.encrypt(crypto.derive_key(password, password_salt, ops=ops, mem=mem),
                                               private, aad),
            recovery_salt=recovery_salt,
            wrapped_by_recovery=crypto.encrypt(
                crypto.derive_key(_normal_code(code), recovery_salt, ops=ops, mem=mem), private, aad),
        )
        record_audit(user, "vault.member_key_created", object_type="accounts.user", object_id=user.pk)
        # Rings she joined before she had a key (an invited documenter is given her role before
        # she chooses her password) and that nobody could open yet start with her key.
        empty = list(KeyRing.objects.filter(members__user=user, epochs__isnull=True).values_list("id", flat=True))
        for ring in KeyRing.objects.filter(id__in=empty).select_for_update():
            if not ring.epochs.exists():  # checked again under the lock
                _new_epoch(ring, "created")
                _refresh_pending(ring)
    return Unlocked(user.pk, private), code


def unlock_with_password(user: Any, password: str) -> Unlocked:
    key = MemberKey.objects.filter(user=user).first()
    if key is None:
        raise KeyLocked("no member key")
    if key.needs_recovery:
        raise RecoveryNeeded
    derived = crypto.derive_key(password, bytes(key.password_salt), ops=key.kdf_ops, mem=key.kdf_mem)
    try:
        private = crypto.decrypt(derived, bytes(key.wrapped_by_password), _label(f"member-key:{user.pk}"))
    except crypto.CryptoError as exc:
        raise WrongSecret from exc
    return Unlocked(user.pk, private)


def rewrap_for_password(unlocked: Unlocked, password: str) -> None:
    """After a password change: wrap the (unlocked) key under the new password."""
    key = MemberKey.objects.get(user_id=unlocked.user_id)
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    ops, mem = _kdf_params()
    key.password_salt, key.kdf_ops, key.kdf_mem = salt, ops, mem
    key.wrapped_by_password = crypto.encrypt(crypto.derive_key(password, salt, ops=ops, mem=mem),
                                             unlocked.private_key, _label(f"member-key:{unlocked.user_id}"))
    key.needs_recovery = False
    key.save()


def mark_needs_recovery(user: Any) -> None:
    """A reset set a new password without the old one: the stored wrap is stale."""
    MemberKey.objects.filter(user=user).update(needs_recovery=True)


def recover_member_key(user: Any, recovery_code: str, password: str) -> Unlocked:
    """Open her key with the recovery code and wrap it again under her current password.
    A wrong code changes nothing."""
    key = MemberKey.objects.filter(user=user).first()
    if key is None:
        raise KeyLocked("no member key")
    derived = crypto.derive_key(_normal_code(recovery_code), bytes(key.recovery_salt),
                                ops=key.kdf_ops, mem=key.kdf_mem)
    try:
        private = crypto.decrypt(derived, bytes(key.wrapped_by_recovery), _label(f"member-key:{user.pk}"))
    except crypto.CryptoError as exc:
        raise WrongSecret from exc
    unlocked = Unlocked(user.pk, private)
    with transaction.atomic():
        rewrap_for_password(unlocked, password)
        record_audit(user, "vault.member_key_recovered", object_type="accounts.user", object_id=user.pk)
    return unlocked


def reissue_recovery_code(unlocked: Unlocked) -> str:
    """A new recovery code (the old one stops working); returns it to show once."""
    code = new_recovery_code()
    key = MemberKey.objects.get(user_id=unlocked.user_id)
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    key.recovery_salt = salt
    key.wrapped_by_recovery = crypto.encrypt(
        crypto.derive_key(_normal_code(code), salt, ops=key.kdf_ops, mem=key.kdf_mem),
        unlocked.private_key, _label(f"member-key:{unlocked.user_id}"))
    with transaction.atomic():
        key.save(update_fields=["recovery_salt", "wrapped_by_recovery"])
        record_audit("system", "vault.recovery_code_reissued", object_type="accounts.user",
                     object_id=unlocked.user_id)
    return code


# --- Rings, epochs and grants ---------------------------------------------------------------

def create_ring(label: str) -> KeyRing:
    """An empty ring; its first epoch is made when the first member with a key joins."""
    ring, _ = KeyRing.objects.get_or_create(label=label)
    return ring


def _public_keys(user_ids: Iterable[int]) -> dict[int, bytes]:
    return {k.user_id: bytes(k.public_key) for k in MemberKey.objects.filter(user_id__in=list(user_ids))}


def _new_epoch(ring: KeyRing, reason: str) -> tuple[RingEpoch, bytes]:
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
    keys = _public_keys(members)
    Grant.objects.bulk_create(
        Grant(epoch=epoch, user_id=uid, sealed_private_key=crypto.seal_to(pk, private))
        for uid, pk in keys.items()
    )
    return epoch, private


def _refresh_pending(ring: KeyRing) -> None:
    epochs = set(ring.epochs.values_list("id", flat=True))
    held: dict[int, set[int]] = {}
    for epoch_id, user_id in Grant.objects.filter(epoch__ring=ring).values_list("epoch_id", "user_id"):
        held.setdefault(user_id, set()).add(epoch_id)
    for member in ring.members.all():
        pending = not epochs or held.get(member.user_id, set()) != epochs
        if member.pending != pending:
            RingMember.objects.filter(pk=member.pk).update(pending=pending)


def add_ring_member(ring: KeyRing, user: Any, *, actor: Any = "system") -> RingMember:
    """Entitle `user` to the ring. Her grants are completed by the next member who is unlocked
    (or at once, if the ring has no epoch yet and she has a key: she starts it)."""
    with transaction.atomic():
        ring = KeyRing.objects.select_for_update().get(pk=ring.pk)
        member, created = RingMember.objects.get_or_create(ring=ring, user=user)
        if not ring.epochs.exists() and has_member_key(user):
            _new_epoch(ring, "created")
        _refresh_pending(ring)
        if created:
            record_audit(actor, "vault.ring_member_added", object_type="vault.keyring", object_id=ring.pk)
    member.refresh_from_db()
    return member


def remove_ring_member(ring: KeyRing, user: Any, *, reason: str = "member removed", actor: Any = "system") -> None:
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
            _new_epoch(ring, reason)
        _refresh_pending(ring)
        record_audit(actor, "vault.ring_member_removed", object_type="vault.keyring", object_id=ring.pk)


def complete_pending_grants(unlocked: Unlocked) -> int:
    """Give newcomers the epochs this unlocked member holds. Cheap when nothing is pending
    (one query); called on each request of an unlocked member. Returns grants made."""
    rings = RingMember.objects.filter(user_id=unlocked.user_id, pending=False).values("ring_id")
    waiting = list(RingMember.objects.filter(ring_id__in=rings, pending=True)
                   .exclude(user_id=unlocked.user_id).values_list("ring_id", "user_id"))
    if not waiting:
        return 0
    made = 0
    keys = _public_keys(uid for _, uid in waiting)
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
            _refresh_pending(ring)
            # Who handed the keys over, and in which ring: the trust boundary made visible.
            record_audit(unlocked.user_id, "vault.grants_completed", object_type="vault.keyring",
                         object_id=ring.pk)
    return made


def pending_members(ring: KeyRing) -> list[int]:
    """User ids still waiting for grants (shown to the desk)."""
    return list(ring.members.filter(pending=True).values_list("user_id", flat=True))


def is_reader(ring: KeyRing, user: Any) -> bool:
    return RingMember.objects.filter(ring=ring, user=user, pending=False).exists()


# --- Ring recovery sheet --------------------------------------------------------------------

def _sheet_text(seed: bytes) -> str:
    raw = base64.b32encode(seed).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def _sheet_seed(text: str) -> bytes:
    raw = _normal_code(text)
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
        record_audit("system", "vault.recovery_sheet_issued", object_type="vault.keyring", object_id=ring.pk)
    return _sheet_text(seed)


def confirm_recovery_sheet(ring: KeyRing, typed: str) -> None:
    """She typed the sheet back: it was printed (or written) correctly."""
    ring = KeyRing.objects.get(pk=ring.pk)
    _private, public = crypto.keypair_from_seed(_sheet_seed(typed))
    if not ring.recovery_public_key or not secrets.compare_digest(public, bytes(ring.recovery_public_key)):
        raise WrongSecret
    ring.recovery_confirmed_at = timezone.now()
    ring.save(update_fields=["recovery_confirmed_at"])
    record_audit("system", "vault.recovery_sheet_confirmed", object_type="vault.keyring", object_id=ring.pk)


def restore_from_sheet(ring: KeyRing, sheet: str, user: Any) -> int:
    """Grant every epoch of the ring to `user` (who must have a key) from the recovery sheet."""
    ring = KeyRing.objects.get(pk=ring.pk)
    private, public = crypto.keypair_from_seed(_sheet_seed(sheet))
    if not ring.recovery_public_key or not secrets.compare_digest(public, bytes(ring.recovery_public_key)):
        raise WrongSecret
    target = _public_keys([user.pk]).get(user.pk)
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
        _refresh_pending(ring)
        record_audit(user, "vault.ring_restored_from_sheet", object_type="vault.keyring", object_id=ring.pk)
    return made


# --- Sealing and opening records ------------------------------------------------------------

def _current_epoch(ring: KeyRing) -> tuple[int, bytes]:
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


def _wrap_for(ring: KeyRing | None, data_key: bytes, also_to: Iterable[Any]) -> list[Recipient]:
    recipients = []
    if ring is not None:
        epoch_id, public_key = _current_epoch(ring)
        recipients.append(Recipient(envelope.RING, epoch_id, crypto.seal_to(public_key, data_key)))
    for extra in also_to:
        if isinstance(extra, bytes | memoryview):
            recipients.append(Recipient(envelope.PUBLIC_KEY, 0, crypto.seal_to(bytes(extra), data_key)))
        else:
            public = _public_keys([extra.pk]).get(extra.pk)
            if public is not None:
                recipients.append(Recipient(envelope.MEMBER, extra.pk, crypto.seal_to(public, data_key)))
    return recipients


def seal_for_rings(rings: Iterable[KeyRing], plaintext: Text, *, label: str) -> bytes:
    """Seal to the current epoch of each ring that has one (a draft appeal: its desk and its
    network's coordinators). Raises NoKeyHolder when none has an epoch yet."""
    epochs = []
    for ring in rings:
        try:
            epochs.append(_current_epoch(ring))
        except NoKeyHolder:
            continue  # nobody holds this ring's key yet; the others still read it
    if not epochs:
        raise NoKeyHolder("no ring to seal to")
    return seal_for_epochs(epochs, plaintext, label=label)


def seal_for_epochs(epochs: Iterable[tuple[int, bytes]], plaintext: Text, *, label: str,
                    members: Iterable[tuple[int, bytes]] = (), public_keys: Iterable[bytes] = ()) -> bytes:
    """Seal to ring epochs given as (epoch id, public key), and to members given as (user id,
    public key) or bare public keys: what a data migration uses, since it reads keys through
    its historical models. Needs no secret."""
    data_key = crypto.random_bytes()
    recipients = [Recipient(envelope.RING, int(epoch_id), crypto.seal_to(bytes(public_key), data_key))
                  for epoch_id, public_key in epochs]
    recipients += [Recipient(envelope.MEMBER, int(user_id), crypto.seal_to(bytes(public_key), data_key))
                   for user_id, public_key in members]
    recipients += [Recipient(envelope.PUBLIC_KEY, 0, crypto.seal_to(bytes(key), data_key)) for key in public_keys]
    return envelope.pack(recipients, crypto.encrypt(data_key, _bytes(plaintext), _label(label)))


def seal_for_ring(ring: KeyRing, plaintext: Text, *, label: str, also_to: Iterable[Any] = ()) -> bytes:
    """Seal to the ring's current epoch (and to each of `also_to`: users with a member key, or
    raw public keys). Needs no secret: works in any request, command or job."""
    data_key = crypto.random_bytes()
    recipients = _wrap_for(ring, data_key, also_to)
    return envelope.pack(recipients, crypto.encrypt(data_key, _bytes(plaintext), _label(label)))


def _data_key(unlocked: Unlocked, recipients: list[Recipient]) -> bytes:
    for r in recipients:
        if r.kind == envelope.MEMBER and r.ref == unlocked.user_id:
            try:
                return crypto.open_box(unlocked.private_key, r.wrapped)
            except crypto.CryptoError as exc:
                raise Tampered from exc
    for r in recipients:
        if r.kind == envelope.RING:
            try:
                epoch_key = unlocked.epoch_key(r.ref)
            except NotAReader:
                continue
            try:
                return crypto.open_box(epoch_key, r.wrapped)
            except crypto.CryptoError as exc:
                raise Tampered from exc
    raise NotAReader


def open_sealed(unlocked: Unlocked | None, sealed: bytes | memoryview | None, *, label: str) -> str:
    """Open a sealed text with a member's unlocked key. Raises KeyLocked, NotAReader or
    Tampered; never returns an empty value in place of an error."""
    return open_sealed_bytes(unlocked, sealed, label=label).decode()


def open_sealed_bytes(unlocked: Unlocked | None, sealed: bytes | memoryview | None, *, label: str) -> bytes:
    if unlocked is None:
        raise KeyLocked
    if sealed is None:
        raise Tampered("nothing sealed here")
    recipients, body = envelope.unpack(sealed)
    try:
        return crypto.decrypt(_data_key(unlocked, recipients), body, _label(label))
    except crypto.CryptoError as exc:
        raise Tampered from exc


def open_with_private_key(private_key: bytes, sealed: bytes | memoryview, *, label: str) -> str:
    """Open with a bare private key (e.g. an anonymous reporter's, derived from her receipt)."""
    recipients, body = envelope.unpack(sealed)
    for r in recipients:
        if r.kind == envelope.PUBLIC_KEY:
            try:
                data_key = crypto.open_box(private_key, r.wrapped)
            except crypto.CryptoError:
                continue
            try:
                return crypto.decrypt(data_key, body, _label(label)).decode()
            except crypto.CryptoError as exc:
                raise Tampered from exc
    raise NotAReader


# --- The service key ------------------------------------------------------------------------

def _service_key() -> bytes:
    return base64.b64decode(settings.VAULT_SERVICE_KEY)


def seal_with_service_key(plaintext: Text, *, label: str) -> bytes:
    """For data machines must use without a member (supporters' contacts)."""
    data_key = crypto.random_bytes()
    wrapped = crypto.encrypt(crypto.subkey(_service_key(), "wrap"), data_key, _label(label))
    return envelope.pack([Recipient(envelope.SERVICE, 0, wrapped)],
                         crypto.encrypt(data_key, _bytes(plaintext), _label(label)))


def open_with_service_key(sealed: bytes | memoryview, *, label: str) -> str:
    recipients, body = envelope.unpack(sealed)
    for r in recipients:
        if r.kind == envelope.SERVICE:
            try:
                data_key = crypto.decrypt(crypto.subkey(_service_key(), "wrap"), r.wrapped, _label(label))
                return crypto.decrypt(data_key, body, _label(label)).decode()
            except crypto.CryptoError as exc:
                raise Tampered from exc
    raise NotAReader


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed fingerprint for exact-match lookups (e.g. an e-mail address) without
    decrypting rows. Normalised: case and surrounding spaces do not matter."""
    key = crypto.subkey(_service_key(), f"blind-index:{purpose}")
    return crypto.mac(key, " ".join(value.split()).casefold().encode())


# --- Anonymous reporters' receipts ---------------------------------------------------------

@dataclass(frozen=True)
class ReporterKeys:
    """What a receipt gives: a lookup tag to store (indexed) and a keypair never stored."""

    lookup_tag: str
    private_key: bytes = field(repr=False)
    public_key: bytes


def normal_receipt(receipt: str) -> str:
    """Case and spaces do not matter."""
    return " ".join(receipt.split()).casefold()


def _receipt_secret() -> bytes:
    return (settings.RECEIPT_SALT or settings.SECRET_KEY).encode()


def derive_reporter_keys(receipt: str) -> ReporterKeys:
    """Argon2id once over the receipt with the global salt, then HKDF-SHA256 splits the result
    into the stored lookup tag and the seed of the reporter's keypair (DESIGN.md rule 3)."""
    salt = crypto.subkey(_receipt_secret(), "receipt-salt")[:crypto.SALT_BYTES]
    ops, mem = _kdf_params()
    master = crypto.derive_key(normal_receipt(receipt), salt, ops=ops, mem=mem)
    tag = crypto.hkdf_sha256(master, salt=salt, info=b"amparo:receipt:lookup-tag").hex()
    seed = crypto.hkdf_sha256(master, salt=salt, info=b"amparo:receipt:key-seed")
    private, public = crypto.keypair_from_seed(seed)
    return ReporterKeys(tag, private, public)


def receipt_binding(receipt: str) -> str:
    """An HMAC that proves this server issued the receipt (sent back with the form)."""
    return crypto.mac(crypto.subkey(_receipt_secret(), "receipt-binding"), normal_receipt(receipt).encode())


def receipt_binding_valid(receipt: str, binding: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, which anyone can post.
    return hmac.compare_digest(receipt_binding(receipt).encode(), (binding or "").encode())


# --- Attachments, streamed ------------------------------------------------------------------

def seal_attachment(ring: KeyRing, source: BinaryIO, target: BinaryIO, *, label: str,
                    also_to: Iterable[Any] = ()) -> bytes:
    """Encrypt a file chunk by chunk into `target`; returns the small envelope (who can open
    the file key) to store beside it. A 200 MB file never sits whole in memory."""
    file_key = crypto.random_bytes()
    crypto.stream_encrypt(file_key, source, target, _label(label))
    return envelope.pack(_wrap_for(ring, file_key, also_to), b"")


def open_attachment(unlocked: Unlocked | None, sealed_key: bytes | memoryview, source: BinaryIO, *,
                    label: str) -> Iterator[bytes]:
    """Yield the file's chunks; raises Tampered on a changed or truncated file."""
    if unlocked is None:
        raise KeyLocked
    recipients, _ = envelope.unpack(sealed_key)
    file_key = _data_key(unlocked, recipients)
    try:
        yield from crypto.stream_decrypt(file_key, source, _label(label))
    except crypto.CryptoError as exc:
        raise Tampered(str(exc)) from exc
