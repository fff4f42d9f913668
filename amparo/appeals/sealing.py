"""What of an appeal is sealed, and how it is opened, named by intent (the keys stay in vault).

Before publication an appeal's words (every language), its addressees and a draft update's
words are sealed to the desk's ring and to its network's coordinators (`network.services.
seal_for_desk_and_coordinators`): the desk writes them, the coordinator who approves reads
them. Each row keeps its texts as one JSON object in its `sealed` column while its clear
columns stay empty. Publication opens them in the approving coordinator's own request and
copies them into the clear columns (`services.approval.publish`): a published appeal is public by nature, and
circulation, feeds and the API read only the clear columns.

A supporter's e-mail, phone, name and link token are sealed with the service key (machines
send to her without a member) and found by a blind index. Callers name what they seal or open
(`seal_supporter_contact`, `open_supporter_email`, `appeal_text_columns`, …): the labels, rings
and keys are chosen here and kept by the vault.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from django.db import models

from amparo.network import services as network
from amparo.network.models import Desk
from amparo.vault import services as vault
from amparo.vault.services import Unlocked

from .models import Addressee, AppealText, Response, Supporter, UpdateText

TEXT_FIELDS = ("title", "summary", "background", "concerns", "actions", "letter")
ADDRESSEE_FIELDS = ("authority", "postal_address", "email", "phone", "salutation")
UPDATE_FIELDS = ("title", "body")

WORDS: dict[type[models.Model], tuple[str, ...]] = {
    AppealText: TEXT_FIELDS, Addressee: ADDRESSEE_FIELDS, UpdateText: UPDATE_FIELDS}

Row = TypeVar("Row", AppealText, Addressee, UpdateText)


def label(model: type[models.Model]) -> str:
    """The associated-data label, e.g. "appeals.appealtext.sealed"."""

    return f"appeals.{model._meta.model_name}.sealed"


def _columns(desk: Desk, model: type[models.Model], values: dict[str, Any], *, sealed: bool) -> dict[str, Any]:
    """The column values to store for `values`: sealed (clear columns empty) before
    publication, clear after."""
    names = WORDS[model]
    words = {name: str(values.get(name) or "") for name in names}
    if not sealed:
        return {**words, "sealed": None}
    blob = json.dumps(words, ensure_ascii=False)
    return {**dict.fromkeys(names, ""), "sealed": network.seal_for_desk_and_coordinators(desk, blob,
                                                                                          label=label(model))}


def open_words(unlocked: Unlocked | None, row: AppealText | Addressee | UpdateText) -> dict[str, str]:
    """The row's words as text: opened with her key while sealed (raises the vault's KeyLocked,
    NotAReader or Tampered), the clear columns once published."""
    names = WORDS[type(row)]
    if row.sealed is None:
        return {name: getattr(row, name) for name in names}
    opened = json.loads(vault.open_sealed(unlocked, row.sealed, label=label(type(row))))
    return {name: str(opened.get(name, "")) for name in names}


def open_draft(unlocked: Unlocked | None, row: Row) -> Row:
    """A copy of the row with its words opened, for a page to show. The copy refuses to be
    saved (models.OpenedCopy), so opened words can never be written over the sealed ones."""
    if row.sealed is None:
        return row
    copy = type(row)(**{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})
    for name, value in open_words(unlocked, row).items():
        setattr(copy, name, value)
    copy.sealed, copy.opened_copy = None, True
    return copy


def seal_response(desk: Desk, *, source: str, note: str) -> dict[str, bytes | None]:
    """A response's columns: never published, so always sealed (a blank source as nothing)."""
    return {name: network.seal_for_desk_and_coordinators(desk, text, label=f"appeals.response.{name}")
            if text else None for name, text in (("source", source), ("note", note))}


def open_response(unlocked: Unlocked | None, response: Response) -> dict[str, str]:
    """Its source and note as text, for the desk and the coordinators."""
    return {name: vault.open_sealed(unlocked, getattr(response, name), label=f"appeals.response.{name}")
            if getattr(response, name) else "" for name in ("source", "note")}


# --- An appeal's words, by intent -----------------------------------------------------------

def appeal_text_columns(desk: Desk, values: dict[str, Any], *, draft: bool) -> dict[str, Any]:
    """An appeal's words in one language, to store: sealed while it is a draft (or in review)."""
    return _columns(desk, AppealText, values, sealed=draft)


def addressee_columns(desk: Desk, values: dict[str, Any]) -> dict[str, Any]:
    """An addressee, to store: only drafts get new ones, so always sealed."""
    return _columns(desk, Addressee, values, sealed=True)


def update_text_columns(desk: Desk, values: dict[str, Any], *, draft: bool) -> dict[str, Any]:
    """An update's words in one language, to store: sealed while the update is a draft."""
    return _columns(desk, UpdateText, values, sealed=draft)


# --- Supporters' contacts (the service key) -------------------------------------------------

EMAIL_PURPOSE = "supporter-email"
PHONE_PURPOSE = "supporter-phone"
CONTACT = ("email", "phone", "name", "token")


def _supporter_label(name: str) -> str:
    return f"appeals.supporter.{name}"


def seal_supporter_contact(name: str, value: str) -> bytes:
    """One of her contact columns (`email`, `phone`, `name` or her link `token`), sealed."""
    if name not in CONTACT:
        raise ValueError(name)
    return vault.seal_with_service_key(value, label=_supporter_label(name))


def open_supporter_contact(name: str, sealed: Any) -> str:
    """One of her sealed contact columns as text ("" when there is none)."""
    if name not in CONTACT:
        raise ValueError(name)
    return vault.open_with_service_key(sealed, label=_supporter_label(name)) if sealed else ""


def open_supporter_email(supporter: Supporter) -> str:
    return open_supporter_contact("email", supporter.email)


def open_supporter_phone(supporter: Supporter) -> str:
    return open_supporter_contact("phone", supporter.phone)


def open_supporter_name(supporter: Supporter) -> str:
    return open_supporter_contact("name", supporter.name)


def open_supporter_token(supporter: Supporter) -> str:
    """Her preferences link's token, for writing it into a message."""
    return vault.open_with_service_key(supporter.token, label=_supporter_label("token"))


def supporter_email_index(email: str) -> str:
    return vault.blind_index(email, purpose=EMAIL_PURPOSE)


def supporter_phone_index(phone: str) -> str:
    return vault.blind_index(phone, purpose=PHONE_PURPOSE)
