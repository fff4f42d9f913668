"""Communications to the UN special procedures: generated in the documenter's own request
(the elements come from ring-sealed data), kept as a sealed copy; sent and answered dates."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.registry.models import Incident

from .. import sealing, un_document
from ..actions import Action
from ..models import UnCommunication
from .common import Refused, desk_scope


def generate_communication(actor: User, incident: Incident, *, language: str,
                           elements: dict[str, str]) -> UnCommunication:
    """Render the communication as PDF and DOCX in `language` and keep both sealed. Refused
    without the incident's consent to the UN, or while a required element is missing."""
    if not incident.consent_un:
        raise Refused(_("This incident has no consent to share it with UN mechanisms: no communication can be "
                        "made from it."))
    if language not in UnCommunication.Language.values:
        raise Refused(_("The special procedures read English, French or Spanish."))
    missing = un_document.missing(elements)
    if missing:
        raise Refused(_("Missing: %(list)s.") % {"list": ", ".join(str(m) for m in missing)})
    pdf, docx = un_document.render_pdf(elements, language), un_document.render_docx(elements, language)
    with transaction.atomic():
        communication = UnCommunication.objects.create(
            incident=incident, desk=incident.desk, author=actor, language=language,
            **sealing.seal_communication(incident.desk, elements=elements, pdf=pdf, docx=docx))
        record_audit(actor, Action.UN_COMMUNICATION_GENERATED, communication, scope=desk_scope(incident.desk))
    return communication


def record_sent(actor: User, communication: UnCommunication, *, sent_on: date) -> UnCommunication:
    with transaction.atomic():
        communication.sent_on = sent_on
        communication.save(update_fields=["sent_on"])
        record_audit(actor, Action.UN_COMMUNICATION_SENT, communication, scope=desk_scope(communication.desk))
    return communication


def record_reply(actor: User, communication: UnCommunication, *, replied_on: date, text: str) -> UnCommunication:
    if communication.sent_on is None:
        raise Refused(_("Record when it was sent before recording a reply."))
    with transaction.atomic():
        communication.replied_on = replied_on
        communication.reply = sealing.seal_reply(communication.desk, text.strip())
        communication.save(update_fields=["replied_on", "reply"])
        record_audit(actor, Action.UN_COMMUNICATION_ANSWERED, communication, scope=desk_scope(communication.desk))
    return communication


def note_download(actor: User, communication: UnCommunication) -> None:
    record_audit(actor, Action.UN_COMMUNICATION_DOWNLOADED, communication, scope=desk_scope(communication.desk))
