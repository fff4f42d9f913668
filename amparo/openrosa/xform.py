"""The XForm a phone app downloads: the anonymous report's own questions (registry's
`AnonymousReportForm`: its labels, hints and choices, so the two never drift apart), in the
four languages as itext, written as an XLSForm and converted by `pyxform`.

One form for every desk, except for the countries offered: a national desk's own, or every
country for a coalition-wide desk. Nothing in it names the desk or the organisation: the form's
title is a plain word, so a phone's list of forms says little to whoever picks it up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pyxform import xls2xform  # type: ignore[import-untyped]  # pyxform ships no py.typed marker

from amparo.network import countries
from amparo.network.models import Desk
from amparo.registry.forms_intake import AnonymousReportForm

FORM_ID = "amparo-report"
# Bump with every change of the questions: ODK Collect and Tella offer the new form by it.
FORM_VERSION = "2026120602"
LANGUAGES = (("en", "English (en)"), ("es", "Español (es)"), ("fr", "Français (fr)"), ("pt", "Português (pt)"))
TEXTS = ("narrative", "when", "where", "perpetrator", "help_wanted")
CHOICES = ("targeted", "safe_now")
CONSENTS = ("consent_statistics", "consent_public_appeal", "consent_un")
# The web form's public-appeal consent promises to ask her first "through the messages here": a
# phone app has no such messages, so the form says what it can promise.
CONSENT_LABELS = {"consent_public_appeal": _("You may use it in a public call for action, without my name.")}
# Order of the questions, as on the web form.
QUESTIONS = ("country", "narrative", "when", "where", "targeted", "perpetrator", "safe_now", "help_wanted")
PHOTO = "photo"
# Files beyond the web form's one, since a phone has no second page to add more: by name, type
# and label.
MEDIA = (
    (PHOTO, "image", None),
    ("another_photo", "image", _("Another photo, if you have one")),
    ("document", "file", _("A document, if you have one")),
)
CONSENT = "consent"


@dataclass(frozen=True)
class XForm:
    xml: bytes
    md5: str

    @property
    def hash(self) -> str:
        return f"md5:{self.md5}"


def _field(name: str) -> forms.Field:
    return AnonymousReportForm.base_fields[name]


def _in_each_language(key: str, text: Any) -> dict[str, str]:
    found = {}
    for code, language in LANGUAGES:
        with translation.override(code):
            found[f"{key}::{language}"] = str(text)
    return found


def _country_codes(desk_countries: tuple[str, ...]) -> list[str]:
    known = countries.codes()
    return [c for c in desk_countries if c in known] or sorted(known)


def _choice_rows(list_name: str, options: list[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"list_name": list_name, "name": value, **_in_each_language("label", label)}
            for value, label in options if value]


def _country_rows(codes: list[str]) -> list[dict[str, str]]:
    rows = []
    for code in codes:
        labels = {}
        for lang, language in LANGUAGES:
            labels[f"label::{language}"] = countries.name(code, lang)
        rows.append({"list_name": "country", "name": code, **labels})
    return rows


def _question(name: str) -> dict[str, str]:
    field = _field(name)
    row = {"name": name, **_in_each_language("label", field.label)}
    if field.help_text:
        row.update(_in_each_language("hint", field.help_text))
    if name in CHOICES or name == "country":
        row["type"] = f"select_one {name}"
    else:
        row["type"] = "text"
        if isinstance(field.widget, forms.Textarea):
            row["appearance"] = "multiline"
    return row


def workbook(desk_countries: tuple[str, ...]) -> dict[str, list[dict[str, str]]]:
    """The XLSForm, as pyxform reads a workbook: survey, choices and settings sheets."""
    codes = _country_codes(desk_countries)
    survey = [_question(name) for name in QUESTIONS if not (name == "country" and len(codes) == 1)]
    for name, kind, label in MEDIA:
        row = {"type": kind, "name": name, **_in_each_language("label", label or _field("file").label)}
        if kind == "image":
            row["parameters"] = "max-pixels=2048"  # smaller to send; still enough to see
        survey.append(row)
    survey.append({"type": f"select_multiple {CONSENT}", "name": CONSENT,
                   **_in_each_language("label", _("What may the team do with it? (nothing, if you tick none)"))})
    choices = _country_rows(codes) if len(codes) > 1 else []
    for name in CHOICES:
        choices += _choice_rows(name, list(_field(name).choices))  # type: ignore[attr-defined]  # a ChoiceField
    choices += _choice_rows(CONSENT, [(name.removeprefix("consent_"), CONSENT_LABELS.get(name, _field(name).label))
                                      for name in CONSENTS])
    with translation.override("en"):
        title = gettext("Report")
    settings = [{"form_title": title, "form_id": FORM_ID, "version": FORM_VERSION,
                 "default_language": LANGUAGES[0][1]}]
    return {"survey": survey, "choices": choices, "settings": settings}


@cache
def _built(desk_countries: tuple[str, ...]) -> XForm:
    xml = xls2xform.convert(xlsform=workbook(desk_countries), validate=False).xform.encode()
    return XForm(xml, hashlib.md5(xml, usedforsecurity=False).hexdigest())


def for_desk(desk: Desk) -> XForm:
    """The XForm the desk's phones download, built once per set of countries."""
    return _built(tuple(sorted(desk.countries or ())) if not desk.coalition_wide else ())


def country_choices(desk: Desk) -> set[str]:
    return set(_country_codes(tuple(desk.countries or ()) if not desk.coalition_wide else ()))
