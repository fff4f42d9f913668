"""Every write to defenders and incidents. Sealed content goes through the desk's key ring;
each write records an audit entry scoped to the desk's network, in the same transaction.

Vocabulary writes live in `vocabulary.py` (a job of its own)."""

from __future__ import annotations

import functools
import hmac
import io
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry import bounds
from amparo.registry.models import AnonymousReceipt, Attachment, Defender, DeskIndexKey, FollowUp, Incident
from amparo.vault import services as vault
from amparo.vault.errors import NotAReader
from amparo.vault.services import Unlocked
from amparo.vocabulary.models import Term


def _scope(desk: Desk) -> str:
    return network.scope_of(desk.network)


def label(model: str, name: str) -> str:
    """The associated-data label of a sealed field, e.g. "registry.incident.narrative"."""
    return f"registry.{model}.{name}"


# --- The blind index of names ---------------------------------------------------------------

def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def desk_index_key(desk: Desk, unlocked: Unlocked) -> bytes:
    """The desk's index key, opened with a member's key; made on first use."""
    with transaction.atomic():
        found = DeskIndexKey.objects.select_for_update().filter(desk=desk).first()
        if found is None:
            raw = secrets.token_bytes(32)
            found = DeskIndexKey.objects.create(
                desk=desk, sealed_key=network.seal_for_desk(desk, raw, label="registry.desk.index_key"))
            return raw
    return vault.open_sealed_bytes(unlocked, found.sealed_key, label="registry.desk.index_key")


def name_index(key: bytes, name: str) -> str:
    return hmac.new(key, normalise_name(name).encode(), sha256).hexdigest()


def index_pending_names(desk: Desk, unlocked: Unlocked, limit: int = 200) -> int:
    """Index defenders written while no member was unlocked (anonymous reports, imports): the
    next member who opens the desk does it, like pending grants. Returns how many."""
    waiting = list(Defender.objects.filter(desk=desk, name_index="").exclude(name__isnull=True)[:limit])
    if not waiting:
        return 0
    key = desk_index_key(desk, unlocked)
    for defender in waiting:
        name = vault.open_sealed(unlocked, defender.name, label=label("defender", "name"))
        Defender.objects.filter(pk=defender.pk).update(name_index=name_index(key, name))
    return len(waiting)


def find_defenders(desk: Desk, unlocked: Unlocked, name: str) -> list[Defender]:
    """Defenders of the desk with exactly this name (case and spaces aside)."""
    index_pending_names(desk, unlocked)
    wanted = name_index(desk_index_key(desk, unlocked), name)
    return list(Defender.objects.filter(desk=desk, name_index=wanted))


# --- Defenders ------------------------------------------------------------------------------

def create_defender(
    actor: User | str, desk: Desk, *, name: str, kind: str = Defender.Kind.INDIVIDUAL, contacts: str = "",
    gender: Term | None = None, profiles: Iterable[Term] = (), account: User | None = None,
    unlocked: Unlocked | None = None,
) -> Defender:
    """Record a defender: her name and contacts sealed to the desk (and to her own account,
    when she reports herself); indexed by name now if a member's key is at hand, else later."""
    also = [account] if account is not None else []
    with transaction.atomic():
        defender = Defender.objects.create(
            desk=desk, kind=kind, gender=gender, account=account,
            name=network.seal_for_desk(desk, name, label=label("defender", "name"), also_to=also),
            contacts=network.seal_for_desk(desk, contacts, label=label("defender", "contacts"), also_to=also)
            if contacts else None,
        )
        defender.profiles.set(list(profiles))
        if unlocked is not None:
            try:
                key = desk_index_key(desk, unlocked)
            except NotAReader:
                key = None
            if key is not None:
                defender.name_index = name_index(key, name)
                defender.save(update_fields=["name_index"])
        record_audit(actor, "defender.created", defender, scope=_scope(desk))
    return defender


# --- Incidents ------------------------------------------------------------------------------

@dataclass
class IncidentData:
    """What a form, the API, an import or an anonymous report gives for an incident."""

    occurred_on: date | None = None
    date_precision: str = Incident.Precision.DAY
    country: str = ""
    subdivision: str = ""
    locality: str = ""
    coordinates: str = ""
    narrative: str = ""
    sources: str = ""
    attack_types: list[Term] = field(default_factory=list)
    perpetrators: list[Term] = field(default_factory=list)
    risk_factors: list[Term] = field(default_factory=list)
    profiles: list[Term] = field(default_factory=list)
    victim_genders: list[Term] = field(default_factory=list)
    victims: int = 1
    reported_to_authorities: str = Incident.Reported.UNKNOWN
    reported_on: date | None = None
    reported_to: str = ""
    justice: str = Incident.Justice.NONE
    consent_statistics: bool = False
    consent_public_appeal: bool = False
    consent_un: bool = False


def _normal_date(value: date | None, precision: str) -> date | None:
    if value is None:
        return None
    if precision == Incident.Precision.MONTH:
        return value.replace(day=1)
    if precision == Incident.Precision.YEAR:
        return value.replace(month=1, day=1)
    return value


def _apply(incident: Incident, data: IncidentData, also_to: list[Any]) -> None:
    bounds.check_victims(data.victims)  # every entry point checks it; a caller that did not fails here
    incident.occurred_on = _normal_date(data.occurred_on, data.date_precision)
    incident.date_precision = data.date_precision
    incident.country, incident.subdivision = data.country.upper(), data.subdivision.upper()
    for name in Incident.SEALED:
        text = getattr(data, name)
        sealed = network.seal_for_desk(incident.desk, text, label=label("incident", name), also_to=also_to) \
            if text else None
        setattr(incident, name, sealed)
    incident.victims = data.victims
    incident.reported_to_authorities, incident.reported_on = data.reported_to_authorities, data.reported_on
    incident.justice = data.justice


def _set_terms(incident: Incident, data: IncidentData, *, new: bool = False) -> None:
    for relation in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders"):
        terms = getattr(data, relation)
        if terms or not new:  # a new record has none yet: nothing to clear (a query saved each)
            getattr(incident, relation).set(terms)


def record_incident(
    actor: User | str, desk: Desk, data: IncidentData, *, channel: str = Incident.Channel.DESK,
    defenders: Iterable[Defender] = (), reporter: User | None = None, submission_key: str | None = None,
    also_to: Iterable[Any] = (),
) -> Incident:
    """Record an incident for `desk`, sealed to its ring (and to the reporter, when a defender
    reports herself). A repeated `submission_key` (a double submit) returns the first record."""
    if submission_key:
        existing = Incident.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    also = [reporter] if reporter is not None else []
    also += list(also_to)  # e.g. an anonymous reporter's receipt-derived public key
    try:
        with transaction.atomic():
            incident = Incident(desk=desk, channel=channel, reporter=reporter, submission_key=submission_key)
            _apply(incident, data, also)
            _set_consent(incident, data, actor)
            incident.save()
            _set_terms(incident, data, new=True)
            if defenders := list(defenders):
                incident.defenders.set(defenders)
            record_audit(actor, "incident.recorded", incident, scope=_scope(desk))
    except IntegrityError:
        if submission_key:  # the other submit of the same form won the race
            return Incident.objects.get(submission_key=submission_key)
        raise
    return incident


def _set_consent(incident: Incident, data: IncidentData, actor: User | str) -> None:
    incident.consent_statistics = data.consent_statistics
    incident.consent_public_appeal = data.consent_public_appeal
    incident.consent_un = data.consent_un
    incident.consent_recorded_by = actor if isinstance(actor, User) else None
    incident.consent_recorded_at = timezone.now()


def update_incident(actor: User, incident: Incident, data: IncidentData) -> Incident:
    """Replace an incident's description (its sealed parts are sealed anew)."""
    with transaction.atomic():
        also = [incident.reporter] if incident.reporter else []
        _apply(incident, data, also)
        consent_changed = (incident.consent_statistics, incident.consent_public_appeal, incident.consent_un) != (
            data.consent_statistics, data.consent_public_appeal, data.consent_un)
        if consent_changed:
            _set_consent(incident, data, actor)
        incident.save()
        _set_terms(incident, data)
        record_audit(actor, "incident.updated", incident, scope=_scope(incident.desk))
    return incident


def withdraw_consent(actor: User | str, incident: Incident) -> Incident:
    """Back to "document only", everywhere at once: every statistics query filters on these
    flags, so the incident leaves them from the next query on."""
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            consent_statistics=False, consent_public_appeal=False, consent_un=False,
            consent_withdrawn_at=timezone.now(),
            consent_recorded_by=actor if isinstance(actor, User) else None,
            consent_recorded_at=timezone.now(),
        )
        record_audit(actor, "incident.consent_withdrawn", incident, scope=_scope(incident.desk))
    incident.refresh_from_db()
    return incident


def set_status(actor: User, incident: Incident, status: str) -> Incident:
    if status not in Incident.Status.values or status == Incident.Status.DUPLICATE:
        raise ValueError(status)
    with transaction.atomic():
        incident.status, incident.duplicate_of = status, None
        incident.save(update_fields=["status", "duplicate_of", "updated_at"])
        record_audit(actor, f"incident.status.{status}", incident, scope=_scope(incident.desk))
    return incident


def assign(actor: User, incident: Incident, assignee: User | None) -> Incident:
    with transaction.atomic():
        incident.assignee = assignee
        incident.save(update_fields=["assignee", "updated_at"])
        record_audit(actor, "incident.assigned", incident, scope=_scope(incident.desk))
    return incident


def mark_duplicate(actor: User, incident: Incident, original: Incident) -> Incident:
    """`incident` repeats `original` (same desk): it stops counting in statistics; its victims
    and terms are merged into the original, so nothing documented is lost."""
    if original.pk == incident.pk or original.desk_id != incident.desk_id:
        raise ValueError("a duplicate points at another incident of the same desk")
    while original.duplicate_of_id is not None and original.duplicate_of is not None:
        original = original.duplicate_of
    with transaction.atomic():
        for relation in ("attack_types", "perpetrators", "risk_factors", "profiles", "victim_genders", "defenders"):
            getattr(original, relation).add(*getattr(incident, relation).all())
        incident.status, incident.duplicate_of = Incident.Status.DUPLICATE, original
        incident.save(update_fields=["status", "duplicate_of", "updated_at"])
        Incident.objects.filter(duplicate_of=incident).update(duplicate_of=original)
        record_audit(actor, "incident.marked_duplicate", incident, scope=_scope(incident.desk))
    return incident


def add_follow_up(actor: User, incident: Incident, *, happened_on: date, note: str) -> FollowUp:
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            incident=incident, happened_on=happened_on, author=actor,
            note=network.seal_for_desk(incident.desk, note, label=label("followup", "note")),
        )
        record_audit(actor, "incident.follow_up_added", incident, scope=_scope(incident.desk))
    return follow_up


def move_to_desk(actor: User, incident: Incident, target: Desk, unlocked: Unlocked) -> Incident:
    """Hand a case to another desk: every sealed part is opened with the mover's key and sealed
    to the target desk's ring; the old desk keeps no copy. Defenders who appear only in this
    case move with it; defenders shared with other cases are copied."""
    if target.pk == incident.desk_id:
        return incident
    source = incident.desk
    with transaction.atomic():
        also: list[Any] = [incident.reporter] if incident.reporter else []
        receipt = AnonymousReceipt.objects.filter(incident=incident).first()
        if receipt is not None:  # an anonymous reporter keeps reading her report and the messages
            also.append(bytes(receipt.public_key))
        for name in Incident.SEALED:
            value = getattr(incident, name)
            if value:
                text = vault.open_sealed(unlocked, value, label=label("incident", name))
                setattr(incident, name, network.seal_for_desk(target, text, label=label("incident", name),
                                                               also_to=also))
        for message in incident.messages.all():
            text = vault.open_sealed(unlocked, message.body, label=label("message", "body"))
            message.body = network.seal_for_desk(target, text, label=label("message", "body"), also_to=also)
            message.save(update_fields=["body"])
        for follow_up in incident.follow_ups.all():
            text = vault.open_sealed(unlocked, follow_up.note, label=label("followup", "note"))
            follow_up.note = network.seal_for_desk(target, text, label=label("followup", "note"))
            follow_up.save(update_fields=["note"])
        for attachment in incident.attachments.all():
            _move_attachment(attachment, target, unlocked, also)
        moved = []
        for defender in incident.defenders.all():
            name = vault.open_sealed(unlocked, defender.name, label=label("defender", "name"))
            contacts = vault.open_sealed(unlocked, defender.contacts, label=label("defender", "contacts")) \
                if defender.contacts else ""
            if defender.incidents.exclude(pk=incident.pk).exists():
                copy = create_defender(actor, target, name=name, kind=defender.kind, contacts=contacts,
                                       gender=defender.gender, profiles=defender.profiles.all(),
                                       account=defender.account, unlocked=unlocked)
                moved.append(copy)
            else:
                also_d = [defender.account] if defender.account else []
                defender.desk = target
                defender.name = network.seal_for_desk(target, name, label=label("defender", "name"), also_to=also_d)
                defender.contacts = network.seal_for_desk(target, contacts, label=label("defender", "contacts"),
                                                          also_to=also_d) if contacts else None
                defender.name_index = ""  # indexed under the target desk's key by its next member
                defender.save()
                moved.append(defender)
        incident.defenders.set(moved)
        incident.desk, incident.assignee, incident.duplicate_of = target, None, None
        if incident.status == Incident.Status.DUPLICATE:
            incident.status = Incident.Status.RECEIVED
        incident.save()
        record_audit(actor, "incident.moved_out", incident, scope=_scope(source))
        record_audit(actor, "incident.moved_in", incident, scope=_scope(target))
    return incident


def _move_attachment(attachment: Attachment, target: Desk, unlocked: Unlocked, also: list[Any]) -> None:
    """Encrypt the file again, under a new key sealed to the target desk, into a new file; the
    old file is deleted once the move is committed. Chunk by chunk: never whole in memory."""
    assert target.ring is not None  # noqa: S101 - every desk has a ring
    folder = Path(settings.MEDIA_ROOT) / "attachments"
    old_path, new_name = folder / attachment.stored_name, secrets.token_hex(16)
    new_path = folder / new_name
    name = vault.open_sealed(unlocked, attachment.filename, label=label("attachment", "filename"))
    try:
        with open(old_path, "rb") as source, open(new_path, "xb") as copy:
            chunks = vault.open_attachment(unlocked, attachment.sealed_key, source, label=label("attachment", "file"))
            reader: Any = _ChunkReader(chunks)  # file-like enough for the streaming sealer
            attachment.sealed_key = vault.seal_attachment(target.ring, reader, copy,
                                                          label=label("attachment", "file"), also_to=also)
            copy.flush()
            os.fsync(copy.fileno())
    except BaseException:
        new_path.unlink(missing_ok=True)
        raise
    transaction.on_commit(lambda: old_path.unlink(missing_ok=True))
    attachment.filename = network.seal_for_desk(target, name, label=label("attachment", "filename"), also_to=also)
    attachment.stored_name = new_name
    attachment.save(update_fields=["sealed_key", "filename", "stored_name"])


def open_incident(unlocked: Unlocked | None, incident: Incident) -> dict[str, str]:
    """The sealed parts as text, for a member of the desk (or the reporter herself)."""
    return {name: vault.open_sealed(unlocked, getattr(incident, name), label=label("incident", name))
            if getattr(incident, name) else "" for name in Incident.SEALED}


def open_defender_name(unlocked: Unlocked | None, defender: Defender) -> str:
    return vault.open_sealed(unlocked, defender.name, label=label("defender", "name"))


# --- Attachments ----------------------------------------------------------------------------

class AttachmentRefused(ValueError):
    """Too large or empty."""


# Images are opened only in these formats (never EPS, which would start Ghostscript, nor the
# rarer decoders; JPEG opens MPO too): what opens is decoded and encoded again without its
# hidden details.
DECODED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")
# What each becomes: photos stay photos (JPEG keeps its own quality tables), drawings PNG.
ENCODED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "WEBP": "WEBP"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
# Bytes a pixel takes while decoding: 4 in Pillow; HEIF decodes into libheif's buffer first.
DECODING_BYTES = {"HEIF": 8}
JPEG_MODES, PNG_MODES = {"L", "RGB", "CMYK"}, {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}
ORIENTATION = 0x0112


@dataclass
class Cleaned:
    """An image encoded again without its hidden details, or why it could not be."""

    data: io.BytesIO | None = None  # the new bytes, when cleaned
    size: int = 0
    format: str = ""
    metadata: str = Attachment.Metadata.KEPT


@functools.cache
def _register_heif() -> None:
    """HEIC/HEIF photos (iPhones, many Android phones) open like any other image."""
    import pillow_heif

    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


def without_metadata(source: Any) -> Cleaned:
    """Whatever the file's own bytes are (never what the sender said): an image Pillow opens
    is decoded and encoded again from its pixels alone, so that nothing else survives — no GPS
    position, no camera or phone model, no date (EXIF, XMP, IPTC, comments, ICC); only the
    orientation is written back, so that the photo stands the right way up.

    Its size and mode are read from the header before anything is decoded: a JPEG over
    AMPARO_IMAGE_MAX_PIXELS is cleaned without decoding (`_jpeg_without_segments`); any other
    image over it (or over Pillow's own bomb limit), a moving image, or one that does not
    decode is not cleaned — the caller keeps it as sent, with a note to the desk. Decoding
    costs about 4 bytes a pixel (8 for HEIF), hence the budget; see settings.py."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    _register_heif()
    budget = settings.AMPARO_IMAGE_MAX_PIXELS * 4
    try:
        with warnings.catch_warnings():
            # Over Pillow's warning threshold is over ours too: refused below, quietly.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(source, formats=DECODED_FORMATS)  # the header only
    except Image.DecompressionBombError:  # over Pillow's own hard limit: far over ours
        return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return Cleaned(metadata=Attachment.Metadata.KEPT)
    with image:
        fmt = image.format or ""
        width, height = image.size
        moving = fmt != "MPO" and getattr(image, "is_animated", False)  # MPO: a photo and its preview
        if width * height * DECODING_BYTES.get(fmt, 4) > budget:
            if fmt in ("JPEG", "MPO"):  # too large to decode, but its segments can be sorted
                return _jpeg_without_segments(source, image.getexif().get(ORIENTATION, 1))
            return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
        target = ENCODED_AS.get(fmt, "PNG")
        if target == "JPEG" and image.mode not in JPEG_MODES:
            target = "PNG"
        if moving or image.mode not in JPEG_MODES | PNG_MODES or target == "WEBP" and image.mode \
                not in {"RGB", "RGBA"}:
            return Cleaned(metadata=Attachment.Metadata.KEPT)
        try:
            orientation = image.getexif().get(ORIENTATION, 1)
            image.load()  # decoded once, in place: no copy of the pixels is made
            # Whatever the file said beside its pixels is forgotten before it is written again.
            image.info.clear()
            exif = Image.Exif()
            if orientation in range(2, 9):
                exif[ORIENTATION] = orientation
            out = io.BytesIO()
            options: dict[str, Any] = {"exif": exif.tobytes()} if len(exif) else {}
            if target == "JPEG":
                options["quality"] = "keep" if fmt in ("JPEG", "MPO") else 92
            elif target == "WEBP":
                options["quality"] = 90
            image.save(out, format=target, **options)
        except (OSError, ValueError, SyntaxError, MemoryError, Image.DecompressionBombError):
            return Cleaned(metadata=Attachment.Metadata.KEPT)
    size = out.tell()
    out.seek(0)
    return Cleaned(data=out, size=size, format=target, metadata=Attachment.Metadata.REMOVED)


# JPEG segments a photo needs: frame, tables, restart interval, scans, and the JFIF and Adobe
# headers (colour). Everything else (APP1 EXIF and XMP, APP2 ICC and MPF, APP13 IPTC, COM…)
# is left out, and so is whatever follows the picture's end (a second picture, a trailer).
JPEG_KEPT = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF, 0xC4, 0xCC, 0xDB,
             0xDD, 0xDA}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}


def _jpeg_without_segments(source: Any, orientation: int) -> Cleaned:
    """A JPEG too large to decode, cleaned without decoding: the same compressed pixels (not a
    bit of the picture changes), with only the segments a picture needs; the orientation is
    written back. Memory: the file and its copy, never its pixels."""
    source.seek(0)
    data = source.read()
    out, pos, end = io.BytesIO(), 2, len(data)
    if data[:2] != b"\xff\xd8":
        return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
    out.write(b"\xff\xd8")
    if orientation in range(2, 9):
        from PIL import Image

        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        body = b"Exif\0\0" + exif.tobytes()
        out.write(b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body)
    try:
        while pos < end:
            if data[pos] != 0xFF:
                raise ValueError("not a marker")
            while data[pos] == 0xFF:  # fill bytes
                pos += 1
            marker = data[pos]
            pos += 1
            if marker == 0xD9:  # the picture's end: nothing after it is kept
                out.write(b"\xff\xd9")
                break
            if marker in JPEG_STANDALONE:
                out.write(bytes((0xFF, marker)))
                continue
            length = int.from_bytes(data[pos:pos + 2], "big")
            segment = data[pos:pos + length]
            if length < 2 or len(segment) != length:
                raise ValueError("cut short")
            pos += length
            header = segment[2:7]
            if marker in JPEG_KEPT or marker == 0xE0 and header == b"JFIF\0" or marker == 0xEE and \
                    header.startswith(b"Adobe"):
                out.write(bytes((0xFF, marker)) + segment)
            if marker == 0xDA:  # the compressed scan runs to the next marker that is not data
                scan = pos
                while True:
                    pos = data.index(b"\xff", pos)
                    following = data[pos + 1]
                    if following == 0 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                        pos += 1 if following == 0xFF else 2
                        continue
                    break
                out.write(data[scan:pos])
        else:
            raise ValueError("no end")
    except (ValueError, IndexError):
        return Cleaned(metadata=Attachment.Metadata.KEPT_LARGE)
    size = out.tell()
    out.seek(0)
    return Cleaned(data=out, size=size, format="JPEG", metadata=Attachment.Metadata.REMOVED)


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
                sealed_key = vault.seal_attachment(incident.desk.ring, source, target,
                                                   label=label("attachment", "file"))
                # On disk before the row that points at it: a crash never leaves a record
                # whose file is half written.
                target.flush()
                os.fsync(target.fileno())
            attachment = Attachment.objects.create(
                incident=incident, sealed_key=sealed_key, content_type=content_type, size=size,
                stored_name=stored_name, metadata=cleaned.metadata,
                filename=network.seal_for_desk(incident.desk, filename or "file",
                                               label=label("attachment", "filename")),
            )
            record_audit(actor, "incident.attachment_added", incident, scope=_scope(incident.desk))
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
    name = vault.open_sealed(unlocked, attachment.filename, label=label("attachment", "filename"))
    path = Path(settings.MEDIA_ROOT) / "attachments" / attachment.stored_name

    def chunks() -> Iterator[bytes]:
        with open(path, "rb") as source:
            yield from vault.open_attachment(unlocked, attachment.sealed_key, source,
                                             label=label("attachment", "file"))
    return name, chunks()
