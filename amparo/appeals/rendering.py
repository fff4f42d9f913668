"""The words of circulation: an appeal or update rendered once per language, and the raw
e-mail made from it for one supporter (her token put in by replacement, her Message-ID).

Templates: templates/appeals/messages/{appeal,update}.{subject,email,sms}.txt.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from email.header import Header
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from amparo.appeals.models import Appeal, AppealUpdate

TOKEN = "zz-supporter-token-zz"  # noqa: S105 - not a secret: stands for her link token until it is put in


@dataclass
class Prepared:
    """A message rendered once per appeal (or update) and language; her token goes in later."""

    language: str
    subject: str
    subject_header: str
    body: str
    sms: str
    unsubscribe: str



def public_url(appeal: Appeal) -> str:
    return settings.AMPARO_PUBLIC_URL + reverse("appeals:public", kwargs={"public_id": appeal.pk})


def links_of(appeal: Appeal) -> dict[str, str]:
    page = public_url(appeal)
    return {
        "public_url": page,
        "action_url": f"{page}#did-h",  # the public page's "Tell us what you did"
        "preferences_url": settings.AMPARO_PUBLIC_URL + reverse("appeals:preferences", kwargs={"token": TOKEN}),
        "unsubscribe_url": settings.AMPARO_PUBLIC_URL + reverse("appeals:unsubscribe", kwargs={"token": TOKEN}),
    }



def available_languages(appeal: Appeal, update: AppealUpdate | None = None) -> set[str]:
    texts = update.texts.all() if update is not None else appeal.texts.all()
    return {t.language for t in texts}


def prepare(appeal: Appeal, update: AppealUpdate | None, language: str, reader: str | None = None) -> Prepared:
    """Render the e-mail (subject and text) and the SMS with TOKEN where her link token goes:
    the appeal's words in `language` (else the original), the message's own words in the
    reader's language; when the two differ the message says the translation is missing."""
    reader = reader or language
    with translation.override(reader):
        text = appeal.text(language)
        update_text = update.text(language) if update is not None else None
        words = update_text or text
        shown = words.language if words is not None else appeal.language
        links = links_of(appeal)
        context = {"appeal": appeal, "text": text, "update": update, "update_text": update_text,
                   "addressees": list(appeal.addressees.all()), "language": shown,
                   "fallback": shown != reader, **links}
        kind = "update" if update is not None else "appeal"
        subject = " ".join(render_to_string(f"appeals/messages/{kind}.subject.txt", context).split())
        body = str(render_to_string(f"appeals/messages/{kind}.email.txt", context))
        short = render_to_string(f"appeals/messages/{kind}.sms.txt", context)
    lines = [line.rstrip() for line in body.strip().splitlines()]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join("-- " if line == "--" else line for line in lines)) + "\n"
    return Prepared(language=shown, subject=subject, subject_header=Header(subject, "utf-8", maxlinelen=76).encode(),
                    body=body, sms=" ".join(short.split()), unsubscribe=links["unsubscribe_url"])


def message_id(delivery_uuid: Any) -> str:
    return f"<{delivery_uuid.hex if hasattr(delivery_uuid, 'hex') else delivery_uuid}@{settings.AMPARO_MAIL_DOMAIN}>"


def raw_email(prepared: Prepared, *, sender: str, to: str, msgid: str, date: str, token: str) -> bytes:
    """The whole message as the server receives it: UTF-8 text, base64 (no line can be too
    long, whatever the text), one List-Unsubscribe link (hers)."""
    unsubscribe = prepared.unsubscribe.replace(TOKEN, token)
    head = (f"From: {sender}\r\nTo: {to}\r\nSubject: {prepared.subject_header}\r\nDate: {date}\r\n"
            f"Message-ID: {msgid}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Transfer-Encoding: base64\r\nContent-Language: {prepared.language}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>\r\nAuto-Submitted: auto-generated\r\n\r\n")
    body = base64.encodebytes(prepared.body.replace(TOKEN, token).encode()).replace(b"\n", b"\r\n")
    return head.encode() + body
