"""Files of an incident: sealed to its desk, stored under a name that says nothing, opened
back in chunks.

Files live in `storages["attachments"]` (a folder under MEDIA_ROOT, or an S3-compatible
bucket): the storage is given ciphertext only, under a random name, and never a path here.
A file is stored before the row that points at it is written, and removed again when that row
is not written: no incident claims a file that is not stored.
"""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network.models import Desk
from amparo.registry import sealing
from amparo.registry.actions import Action
from amparo.registry.models import Attachment, Incident
from amparo.registry.services.common import desk_scope
from amparo.registry.services.images import CONTENT_TYPES, EXTENSIONS, without_metadata
from amparo.vault.services import Unlocked

# --- Attachments ----------------------------------------------------------------------------

logger = logging.getLogger(__name__)


class AttachmentRefused(ValueError):
    """Too large or empty."""


class AttachmentNotStored(RuntimeError):
    """The storage did not take the file (unreachable, full, refusing): nothing of it is kept,
    and the caller's transaction is undone with it."""


class AttachmentUnavailable(RuntimeError):
    """The storage cannot give the file back just now."""


def file_storage() -> Storage:
    """Where sealed files are kept (looked up each time: tests and settings may change it)."""
    return storages["attachments"]


def _store(sealed: IO[bytes]) -> str:
    """Give the storage one sealed file under a new random name; the name it was stored under.
    A failure leaves nothing behind and says so (`AttachmentNotStored`)."""
    storage, name = file_storage(), secrets.token_hex(16)
    sealed.seek(0)
    try:
        return storage.save(name, File(sealed, name=name))
    except Exception as exc:
        discard_files([name])
        raise AttachmentNotStored(type(exc).__name__) from exc
    except BaseException:
        discard_files([name])
        raise


def discard_files(names: Iterable[str]) -> None:
    """Remove stored files (after the rows that named them are gone). A file the storage does
    not remove now stays as ciphertext whose key was deleted with its row: it is logged (by
    its random name only) and never readable again."""
    storage = file_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception as exc:  # noqa: BLE001 - the deletion of the rows stands
            logger.warning("stored file %s not removed: %s", name, type(exc).__name__)


def _sealed_buffer() -> io.BytesIO:
    # The sealed copy is kept in memory until the storage has it: ciphertext of at most
    # ATTACHMENT_MAX_BYTES (plus a few bytes a chunk), like the upload itself; never a file.
    return io.BytesIO()


def _named_for(filename: str, fmt: str) -> str:
    """Her file's name, whole; with the new format's extension added when the format changed
    (a HEIC photo becomes a JPEG one: "IMG_1.HEIC.jpg")."""
    if filename.lower().endswith(EXTENSIONS[fmt]):
        return filename
    return filename + EXTENSIONS[fmt][0]


def add_attachment(actor: User | str, incident: Incident, *, filename: str, content_type: str, size: int,
                   chunks: Iterable[bytes] | None = None, file: IO[bytes] | None = None) -> Attachment:
    """Seal a file to the incident's desk and store it under a name that says nothing.
    The file's own bytes decide what it is (never `content_type`, which the sender chose): an
    image is encoded again without its hidden details; anything else is sealed as it is,
    chunk by chunk, and the desk is told its hidden details were not removed. `file` is a
    readable, seekable file (an upload in memory); `chunks` an iterator, for callers without."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if size <= 0 or size > limit:
        raise AttachmentRefused("size")
    if file is None:
        file = io.BytesIO(b"".join(chunks or ()))
    file.seek(0)
    cleaned = without_metadata(file)
    source: Any
    if cleaned.data is not None:
        source, size = cleaned.data, cleaned.size
        content_type, filename = CONTENT_TYPES[cleaned.format], _named_for(filename or "file", cleaned.format)
    else:
        file.seek(0)
        source, content_type = file, "application/octet-stream"
    assert incident.desk.ring is not None  # noqa: S101 - every desk has a ring
    sealed = _sealed_buffer()
    sealed_key = sealing.seal_attachment_file(incident.desk, source, sealed)
    # Stored before the row that points at it: a crash never leaves a record whose file is
    # missing or half written.
    stored_name = _store(sealed)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                incident=incident, sealed_key=sealed_key, content_type=content_type, size=size,
                stored_name=stored_name, metadata=cleaned.metadata,
                filename=sealing.seal_attachment_name(incident.desk, filename or "file"),
            )
            record_audit(actor, Action.ATTACHMENT_ADDED, incident, scope=desk_scope(incident.desk))
    except BaseException:
        discard_files([stored_name])  # no row names it: nothing stays behind
        raise
    return attachment


class _ChunkReader:
    """A file-like view of an iterator of chunks, for the streaming sealer."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._buffer = chunks, b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def open_attachment(unlocked: Unlocked | None, attachment: Attachment) -> tuple[str, Iterator[bytes]]:
    """The file's name and its chunks, for a member of the desk (`AttachmentUnavailable` when
    the storage cannot give it back now)."""
    name = sealing.open_attachment_name(unlocked, attachment)
    try:  # asked now, so a page can say so; the file itself is opened when it is read
        there = file_storage().exists(attachment.stored_name)
    except Exception as exc:
        raise AttachmentUnavailable(type(exc).__name__) from exc
    if not there:
        raise AttachmentUnavailable("missing")

    def chunks() -> Iterator[bytes]:
        with _open_stored(attachment) as source:
            yield from sealing.open_attachment_file(unlocked, attachment, source)
    return name, chunks()


def _open_stored(attachment: Attachment) -> Any:
    try:
        return file_storage().open(attachment.stored_name, "rb")
    except Exception as exc:
        raise AttachmentUnavailable(type(exc).__name__) from exc


def move_attachment(attachment: Attachment, target: Desk, unlocked: Unlocked, also: list[Any]) -> None:
    """Encrypt the file again, under a new key sealed to the target desk, into a new file; the
    old file is deleted once the move is committed, the new one at once if the move fails.
    Chunk by chunk from the old file; the new one is kept in memory (sealed) until stored."""
    assert target.ring is not None  # noqa: S101 - every desk has a ring
    old_name = attachment.stored_name
    name = sealing.open_attachment_name(unlocked, attachment)
    sealed = _sealed_buffer()
    with _open_stored(attachment) as source:
        chunks = sealing.open_attachment_file(unlocked, attachment, source)
        reader: Any = _ChunkReader(chunks)  # file-like enough for the streaming sealer
        sealed_key = sealing.seal_attachment_file(target, reader, sealed, also)
    new_name = _store(sealed)
    try:
        attachment.sealed_key = sealed_key
        attachment.filename = sealing.seal_attachment_name(target, name, also)
        attachment.stored_name = new_name
        with transaction.atomic():
            attachment.save(update_fields=["sealed_key", "filename", "stored_name"])
            transaction.on_commit(lambda: discard_files([old_name]))
    except BaseException:
        discard_files([new_name])
        raise
