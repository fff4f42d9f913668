"""Files of an incident: sealed to its desk, stored under a name that says nothing, opened
back in chunks."""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
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

class AttachmentRefused(ValueError):
    """Too large or empty."""




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
    stored_name = secrets.token_hex(16)
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
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
    path = folder / stored_name
    try:
        with transaction.atomic():
            with open(path, "xb") as target:
                sealed_key = sealing.seal_attachment_file(incident.desk, source, target)
                # On disk before the row that points at it: a crash never leaves a record
                # whose file is half written.
                target.flush()
                os.fsync(target.fileno())
            attachment = Attachment.objects.create(
                incident=incident, sealed_key=sealed_key, content_type=content_type, size=size,
                stored_name=stored_name, metadata=cleaned.metadata,
                filename=sealing.seal_attachment_name(incident.desk, filename or "file"),
            )
            record_audit(actor, Action.ATTACHMENT_ADDED, incident, scope=desk_scope(incident.desk))
    except BaseException:
        path.unlink(missing_ok=True)  # nothing half-written stays behind
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
    """The file's name and its chunks, for a member of the desk."""
    name = sealing.open_attachment_name(unlocked, attachment)
    path = Path(settings.MEDIA_ROOT) / "attachments" / attachment.stored_name

    def chunks() -> Iterator[bytes]:
        with open(path, "rb") as source:
            yield from sealing.open_attachment_file(unlocked, attachment, source)
    return name, chunks()


def move_attachment(attachment: Attachment, target: Desk, unlocked: Unlocked, also: list[Any]) -> None:
    """Encrypt the file again, under a new key sealed to the target desk, into a new file; the
    old file is deleted once the move is committed. Chunk by chunk: never whole in memory."""
    assert target.ring is not None  # noqa: S101 - every desk has a ring
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    old_path, new_name = folder / attachment.stored_name, secrets.token_hex(16)
    new_path = folder / new_name
    name = sealing.open_attachment_name(unlocked, attachment)
    try:
        with open(old_path, "rb") as source, open(new_path, "xb") as copy:
            chunks = sealing.open_attachment_file(unlocked, attachment, source)
            reader: Any = _ChunkReader(chunks)  # file-like enough for the streaming sealer
            attachment.sealed_key = sealing.seal_attachment_file(target, reader, copy, also)
            copy.flush()
            os.fsync(copy.fileno())
    except BaseException:
        new_path.unlink(missing_ok=True)
        raise
    transaction.on_commit(lambda: old_path.unlink(missing_ok=True))
    attachment.filename = sealing.seal_attachment_name(target, name, also)
    attachment.stored_name = new_name
    attachment.save(update_fields=["sealed_key", "filename", "stored_name"])
