"""Sealing by intent: every sealed part of the registry is sealed and opened by a named
function here, so that no caller builds a label or picks a ring or a key. Built on the vault
(`vault.services`, `vault.desk_index`) and the desk's ring (`network.services.seal_for_desk`).

What is sealed, and to whom:
- an incident's locality, coordinates, narrative, sources and where she reported it
  (`reported_to`): to the desk, and to the reporter (her account, or the key her receipt gives);
- a defender's name and contacts: to the desk, and to her own account when she reports herself;
- a follow-up's note and an attachment's name and file: to the desk;
- a message of an anonymous reporter's conversation: to the desk and to her receipt's key;
- the desk's name-index key (the blind index of defenders' names): to the desk;
- an import's row key and digest: keyed indexes under the service key (nothing to open).
A case moved to another desk is opened with the mover's key and sealed anew (`reseal_*`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from amparo.accounts.models import User
from amparo.network import services as network
from amparo.network.models import Desk
from amparo.registry.models import Attachment, Defender, FollowUp, Incident, Message
from amparo.vault import desk_index
from amparo.vault import services as vault
from amparo.vault.services import Unlocked
from amparo.vault.services.epochs import current_epoch
from amparo.vault.services.keys import Recipientish

Sealed = bytes | memoryview | None
AlsoTo = Iterable[Recipientish]

INCIDENT_PARTS = Incident.SEALED  # locality, coordinates, narrative, sources, reported_to
INDEX_KEY_LABEL = "registry.desk.index_key"
IMPORT_KEY_PURPOSE, IMPORT_DIGEST_PURPOSE = "registry.import.key", "registry.import.row"


def _label(model: str, name: str) -> str:
    """The associated-data label of a sealed field, e.g. "registry.incident.narrative"."""
    return f"registry.{model}.{name}"


def _seal(desk: Desk, model: str, name: str, text: str, also_to: AlsoTo = ()) -> bytes:
    return network.seal_for_desk(desk, text, label=_label(model, name), also_to=list(also_to))


def _seal_or_none(desk: Desk, model: str, name: str, text: str, also_to: AlsoTo = ()) -> bytes | None:
    """A blank text is stored as nothing at all."""
    return _seal(desk, model, name, text, also_to) if text else None


def _open(unlocked: Unlocked | None, model: str, name: str, sealed: Sealed) -> str:
    """"" for nothing stored; else the text (the vault's KeyLocked, NotAReader or Tampered)."""
    return vault.open_sealed(unlocked, sealed, label=_label(model, name)) if sealed else ""


# --- Incidents ----------------------------------------------------------------------------

def _incident_part(name: str) -> str:
    if name not in INCIDENT_PARTS:
        raise ValueError(f"not a sealed part of an incident: {name}")
    return name


def seal_incident_part(desk: Desk, name: str, text: str, also_to: AlsoTo = ()) -> bytes | None:
    """One of INCIDENT_PARTS, for `desk` (and `also_to`); a blank text as nothing."""
    return _seal_or_none(desk, "incident", _incident_part(name), text, also_to)


def seal_incident_locality(desk: Desk, text: str, also_to: AlsoTo = ()) -> bytes | None:
    return seal_incident_part(desk, "locality", text, also_to)


def seal_incident_coordinates(desk: Desk, text: str, also_to: AlsoTo = ()) -> bytes | None:
    return seal_incident_part(desk, "coordinates", text, also_to)


def seal_incident_narrative(desk: Desk, text: str, also_to: AlsoTo = ()) -> bytes | None:
    return seal_incident_part(desk, "narrative", text, also_to)


def seal_incident_sources(desk: Desk, text: str, also_to: AlsoTo = ()) -> bytes | None:
    return seal_incident_part(desk, "sources", text, also_to)


def seal_incident_reported_to(desk: Desk, text: str, also_to: AlsoTo = ()) -> bytes | None:
    return seal_incident_part(desk, "reported_to", text, also_to)


def seal_incident_parts(desk: Desk, incident: Incident, texts: dict[str, str], also_to: AlsoTo = ()) -> None:
    """Set every sealed part of `incident` from `texts` (a missing or blank one as nothing),
    sealed to `desk`, its desk (and `also_to`)."""
    also = list(also_to)
    for name in INCIDENT_PARTS:
        setattr(incident, name, seal_incident_part(desk, name, texts.get(name, ""), also))


def open_incident_part(unlocked: Unlocked | None, incident: Incident, name: str) -> str:
    return _open(unlocked, "incident", _incident_part(name), getattr(incident, name))


def open_incident_locality(unlocked: Unlocked | None, incident: Incident) -> str:
    return open_incident_part(unlocked, incident, "locality")


def open_incident_coordinates(unlocked: Unlocked | None, incident: Incident) -> str:
    return open_incident_part(unlocked, incident, "coordinates")


def open_incident_narrative(unlocked: Unlocked | None, incident: Incident) -> str:
    return open_incident_part(unlocked, incident, "narrative")


def open_coordinates_column(unlocked: Unlocked | None, sealed: Sealed) -> str:
    """An incident's coordinates as read straight from its column (a map reads only that)."""
    return _open(unlocked, "incident", "coordinates", sealed)


def open_incident_sources(unlocked: Unlocked | None, incident: Incident) -> str:
    return open_incident_part(unlocked, incident, "sources")


def open_incident_reported_to(unlocked: Unlocked | None, incident: Incident) -> str:
    return open_incident_part(unlocked, incident, "reported_to")


def open_incident(unlocked: Unlocked | None, incident: Incident) -> dict[str, str]:
    """Every sealed part as text, for a member of the desk (or the reporter herself)."""
    return {name: open_incident_part(unlocked, incident, name) for name in INCIDENT_PARTS}


def open_incident_narrative_with_receipt(private_key: bytes, incident: Incident) -> str:
    """What she wrote, for her ("" when she wrote nothing)."""
    if not incident.narrative:
        return ""
    return vault.open_with_private_key(private_key, incident.narrative, label=_label("incident", "narrative"))


def reseal_incident_parts(unlocked: Unlocked, incident: Incident, target: Desk, also_to: AlsoTo = ()) -> None:
    """A moved case: each sealed part opened with the mover's key and sealed to `target`."""
    also = list(also_to)
    for name in INCIDENT_PARTS:
        if getattr(incident, name):
            setattr(incident, name, _seal(target, "incident", name, open_incident_part(unlocked, incident, name), also))


# --- Defenders ----------------------------------------------------------------------------

def seal_defender_name(desk: Desk, name: str, also_to: AlsoTo = ()) -> bytes:
    return _seal(desk, "defender", "name", name, also_to)


def seal_defender_contacts(desk: Desk, contacts: str, also_to: AlsoTo = ()) -> bytes | None:
    return _seal_or_none(desk, "defender", "contacts", contacts, also_to)


def open_defender_name(unlocked: Unlocked | None, defender: Defender) -> str:
    return vault.open_sealed(unlocked, defender.name, label=_label("defender", "name"))


def open_defender_contacts(unlocked: Unlocked | None, defender: Defender) -> str:
    return _open(unlocked, "defender", "contacts", defender.contacts)


# --- Follow-ups ---------------------------------------------------------------------------

def seal_follow_up_note(desk: Desk, note: str) -> bytes:
    return _seal(desk, "followup", "note", note)


def open_follow_up_note(unlocked: Unlocked | None, follow_up: FollowUp) -> str:
    return vault.open_sealed(unlocked, follow_up.note, label=_label("followup", "note"))


# --- An anonymous reporter's conversation -------------------------------------------------

def seal_reporter_message(incident: Incident, text: str, reporter_public_key: bytes) -> bytes:
    """A message of her conversation: sealed to the desk and to the key her receipt gives."""
    return _seal(incident.desk, "message", "body", text, [reporter_public_key])


def open_reporter_message(unlocked: Unlocked | None, message: Message) -> str:
    """A message of her conversation, for a member of the desk."""
    return vault.open_sealed(unlocked, message.body, label=_label("message", "body"))


def open_reporter_message_with_receipt(private_key: bytes, message: Message) -> str:
    """A message of her conversation, for her: opened with the key her receipt derives."""
    return vault.open_with_private_key(private_key, message.body, label=_label("message", "body"))


def reseal_reporter_message(unlocked: Unlocked, message: Message, target: Desk, also_to: AlsoTo = ()) -> bytes:
    """A moved case's message: opened with the mover's key, sealed to `target` (and her)."""
    return _seal(target, "message", "body", open_reporter_message(unlocked, message), also_to)


# --- Attachments --------------------------------------------------------------------------

def seal_attachment_name(desk: Desk, filename: str, also_to: AlsoTo = ()) -> bytes:
    return _seal(desk, "attachment", "filename", filename, also_to)


def open_attachment_name(unlocked: Unlocked | None, attachment: Attachment) -> str:
    return vault.open_sealed(unlocked, attachment.filename, label=_label("attachment", "filename"))


def seal_attachment_file(desk: Desk, source: BinaryIO, target: BinaryIO, also_to: AlsoTo = ()) -> bytes:
    """Stream `source` sealed into `target` under a new file key; returns that key, sealed to
    the desk's ring (and `also_to`)."""
    assert desk.ring is not None  # noqa: S101 - every desk has a ring
    return vault.seal_attachment(desk.ring, source, target, label=_label("attachment", "file"), also_to=also_to)


def open_attachment_file(unlocked: Unlocked | None, attachment: Attachment, source: BinaryIO) -> Iterator[bytes]:
    """The file's chunks, read from `source` (its stored file), for a member of the desk."""
    return vault.open_attachment(unlocked, attachment.sealed_key, source, label=_label("attachment", "file"))


# --- The desk's name-index key (the blind index of defenders' names) ------------------------

def new_desk_name_index(desk: Desk, names: Sequence[str]) -> tuple[bytes, list[str]]:
    """A new index key for the desk (made and used inside the vault), sealed to its ring, and
    the index of each name under it."""
    seal: Callable[[bytes], bytes] = lambda key: network.seal_for_desk(desk, key, label=INDEX_KEY_LABEL)  # noqa: E731
    return desk_index.new_desk_index_key(seal, names)


def desk_name_indexes(unlocked: Unlocked, sealed_key: bytes | memoryview, names: Sequence[str]) -> list[str]:
    """The index of each name under the desk's key, opened inside the vault with hers."""
    return desk_index.desk_blind_index(unlocked, sealed_key, names, label=INDEX_KEY_LABEL)


# --- Import and export --------------------------------------------------------------------
# An import seals each row's incident parts and defenders' names with the functions above
# (public keys only: no member's key is needed); an export opens them with the exporter's.

class BatchSealer:
    """Seals the parts of a batch of imported rows to the desk's ring: the ring's newest epoch
    is read once, when the batch begins (not once per sealed value), so a batch of 1,000 rows
    costs one lookup. Make a new one for each batch: an epoch made meanwhile (a member left) is
    then used from the next batch on. Raises the vault's NoKeyHolder when nobody holds the
    desk's key yet. Public keys only: no member's key is needed."""

    def __init__(self, desk: Desk) -> None:
        assert desk.ring is not None  # noqa: S101 - every desk has a ring
        self.epochs = [current_epoch(desk.ring)]
        self._batch = vault.EpochBatch(self.epochs)  # one public-key seal per batch, not per value

    def _seal(self, model: str, name: str, text: str) -> bytes:
        return self._batch.seal(text, label=_label(model, name))

    def incident_parts(self, texts: dict[str, str]) -> dict[str, bytes | None]:
        """Each of INCIDENT_PARTS sealed from `texts` (a missing or blank one as nothing)."""
        return {name: self._seal("incident", name, text) if (text := texts.get(name, "")) else None
                for name in INCIDENT_PARTS}

    def defender_name(self, name: str) -> bytes:
        return self._seal("defender", "name", name)


def import_row_key(source_name: str, identifier: str) -> str:
    """The keyed index that recognises a row on re-import (service key; see vault.blind_index).
    Hashed first so that case and spaces in identifiers still count (blind_index folds them)."""
    inner = hashlib.sha256(f"{source_name}\x1f{identifier}".encode()).hexdigest()
    return vault.blind_index(inner, purpose=IMPORT_KEY_PURPOSE)


def import_row_digest(canonical: str) -> str:
    """The keyed digest of a row's canonical form: a re-import tells a changed row by it."""
    return vault.blind_index(hashlib.sha256(canonical.encode()).hexdigest(), purpose=IMPORT_DIGEST_PURPOSE)


# --- Her answers and her conversation (issue 16) --------------------------------------------

def seal_help_wanted(incident: Incident, text: str, also_to: Iterable[Any] = ()) -> bytes:
    """Her answer to "what help would you like?": sealed to the desk (and to her: her account, or
    the key her receipt gives)."""
    return network.seal_for_desk(incident.desk, text, label=_label("incident", "help_wanted"), also_to=list(also_to))


def open_help_wanted(unlocked: Unlocked | None, incident: Incident) -> str:
    """Her answer to "what help would you like?", for a member of the desk or for her ("" when
    she said nothing)."""
    if not incident.help_wanted:
        return ""
    return vault.open_sealed(unlocked, incident.help_wanted, label=_label("incident", "help_wanted"))


def reseal_help_wanted(unlocked: Unlocked | None, incident: Incident, target: Desk,
                       also_to: Iterable[Any] = ()) -> bytes | None:
    """Her answer, handed to another desk (None when she said nothing)."""
    if not incident.help_wanted:
        return None
    text = open_help_wanted(unlocked, incident)
    return network.seal_for_desk(target, text, label=_label("incident", "help_wanted"), also_to=list(also_to))


def seal_defender_message(incident: Incident, text: str, reporter: User) -> bytes:
    """A message between a defender with an account and her desk: sealed to the desk's ring and
    to her own key."""
    return network.seal_for_desk(incident.desk, text, label=_label("message", "body"), also_to=[reporter])


def open_message(unlocked: Unlocked | None, message: Message) -> str:
    """A message of her conversation, for a member of the desk or for her (with her key)."""
    return vault.open_sealed(unlocked, message.body, label=_label("message", "body"))


def open_help_wanted_with_receipt(private_key: bytes, incident: Incident) -> str:
    """Her answer on help, for her: opened with the key her receipt derives ("" when none)."""
    if not incident.help_wanted:
        return ""
    return vault.open_with_private_key(private_key, incident.help_wanted, label=_label("incident", "help_wanted"))
