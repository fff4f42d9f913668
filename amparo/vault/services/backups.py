"""Encrypted backups: one archive of the database and the sealed attachment files, readable
only with a private key that never sits on the server (docs/backup.md).

The archive, byte by byte:

    MAGIC (16 bytes, in clear: says what the file is, nothing else)
    the archive key sealed to the backup public key (X25519 sealed box, 80 bytes)
    one secretstream (XChaCha20-Poly1305), under the archive key, with MAGIC and the sealed
    key as associated data: a changed, reordered or missing chunk, or a cut end, fails

Inside the stream, a sequence of entries, each `b"E"`, the name's length (2 bytes) and name,
then chunks (4-byte length, bytes) ended by an empty chunk; `b"Z"` after the last entry. The
entries, in order: `header.json` (when, which version, which database, its migrations),
`database.postgresql` or `database.sqlite` (the native dump), `files/<name>` for every file of
the "attachments" storage (sealed already: the archive wraps ciphertext), then `manifest.json`:
each entry's name, size and SHA-256. A reader checks the manifest against what it read, so a
missing or extra part is found as surely as a changed one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import posixpath
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages

from amparo.core.services import record_audit
from amparo.vault import crypto
from amparo.vault.actions import Action
from amparo.vault.services import backup_database as database

MAGIC = b"AMPARO-BACKUP\x00v1"
SEALED_KEY_BYTES = 32 + 48  # the archive key plus a sealed box's overhead
FORMAT = 1
STORAGE = "attachments"
SUFFIX = ".amparo-backup"
PRIVATE_KEY_HEADER = "# Amparo backup private key. Keep it offline; it opens every backup made to its public key."


class BackupError(Exception):
    """The archive cannot be made, read or restored; the message says why, for an operator."""


@dataclass
class Entry:
    name: str
    size: int
    sha256: str


@dataclass
class Contents:
    header: dict[str, Any]
    entries: list[Entry] = field(default_factory=list)

    @property
    def files(self) -> int:
        return sum(1 for e in self.entries if e.name.startswith("files/"))

    @property
    def size(self) -> int:
        return sum(e.size for e in self.entries)


# --- Keys -----------------------------------------------------------------------------------

def new_keypair() -> tuple[str, str]:
    """(private, public), each 32 bytes in base64."""
    private, public = crypto.new_keypair()
    return base64.b64encode(private).decode(), base64.b64encode(public).decode()


def _key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise BackupError(f"the {what} must be 32 bytes in base64 (as `manage.py backup_keygen` prints it)")
    return raw


def public_key(text: str | None = None) -> bytes:
    """The key backups are encrypted to: given, or AMPARO_BACKUP_PUBLIC_KEY's setting."""
    text = text or getattr(settings, "BACKUP_PUBLIC_KEY", "") or ""
    if not text:
        raise BackupError("no backup public key: set AMPARO_BACKUP_PUBLIC_KEY (made by `manage.py "
                          "backup_keygen`) or pass --public-key")
    return _key(text, "backup public key")


def write_private_key_file(path: Path, private: str) -> None:
    """Readable by its owner only; refuses to overwrite a key (backups made to it would be lost)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise BackupError(f"{path} exists: a private key is never overwritten") from exc
    with os.fdopen(fd, "w") as target:
        target.write(f"{PRIVATE_KEY_HEADER}\n{private}\n")


def read_private_key_file(path: Path) -> bytes:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as exc:
        raise BackupError(f"cannot read the private key file: {exc}") from exc
    text = "".join(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return _key(text, "private key in the file")


def public_key_of(private: bytes) -> str:
    return base64.b64encode(crypto.public_key_for(private)).decode()


# --- Writing --------------------------------------------------------------------------------

def _app_version() -> str:
    try:
        return metadata.version("amparo")
    except metadata.PackageNotFoundError:
        import tomllib

        try:
            with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as source:
                return str(tomllib.load(source)["project"]["version"])
        except (OSError, KeyError, ValueError):
            return "unknown"


def _storage() -> Storage:
    return storages[STORAGE]


def stored_files(storage: Storage | None = None, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, through the Storage API only (filesystem or S3)."""
    storage = storage or _storage()
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, posixpath.join(folder, sub) if folder else sub)


class _Writer:
    def __init__(self, stream: crypto.StreamWriter) -> None:
        self.stream = stream
        self.entries: list[Entry] = []

    def entry(self, name: str, chunks: Iterable[bytes]) -> Entry:
        encoded = name.encode()
        self.stream.write(b"E" + struct.pack(">H", len(encoded)) + encoded)
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            if chunk:
                self.stream.write(struct.pack(">I", len(chunk)) + chunk)
                digest.update(chunk)
                size += len(chunk)
        self.stream.write(struct.pack(">I", 0))
        entry = Entry(name, size, digest.hexdigest())
        self.entries.append(entry)
        return entry


def _file_chunks(handle: Any) -> Iterator[bytes]:
    while chunk := handle.read(database.READ):
        yield chunk


def write_backup(target: BinaryIO, public: bytes) -> Contents:
    """Write the archive to `target` (a file opened for writing); return what it holds."""
    header: dict[str, Any] = {
        "format": FORMAT, "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": _app_version(), "database": database.vendor(),
        "database_server": database.server_version(), "migrations": database.applied_migrations(),
        "storage": STORAGE,
    }
    archive_key = crypto.random_bytes()
    sealed_key = crypto.seal_to(public, archive_key)
    target.write(MAGIC + sealed_key)
    stream = crypto.StreamWriter(archive_key, target, MAGIC + sealed_key)
    writer = _Writer(stream)
    writer.entry("header.json", [json.dumps(header, sort_keys=True).encode()])
    try:
        writer.entry(f"database.{header['database']}", database.dump())
    except database.DatabaseError as exc:
        raise BackupError(str(exc)) from exc
    storage = _storage()
    for name in stored_files(storage):
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            continue  # deleted since it was listed (retention at work): its row is gone too
        with handle:
            writer.entry(f"files/{name}", _file_chunks(handle))
    entries = list(writer.entries)
    manifest = {"created": header["created"], "entries": [vars(e) for e in entries]}
    writer.entry("manifest.json", [json.dumps(manifest, sort_keys=True).encode()])
    stream.write(b"Z")
    stream.close()
    # After the dump, so the archive never holds its own entry (the next one does).
    record_audit("system", Action.BACKUP_MADE, object_type="vault.backup", object_id=header["created"])
    return Contents(header, entries)


def backup_name(when: datetime | None = None) -> str:
    return f"amparo-{(when or datetime.now(UTC)).strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"


# --- Reading --------------------------------------------------------------------------------

class _Plain:
    """The decrypted stream, read by exact lengths."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._buffer = chunks, bytearray()

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                raise BackupError("the archive's content ends in the middle of an entry") from None
            except crypto.CryptoError as exc:
                raise BackupError(_damaged(exc)) from exc
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def at_end(self) -> bool:
        try:
            for chunk in self._chunks:
                self._buffer += chunk
        except crypto.CryptoError as exc:
            raise BackupError(_damaged(exc)) from exc
        return not self._buffer


def _damaged(exc: Exception) -> str:
    return f"the archive is damaged, changed or cut short, and cannot be trusted: {exc}"


Sink = Callable[[str, Iterator[bytes]], None]


def _entry_chunks(plain: _Plain, digest: Any, sizes: list[int]) -> Iterator[bytes]:
    while True:
        (length,) = struct.unpack(">I", plain.read(4))
        if not length:
            return
        chunk = plain.read(length)
        digest.update(chunk)
        sizes[0] += length
        yield chunk


def _open(source: BinaryIO, private: bytes) -> _Plain:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("this is not an Amparo backup (or not of a format this version reads)")
    sealed_key = source.read(SEALED_KEY_BYTES)
    if len(sealed_key) != SEALED_KEY_BYTES:
        raise BackupError("the archive is truncated: it ends before its key")
    try:
        archive_key = crypto.open_box(private, sealed_key)
    except crypto.CryptoError as exc:
        raise BackupError("this private key does not open this backup (it was made for another key, "
                          "or its key was changed)") from exc
    return _Plain(crypto.stream_decrypt(archive_key, source, MAGIC + sealed_key))


def _entries(plain: _Plain, sink: Sink | None) -> tuple[dict[str, Any], dict[str, Any], list[Entry]]:
    """Read every entry up to the end mark: (header, manifest, what was read)."""
    seen: list[Entry] = []
    found: dict[str, Any] = {}
    while (kind := plain.read(1)) != b"Z":
        if kind != b"E" or "manifest.json" in found:
            raise BackupError("the archive's content is not laid out as a backup's")
        (length,) = struct.unpack(">H", plain.read(2))
        name = plain.read(length).decode()
        digest, sizes = hashlib.sha256(), [0]
        chunks = _entry_chunks(plain, digest, sizes)
        if name in ("header.json", "manifest.json"):
            found[name] = json.loads(b"".join(chunks))
            if name == "manifest.json":
                continue  # the manifest does not list itself
        elif sink is not None:
            sink(name, chunks)
        for _rest in chunks:  # whatever the sink left unread
            pass
        seen.append(Entry(name, sizes[0], digest.hexdigest()))
    if not plain.at_end():
        raise BackupError("the archive has content after its end")
    if "header.json" not in found or "manifest.json" not in found:
        raise BackupError("the archive has no header or no manifest")
    return found["header.json"], found["manifest.json"], seen


def read_backup(source: BinaryIO, private: bytes, sink: Sink | None = None) -> Contents:
    """Decrypt and check the whole archive: every chunk's authentication, the stream's end, and
    the manifest against what was read. `sink(name, chunks)` receives each part's content as it
    is read (a restore); without it, the content is only checked."""
    header, manifest, seen = _entries(_open(source, private), sink)
    listed = [Entry(**e) for e in manifest.get("entries", [])]
    if listed != seen:
        missing = {e.name for e in listed} - {e.name for e in seen}
        changed = [e.name for e in seen if e not in listed]
        raise BackupError(f"the archive does not match its manifest (missing: {sorted(missing)[:5]}, "
                          f"different or extra: {changed[:5]})")
    return Contents(header, seen)


def file_digest(path: Path) -> str:
    """The SHA-256 of the archive file itself, printed when it is made and when it is checked:
    anyone with the public key can make an archive that decrypts, so this is how an operator
    knows the one she restores is the one her server wrote."""
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def verify_backup(path: Path, private: bytes) -> Contents:
    try:
        with open(path, "rb") as source:
            return read_backup(source, private)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc


# --- Restoring ------------------------------------------------------------------------------

def storage_is_empty() -> bool:
    return next(stored_files(), None) is None


def wipe_storage() -> int:
    storage, removed = _storage(), 0
    for name in list(stored_files(storage)):
        storage.delete(name)
        removed += 1
    return removed


@dataclass
class Restored:
    contents: Contents
    migrated: int


def restore_backup(path: Path, private: bytes, *, replace: bool = False,
                   progress: Callable[[str], None] = lambda _m: None) -> Restored:
    """Bring an archive back. Refuses a database with tables or a storage with files unless
    `replace` (which empties both first). The archive is checked whole before anything is
    touched, then read a second time to restore it; migrations newer than the archive run
    after."""
    if not replace and not (database.is_empty() and storage_is_empty()):
        raise BackupError("the database or the attachments' storage is not empty: restore into an empty "
                          "one, or pass --replace to erase what is there first")
    try:
        source = open(path, "rb")  # noqa: SIM115 - closed below; opened once, both readings see one file
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    with source:
        return _restore(source, private, replace=replace, progress=progress)


def _restore(source: BinaryIO, private: bytes, *, replace: bool, progress: Callable[[str], None]) -> Restored:
    contents = read_backup(source, private)
    progress(f"Archive checked: {len(contents.entries)} parts, {contents.files} files, "
             f"made {contents.header['created']}.")
    if contents.header.get("database") != database.vendor():
        raise BackupError(f"the archive holds a {contents.header.get('database')} database; this server uses "
                          f"{database.vendor()}")
    newer = database.unknown_migrations(contents.header.get("migrations", []))
    if newer:
        raise BackupError(f"the archive comes from a newer version of Amparo (migrations this code lacks: "
                          f"{', '.join(newer[:5])}): install that version first")
    if replace:
        database.wipe()
        wipe_storage()
    storage = _storage()

    def sink(name: str, chunks: Iterator[bytes]) -> None:
        if name.startswith("database."):
            progress("Restoring the database…")
            database.load(chunks)
        elif name.startswith("files/"):
            stored = name.removeprefix("files/")
            with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
                for chunk in chunks:
                    spool.write(chunk)
                spool.seek(0)
                saved = storage.save(stored, File(spool, name=posixpath.basename(stored)))
            if saved != stored:
                raise BackupError(f"the storage saved {stored} as {saved}: it was not empty")

    source.seek(0)
    try:
        read_backup(source, private, sink)
    except database.DatabaseError as exc:
        raise BackupError(str(exc)) from exc
    progress(f"Restored {contents.files} files.")
    migrated = database.pending_migrations()
    if migrated:
        from django.core.management import call_command

        progress(f"The archive is older than this code: applying {migrated} migrations.")
        call_command("migrate", interactive=False, verbosity=0)
    record_audit("system", Action.BACKUP_RESTORED, object_type="vault.backup", object_id=contents.header["created"])
    return Restored(contents, migrated)


# --- Retention ------------------------------------------------------------------------------

def deletion_window_days() -> int:
    """The documented deletion window: untriaged anonymous reports are erased after this many
    days, so a backup older than that may hold what was erased."""
    return int(settings.ANONYMOUS_RETENTION_DAYS)


def prune_backups(folder: Path, older_than_days: int, *, now: datetime | None = None) -> list[Path]:
    """Delete the archives in `folder` (named by `backup_name`) made more than `older_than_days`
    days ago; returns what was deleted. Other files are left alone."""
    limit = (now or datetime.now(UTC)) - timedelta(days=older_than_days)
    removed = []
    for path in sorted(Path(folder).glob(f"amparo-*{SUFFIX}")):
        stamp = path.name.removeprefix("amparo-").removesuffix(SUFFIX)
        try:
            made = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        if made < limit:
            path.unlink()
            removed.append(path)
    return removed

