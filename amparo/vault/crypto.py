"""The primitives, from libsodium through PyNaCl only. Nothing outside `vault` imports this
module: other apps call the intent-named functions of `vault.services`.

- Records: XChaCha20-Poly1305 (IETF) with a fresh random key per record and a random nonce.
- Key wrapping: X25519 sealed boxes (anonymous sender) to a recipient's public key.
- Passwords and recovery codes: Argon2id with a salt of their own.
- Attachments: libsodium's secretstream, chunk by chunk.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import BinaryIO

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

from amparo.accounts.hashers import gate as argon2_gate

KEY_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES
NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
SALT_BYTES = argon2id.SALTBYTES
CHUNK = 64 * 1024


class CryptoError(Exception):
    """Authentication failed: wrong key, or the bytes were changed."""


def random_bytes(n: int = KEY_BYTES) -> bytes:
    return nacl.utils.random(n)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = random_bytes(NONCE_BYTES)
    return nonce + sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, nonce, key)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES:
        raise CryptoError("too short")
    try:
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(blob[NONCE_BYTES:], aad, blob[:NONCE_BYTES], key)
    except nacl.exceptions.CryptoError as exc:
        raise CryptoError(str(exc)) from exc


def new_keypair() -> tuple[bytes, bytes]:
    """(private, public) X25519 keys as raw bytes."""
    private = PrivateKey.generate()
    return bytes(private), bytes(private.public_key)


def public_key_for(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


def keypair_from_seed(seed: bytes) -> tuple[bytes, bytes]:
    private = PrivateKey.from_seed(seed)
    return bytes(private), bytes(private.public_key)


def seal_to(public_key: bytes, data: bytes) -> bytes:
    return SealedBox(PublicKey(public_key)).encrypt(data)


def open_box(private_key: bytes, blob: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(blob)
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise CryptoError(str(exc)) from exc


def derive_key(secret: str, salt: bytes, *, ops: int, mem: int) -> bytes:
    """Argon2id, through the same gate as password hashing: a burst of logins runs at most
    ARGON2_MAX_CONCURRENT of these at a time, whatever their kind."""
    with argon2_gate():
        return argon2id.kdf(KEY_BYTES, secret.encode(), salt, opslimit=ops, memlimit=mem)


def mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def subkey(master: bytes, purpose: str) -> bytes:
    """A key for one purpose only, derived from a master key (keyed BLAKE2b)."""
    return hashlib.blake2b(purpose.encode(), key=master[:64], digest_size=KEY_BYTES).digest()


def hkdf_sha256(secret: bytes, *, salt: bytes, info: bytes, length: int = 32) -> bytes:
    """HKDF with SHA-256 (RFC 5869): extract, then expand for one purpose (`info`)."""
    prk = hmac.new(salt or bytes(32), secret, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out, counter = out + block, counter + 1
    return out[:length]


# --- Streams --------------------------------------------------------------------------------

def stream_encrypt(key: bytes, source: BinaryIO, target: BinaryIO, aad: bytes) -> int:
    """Encrypt `source` into `target` chunk by chunk; returns plaintext bytes read. Memory use
    stays at a couple of chunks whatever the size."""
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    target.write(header)
    total = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        tag = (sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL if not following
               else sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
        target.write(sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, aad, tag))
        total += len(chunk)
        if not following:
            return total
        chunk = following


def stream_decrypt(key: bytes, source: BinaryIO, aad: bytes) -> Iterator[bytes]:
    """Yield plaintext chunks; raise CryptoError on a changed, reordered or truncated stream."""
    header = source.read(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    except (nacl.exceptions.CryptoError, ValueError) as exc:
        raise CryptoError(str(exc)) from exc
    size = CHUNK + sodium.crypto_secretstream_xchacha20poly1305_ABYTES
    while True:
        block = source.read(size)
        if not block:
            raise CryptoError("the stream ends before its final chunk (truncated)")
        try:
            chunk, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, block, aad)
        except nacl.exceptions.CryptoError as exc:
            if len(block) < size and not source.read(1):
                raise CryptoError("the stream ends in the middle of a chunk (truncated)") from exc
            raise CryptoError("a chunk fails its authentication (changed)") from exc
        yield chunk
        if tag == sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL:
            if source.read(1):
                raise CryptoError("data after the final chunk")
            return


class StreamWriter:
    """The pushing side of `stream_encrypt` for content that arrives piece by piece (a backup
    written as it is produced): `write` any amount, `close` seals the final chunk. The chunks are
    cut exactly as `stream_encrypt` cuts them, so `stream_decrypt` reads either."""

    def __init__(self, key: bytes, target: BinaryIO, aad: bytes) -> None:
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        target.write(sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, key))
        self._target, self._aad, self._buffer, self.closed = target, aad, bytearray(), False

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep the last full chunk: it may be the final one
            self._push(bytes(self._buffer[:CHUNK]), sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._push(bytes(self._buffer), sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL)
            self._buffer.clear()
            self.closed = True

    def _push(self, chunk: bytes, tag: int) -> None:
        self._target.write(sodium.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, self._aad, tag))
