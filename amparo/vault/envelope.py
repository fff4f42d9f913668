"""The byte layout of a sealed record: who can open its data key, then the ciphertext.

    b"AV1" | count:u8 | count × (kind:u8, ref:u64, length:u16, wrapped data key) | body

`kind` says how the data key is wrapped: to a ring epoch's public key (`ref` = epoch id), to
a member's public key (`ref` = user id), with the service key, to a bare public key (an
anonymous reporter's), or through a batch key (`ref` = epoch id): the batch key sealed to the
epoch's public key (BATCH_SEALED_BYTES), then the data key encrypted under the batch key. A bulk
write (an import) seals one batch key per batch and epoch, so each value costs a symmetric
encryption instead of a public-key one; opening costs the same as RING. The body is
XChaCha20-Poly1305 over the plaintext with the field's label as associated data, so a sealed
value cannot be moved to another kind of field.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from amparo.vault.errors import Tampered

MAGIC = b"AV1"
RING, MEMBER, SERVICE, PUBLIC_KEY, BATCH = 1, 2, 3, 4, 5
BATCH_SEALED_BYTES = 80  # a sealed box of a 32-byte key: 32 (ephemeral public key) + 16 (MAC) + 32
_ENTRY = struct.Struct(">BQH")


@dataclass(frozen=True)
class Recipient:
    kind: int
    ref: int
    wrapped: bytes


def pack(recipients: list[Recipient], body: bytes) -> bytes:
    parts = [MAGIC, bytes([len(recipients)])]
    for r in recipients:
        parts += [_ENTRY.pack(r.kind, r.ref, len(r.wrapped)), r.wrapped]
    parts.append(body)
    return b"".join(parts)


def unpack(blob: bytes | memoryview) -> tuple[list[Recipient], bytes]:
    data = bytes(blob)
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 1:
        raise Tampered("not a sealed value")
    count, offset = data[len(MAGIC)], len(MAGIC) + 1
    recipients = []
    try:
        for _ in range(count):
            kind, ref, length = _ENTRY.unpack_from(data, offset)
            offset += _ENTRY.size
            wrapped = data[offset:offset + length]
            if len(wrapped) != length:
                raise Tampered("truncated")
            offset += length
            recipients.append(Recipient(kind, ref, wrapped))
    except struct.error as exc:
        raise Tampered("truncated") from exc
    return recipients, data[offset:]
