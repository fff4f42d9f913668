"""Invitations by e-mail: one link each (a keyed hash of the address says who was invited
already, without the address), one answer each. The address is used to send and dropped."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.core.services import record_audit
from amparo.core.tokens import hash_token
from amparo.network.services import scope_of
from amparo.vault import services as vault

from ..actions import Action
from ..models import Invitation, Survey


def _index(email: str) -> str:
    return vault.blind_index(email, purpose="survey-invitation")


def send_invitations(actor: Any, survey: Survey, emails: list[str], *, base_url: str) -> tuple[int, int]:
    """E-mail a link to each address not invited to this survey before; (sent, skipped)."""
    sent = skipped = 0
    for email in dict.fromkeys(e.strip() for e in emails if e.strip()):
        raw = secrets.token_urlsafe(24)
        try:
            with transaction.atomic():
                Invitation.objects.create(survey=survey, token_hash=hash_token(raw), recipient_index=_index(email),
                                          sent_on=timezone.localdate())
        except IntegrityError:
            skipped += 1
            continue
        with translation.override(survey.default_language):
            send_mail(_("A survey: %(title)s") % {"title": survey.name()},
                      _("You are invited to answer “%(title)s”. Your answers are anonymous: this link works once "
                        "and is not kept with your answers.\n\n%(link)s\n")
                      % {"title": survey.name(), "link": f"{base_url}/surveys/i/{survey.slug}/{raw}/"},
                      None, [email])
        sent += 1
    if sent:
        record_audit(actor, Action.SURVEY_INVITATIONS_SENT, survey, scope=scope_of(survey.network))
    return sent, skipped
