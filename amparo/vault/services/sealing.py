"""Sealing records and attachments to rings, members and bare public keys, and opening them
with a member's unlocked key (or a bare private key)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from amparo.vault import crypto, envelope
from amparo.vault.envelope import Recipient
from amparo.vault.errors import KeyLocked, NoKeyHolder, NotAReader, Tampered
from amparo.vault.models import KeyRing
from amparo.vault.services.epochs import current_epoch
from amparo.vault.services.keys import Recipientish, Text, Unlocked, as_bytes, label_bytes, public_keys


def wrap_for(ring: KeyRing | None, data_key: bytes, also_to: Iterable[Recipientish]) -> list[Recipient]:
    recipients = []
    if ring is not None:
        epoch_id, public_key = current_epoch(ring)
        recipients.append(Recipient(envelope.RING, epoch_id, crypto.seal_to(public_key, data_key)))
    for extra in also_to:
        if isinstance(extra, bytes | memoryview):
            recipients.append(Recipient(envelope.PUBLIC_KEY, 0, crypto.seal_to(bytes(extra), data_key)))
        else:
            public = public_keys([extra.pk]).get(extra.pk)
            if public is not None:
                recipients.append(Recipient(envelope.MEMBER, extra.pk, crypto.seal_to(public, data_key)))
    return recipients


def seal_for_rings(rings: Iterable[KeyRing], plaintext: Text, *, label: str) -> bytes:
    """Seal to the current epoch of each ring that has one (a draft appeal: its desk and its
    network's coordinators). Raises NoKeyHolder when none has an epoch yet."""
    epochs = []
    for ring in rings:
        try:
            epochs.append(current_epoch(ring))
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
    return envelope.pack(recipients, crypto.encrypt(data_key, as_bytes(plaintext), label_bytes(label)))


BATCH_AAD = b"amparo batch data key"


class EpochBatch:
    """Seals many values to the same ring epochs for one bulk write (an import's batch): one
    fresh batch key per epoch, sealed to the epoch's public key once, and each value's data key
    encrypted under it (envelope.BATCH). Anyone who can open the epoch opens every value, as
    with seal_for_epochs, at a fraction of the cost. Keep one only for one batch: the batch
    keys live in its memory."""

    def __init__(self, epochs: Iterable[tuple[int, bytes]]) -> None:
        self._keys = []
        for epoch_id, public_key in epochs:
            batch_key = crypto.random_bytes()
            sealed = crypto.seal_to(bytes(public_key), batch_key)
            assert len(sealed) == envelope.BATCH_SEALED_BYTES  # noqa: S101 - a fixed layout
            self._keys.append((int(epoch_id), batch_key, sealed))
        if not self._keys:
            raise NoKeyHolder("no epoch to seal to")

    def seal(self, plaintext: Text, *, label: str) -> bytes:
        data_key = crypto.random_bytes()
        recipients = [Recipient(envelope.BATCH, epoch_id, sealed + crypto.encrypt(batch_key, data_key, BATCH_AAD))
                      for epoch_id, batch_key, sealed in self._keys]
        return envelope.pack(recipients, crypto.encrypt(data_key, as_bytes(plaintext), label_bytes(label)))


def _open_batch(epoch_key: bytes, wrapped: bytes) -> bytes:
    batch_key = crypto.open_box(epoch_key, wrapped[:envelope.BATCH_SEALED_BYTES])
    return crypto.decrypt(batch_key, wrapped[envelope.BATCH_SEALED_BYTES:], BATCH_AAD)


def seal_for_ring(ring: KeyRing, plaintext: Text, *, label: str, also_to: Iterable[Recipientish] = ()) -> bytes:
    """Seal to the ring's current epoch (and to each of `also_to`: users with a member key, or
    raw public keys). Needs no secret: works in any request, command or job."""
    data_key = crypto.random_bytes()
    recipients = wrap_for(ring, data_key, also_to)
    return envelope.pack(recipients, crypto.encrypt(data_key, as_bytes(plaintext), label_bytes(label)))


def data_key_for(unlocked: Unlocked, recipients: list[Recipient]) -> bytes:
    for r in recipients:
        if r.kind == envelope.MEMBER and r.ref == unlocked.user_id:
            try:
                return crypto.open_box(unlocked.private_key, r.wrapped)
            except crypto.CryptoError as exc:
                raise Tampered from exc
    for r in recipients:
        if r.kind in (envelope.RING, envelope.BATCH):
            try:
                epoch_key = unlocked.epoch_key(r.ref)
            except NotAReader:
                continue
            try:
                if r.kind == envelope.BATCH:
                    return _open_batch(epoch_key, r.wrapped)
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
        return crypto.decrypt(data_key_for(unlocked, recipients), body, label_bytes(label))
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
                return crypto.decrypt(data_key, body, label_bytes(label)).decode()
            except crypto.CryptoError as exc:
                raise Tampered from exc
    raise NotAReader


def seal_attachment(ring: KeyRing, source: BinaryIO, target: BinaryIO, *, label: str,
                    also_to: Iterable[Recipientish] = ()) -> bytes:
    """Encrypt a file chunk by chunk into `target`; returns the small envelope (who can open
    the file key) to store beside it. A 200 MB file never sits whole in memory."""
    file_key = crypto.random_bytes()
    crypto.stream_encrypt(file_key, source, target, label_bytes(label))
    return envelope.pack(wrap_for(ring, file_key, also_to), b"")


def open_attachment(unlocked: Unlocked | None, sealed_key: bytes | memoryview, source: BinaryIO, *,
                    label: str) -> Iterator[bytes]:
    """Yield the file's chunks; raises Tampered on a changed or truncated file."""
    if unlocked is None:
        raise KeyLocked
    recipients, _ = envelope.unpack(sealed_key)
    file_key = data_key_for(unlocked, recipients)
    try:
        yield from crypto.stream_decrypt(file_key, source, label_bytes(label))
    except crypto.CryptoError as exc:
        raise Tampered(str(exc)) from exc
