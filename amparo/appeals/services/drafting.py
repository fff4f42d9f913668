"""Writing an appeal: the draft, its edits, translations and addressees, and sending it for
review. Everyone who writes any of it joins its `writers` (the four-eyes rule reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.appeals import sealing
from amparo.appeals.actions import Action
from amparo.appeals.models import LANGUAGE_CODES, Addressee, Appeal, AppealText
from amparo.core.services import record_audit
from amparo.network import permissions
from amparo.network.models import Desk
from amparo.registry.models import Incident
from amparo.vocabulary.models import Term

from .rules import AppealRefused, before_publication, must_document, scope

TEXT_FIELDS = sealing.TEXT_FIELDS


@dataclass
class AppealData:
    """The original-language words and coarse facts of an appeal, as a form gives them."""

    language: str = "en"
    country: str = ""
    themes: list[Term] = field(default_factory=list)
    title: str = ""
    summary: str = ""
    background: str = ""
    concerns: str = ""
    actions: str = ""
    letter: str = ""

    def text_values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}


def linkable_incidents(desk: Desk) -> list[Incident]:
    """The desk's incidents an appeal may be drafted from: those whose consent includes a
    public appeal (and was not withdrawn), duplicates aside."""
    return list(Incident.objects.counted().filter(desk=desk, consent_public_appeal=True).order_by("-created_at")[:200])


def _check_incident(desk: Desk, incident: Incident | None) -> None:
    if incident is None:
        return
    if incident.desk_id != desk.pk:
        raise AppealRefused(_("This incident belongs to another desk."))
    if not incident.consent_public_appeal:
        raise AppealRefused(_("This incident cannot be the subject of a public appeal: the defender has not "
                              "consented to it."))


def _must_be_editable(appeal: Appeal) -> None:
    if not appeal.editable:
        raise AppealRefused(_("An approved or stopped appeal cannot be changed; add an update instead."))


def _wrote(user: User, appeal: Appeal, action: Action) -> None:
    """She wrote part of it: kept on the appeal, and in the audit chain."""
    appeal.writers.add(user)
    record_audit(user, action, appeal, scope=scope(appeal))


def draft_appeal(user: User, desk: Desk, data: AppealData, *, incident: Incident | None = None,
                 submission_key: str | None = None) -> Appeal:
    """A new draft in the desk, by one of its documenters. Linked to an incident only when
    its consent includes a public appeal; only the incident's country is taken from it —
    nothing sealed flows in: what the public reads, a documenter writes. A repeated
    `submission_key` returns the first draft."""
    if not permissions.is_documenter_of(user, desk):
        raise AppealRefused(_("Only the desk's documenters can draft its appeals."))
    _check_incident(desk, incident)
    if submission_key and (found := Appeal.objects.filter(submission_key=submission_key).first()):
        return found
    country = data.country or (incident.country[:2] if incident is not None else "")
    with transaction.atomic():
        appeal = Appeal.objects.create(desk=desk, network=desk.network, incident=incident, language=data.language,
                                       country=country, author=user, submission_key=submission_key or None)
        appeal.themes.set(data.themes)
        AppealText.objects.create(appeal=appeal, language=data.language,
                                  **sealing.appeal_text_columns(desk, data.text_values(), draft=True))
        _wrote(user, appeal, Action.APPEAL_DRAFTED)
    return appeal


def edit_appeal(user: User, appeal: Appeal, data: AppealData, *, incident: Incident | None = None) -> Appeal:
    """Change a draft (or one in review, which returns it to draft)."""
    must_document(user, appeal)
    _must_be_editable(appeal)
    _check_incident(appeal.desk, incident)
    with transaction.atomic():
        appeal.incident = incident
        appeal.country = data.country or appeal.country
        if data.language != appeal.language:
            AppealText.objects.filter(appeal=appeal, language=data.language).delete()
            AppealText.objects.filter(appeal=appeal, language=appeal.language).update(language=data.language)
            appeal.language = data.language
        appeal.status = Appeal.Status.DRAFT
        appeal.save()
        appeal.themes.set(data.themes)
        AppealText.objects.update_or_create(appeal=appeal, language=appeal.language, defaults=(
            sealing.appeal_text_columns(appeal.desk, data.text_values(), draft=True)))
        _wrote(user, appeal, Action.APPEAL_EDITED)
    return appeal


def translate_appeal(user: User, appeal: Appeal, language: str, values: dict[str, str]) -> AppealText:
    """Write or correct the appeal in another language. Allowed after approval too: a
    translation arriving later reaches readers in that language from then on."""
    must_document(user, appeal)
    if language not in LANGUAGE_CODES or language == appeal.language:
        raise AppealRefused(_("Choose one of the other languages."))
    if appeal.stopped_at is not None or appeal.status == Appeal.Status.CLOSED:
        raise AppealRefused(_("This appeal is stopped or closed."))
    with transaction.atomic():
        text, _created = AppealText.objects.update_or_create(appeal=appeal, language=language, defaults=(
            sealing.appeal_text_columns(appeal.desk, values, draft=before_publication(appeal))))
        _wrote(user, appeal, Action.APPEAL_TRANSLATED)
    return text


def add_addressee(user: User, appeal: Appeal, **values: str) -> Addressee:
    must_document(user, appeal)
    _must_be_editable(appeal)
    with transaction.atomic():
        position = appeal.addressees.count()
        addressee = Addressee.objects.create(appeal=appeal, position=position,
                                             **sealing.addressee_columns(appeal.desk, values))
        _wrote(user, appeal, Action.ADDRESSEE_ADDED)
    return addressee


def remove_addressee(user: User, addressee: Addressee) -> None:
    appeal = addressee.appeal
    must_document(user, appeal)
    _must_be_editable(appeal)
    with transaction.atomic():
        addressee.delete()
        _wrote(user, appeal, Action.ADDRESSEE_REMOVED)


def submit_for_review(user: User, appeal: Appeal) -> Appeal:
    """Ask the network's coordinators to review the draft."""
    must_document(user, appeal)
    if appeal.status != Appeal.Status.DRAFT or appeal.stopped_at is not None:
        raise AppealRefused(_("Only a draft can be sent for review."))
    with transaction.atomic():
        appeal.status = Appeal.Status.REVIEW
        appeal.save(update_fields=["status", "updated_at"])
        record_audit(user, Action.APPEAL_SUBMITTED, appeal, scope=scope(appeal))
    return appeal
