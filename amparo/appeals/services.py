"""Every write to appeals, their updates, responses and actions. Each write is audited in its
transaction, scoped to the appeal's network. Supporters' writes live in `subscriptions.py`.

Who may do what is checked here too, not only in the views, because the API and commands call
the same functions: documenters of the appeal's desk draft, edit, translate, add updates,
responses and the outcome; coordinators of its network approve (never what they wrote
themselves: four eyes) and stop."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.core.models import AuditEntry
from amparo.core.services import record_audit
from amparo.network import permissions
from amparo.network import services as network
from amparo.network.models import Desk, Network
from amparo.registry.models import Incident
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vault.services import Unlocked
from amparo.vocabulary.models import Term

from . import sealing
from .models import (
    LANGUAGE_CODES,
    Action,
    Addressee,
    Appeal,
    AppealText,
    AppealUpdate,
    ReferenceCounter,
    Response,
    UpdateText,
)

TEXT_FIELDS = sealing.TEXT_FIELDS
WRITING_ACTIONS = ("appeal.drafted", "appeal.edited", "appeal.translated", "appeal.addressee_added",
                   "appeal.addressee_removed")


class AppealRefused(Exception):
    """The step is not allowed: the message says why, in words for the person who tried."""


def _scope(appeal_or_network: Appeal | Network) -> str:
    target = appeal_or_network.network if isinstance(appeal_or_network, Appeal) else appeal_or_network
    return network.scope_of(target)


def _must_document(user: User, appeal: Appeal) -> None:
    if not permissions.is_documenter_of(user, appeal.desk):
        raise AppealRefused(_("Only the desk's documenters can do this."))


def _must_coordinate(user: User, appeal: Appeal) -> None:
    if not permissions.is_coordinator_of(user, appeal.network):
        raise AppealRefused(_("Only the network's coordinators can do this."))


def _before_publication(appeal: Appeal) -> bool:
    """Its words are sealed until a coordinator approves it (sealing.py)."""
    return appeal.status in (Appeal.Status.DRAFT, Appeal.Status.REVIEW)


def _publish(unlocked: Unlocked | None, rows: list[Any]) -> None:
    """Open the sealed words with the approver's key and keep them in clear from now on."""
    try:
        for row in rows:
            sealing.publish(unlocked, row)
    except (KeyLocked, NotAReader, Tampered) as exc:
        raise AppealRefused(_("The draft is sealed and did not open with your key: sign out and in again, or "
                              "ask another coordinator to approve it.")) from exc


# --- Reference numbers ----------------------------------------------------------------------

def next_reference(network_: Network, year: int) -> str:
    """The next UA-YYYY-NNN of the network for `year`. The counter row is made once, then
    moved by an UPDATE that locks it until the caller's transaction ends, so two approvals at
    the same moment (on any number of processes) never get the same number."""
    with transaction.atomic():
        if not ReferenceCounter.objects.filter(network=network_, year=year).exists():
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(network=network_, year=year)
            except IntegrityError:  # another process made it first: use theirs
                pass
        ReferenceCounter.objects.filter(network=network_, year=year).update(last=F("last") + 1)
        last = ReferenceCounter.objects.get(network=network_, year=year).last
    return f"UA-{year}-{last:03d}"


# --- Drafting -------------------------------------------------------------------------------

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
                                  **sealing.columns(desk, AppealText, data.text_values(), sealed=True))
        record_audit(user, "appeal.drafted", appeal, scope=_scope(appeal))
    return appeal


def edit_appeal(user: User, appeal: Appeal, data: AppealData, *, incident: Incident | None = None) -> Appeal:
    """Change a draft (or one in review, which returns it to draft)."""
    _must_document(user, appeal)
    if not appeal.editable:
        raise AppealRefused(_("An approved or stopped appeal cannot be changed; add an update instead."))
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
        AppealText.objects.update_or_create(appeal=appeal, language=appeal.language, defaults=sealing.columns(
            appeal.desk, AppealText, data.text_values(), sealed=True))
        record_audit(user, "appeal.edited", appeal, scope=_scope(appeal))
    return appeal


def translate_appeal(user: User, appeal: Appeal, language: str, values: dict[str, str]) -> AppealText:
    """Write or correct the appeal in another language. Allowed after approval too: a
    translation arriving later reaches readers in that language from then on."""
    _must_document(user, appeal)
    if language not in LANGUAGE_CODES or language == appeal.language:
        raise AppealRefused(_("Choose one of the other languages."))
    if appeal.stopped_at is not None or appeal.status == Appeal.Status.CLOSED:
        raise AppealRefused(_("This appeal is stopped or closed."))
    with transaction.atomic():
        text, _created = AppealText.objects.update_or_create(appeal=appeal, language=language, defaults=sealing.columns(
            appeal.desk, AppealText, values, sealed=_before_publication(appeal)))
        record_audit(user, "appeal.translated", appeal, scope=_scope(appeal))
    return text


def add_addressee(user: User, appeal: Appeal, **values: str) -> Addressee:
    _must_document(user, appeal)
    if not appeal.editable:
        raise AppealRefused(_("An approved or stopped appeal cannot be changed; add an update instead."))
    with transaction.atomic():
        position = appeal.addressees.count()
        addressee = Addressee.objects.create(appeal=appeal, position=position,
                                             **sealing.columns(appeal.desk, Addressee, values, sealed=True))
        record_audit(user, "appeal.addressee_added", appeal, scope=_scope(appeal))
    return addressee


def remove_addressee(user: User, addressee: Addressee) -> None:
    appeal = addressee.appeal
    _must_document(user, appeal)
    if not appeal.editable:
        raise AppealRefused(_("An approved or stopped appeal cannot be changed; add an update instead."))
    with transaction.atomic():
        addressee.delete()
        record_audit(user, "appeal.addressee_removed", appeal, scope=_scope(appeal))


def submit_for_review(user: User, appeal: Appeal) -> Appeal:
    """Ask the network's coordinators to review the draft."""
    _must_document(user, appeal)
    if appeal.status != Appeal.Status.DRAFT or appeal.stopped_at is not None:
        raise AppealRefused(_("Only a draft can be sent for review."))
    with transaction.atomic():
        appeal.status = Appeal.Status.REVIEW
        appeal.save(update_fields=["status", "updated_at"])
        record_audit(user, "appeal.submitted", appeal, scope=_scope(appeal))
    return appeal


# --- Review ---------------------------------------------------------------------------------

def wrote_part_of(user: User, appeal: Appeal) -> bool:
    """Whether `user` drafted, edited or translated any of the appeal (the audit log says)."""
    if appeal.author_id == user.pk:
        return True
    return AuditEntry.objects.filter(object_type="appeals.appeal", object_id=str(appeal.pk), actor_id=user.pk,
                                     action__in=WRITING_ACTIONS).exists()


def approve_appeal(user: User, appeal: Appeal, *, unlocked: Unlocked | None) -> Appeal:
    """Publish the appeal: a coordinator of its network who wrote no part of it (four eyes)
    approves it; its words and addressees are opened with her key and kept in clear from now
    on; it gets its reference number and its public page, and circulation may start."""
    _must_coordinate(user, appeal)
    if wrote_part_of(user, appeal):
        raise AppealRefused(_("Someone who wrote part of an appeal cannot approve it: another coordinator must."))
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != Appeal.Status.REVIEW or locked.stopped_at is not None:
            raise AppealRefused(_("Only an appeal in review can be approved."))
        if not locked.addressees.exists() or locked.text() is None:
            raise AppealRefused(_("An appeal needs its text and at least one addressee."))
        _publish(unlocked, [*locked.texts.all(), *locked.addressees.all()])
        now = timezone.now()
        locked.reference = next_reference(locked.network, now.year)
        locked.status, locked.approved_by, locked.approved_at = Appeal.Status.APPROVED, user, now
        locked.save(update_fields=["reference", "status", "approved_by", "approved_at", "updated_at"])
        record_audit(user, "appeal.approved", locked, scope=_scope(locked))
        from amparo.appeals import circulation  # its deliveries, in this transaction; senders after commit
        circulation.enqueue_appeal(locked)
    return locked


def return_to_draft(user: User, appeal: Appeal) -> Appeal:
    """A coordinator sends an appeal in review back to its desk."""
    _must_coordinate(user, appeal)
    if appeal.status != Appeal.Status.REVIEW:
        raise AppealRefused(_("Only an appeal in review can be sent back."))
    with transaction.atomic():
        appeal.status = Appeal.Status.DRAFT
        appeal.save(update_fields=["status", "updated_at"])
        record_audit(user, "appeal.returned", appeal, scope=_scope(appeal))
    return appeal


def stop_appeal(user: User, appeal: Appeal) -> Appeal:
    """Stop it at any point, while it circulates too: the public page and the feed drop it at
    once, and circulation sends nothing more of it or its updates."""
    _must_coordinate(user, appeal)
    with transaction.atomic():
        changed = Appeal.objects.filter(pk=appeal.pk, stopped_at__isnull=True).update(
            stopped_at=timezone.now(), stopped_by=user, updated_at=timezone.now())
        if changed:
            record_audit(user, "appeal.stopped", appeal, scope=_scope(appeal))
        from amparo.appeals import circulation  # nothing unsent goes out any more
        circulation.stop_appeal(appeal)
    appeal.refresh_from_db()
    return appeal


def mark_circulated(appeal: Appeal | AppealUpdate) -> None:
    """For circulation: the first message of an appeal or update has gone out."""
    model = type(appeal)
    with transaction.atomic():
        changed = model.objects.filter(pk=appeal.pk, circulated_at__isnull=True).update(circulated_at=timezone.now())
        if isinstance(appeal, Appeal):
            Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.APPROVED).update(
                status=Appeal.Status.CIRCULATED)
            target = appeal
        else:
            AppealUpdate.objects.filter(pk=appeal.pk).update(status=AppealUpdate.Status.CIRCULATED)
            target = appeal.appeal
        if changed:
            record_audit("system", f"{model._meta.model_name}.circulated", appeal, scope=_scope(target))


# --- Updates, responses, outcome ------------------------------------------------------------

def add_update(user: User, appeal: Appeal, *, title: str, body: str, language: str | None = None) -> AppealUpdate:
    """Further information on a published appeal, written by a documenter; it waits for a
    coordinator's approval like the appeal did."""
    _must_document(user, appeal)
    if not appeal.published or appeal.status == Appeal.Status.CLOSED:
        raise AppealRefused(_("Updates are for published appeals that are not closed."))
    with transaction.atomic():
        number = (AppealUpdate.objects.filter(appeal=appeal).order_by("-number").values_list(
            "number", flat=True).first() or 0) + 1
        update = AppealUpdate.objects.create(appeal=appeal, number=number, author=user)
        UpdateText.objects.create(update=update, language=language or appeal.language, **sealing.columns(
            appeal.desk, UpdateText, {"title": title, "body": body}, sealed=True))
        record_audit(user, "appeal_update.drafted", update, scope=_scope(appeal))
    return update


def translate_update(user: User, update: AppealUpdate, language: str, *, title: str, body: str) -> UpdateText:
    _must_document(user, update.appeal)
    if language not in LANGUAGE_CODES:
        raise AppealRefused(_("Choose one of the other languages."))
    with transaction.atomic():
        text, _created = UpdateText.objects.update_or_create(update=update, language=language, defaults=sealing.columns(
            update.appeal.desk, UpdateText, {"title": title, "body": body},
            sealed=update.status == AppealUpdate.Status.DRAFT))
        record_audit(user, "appeal_update.translated", update, scope=_scope(update.appeal))
    return text


def approve_update(user: User, update: AppealUpdate, *, unlocked: Unlocked | None) -> AppealUpdate:
    """Publish an update (four eyes, as for the appeal), its words opened with the approver's
    key and kept in clear from now on; the appeal is then "updated"."""
    appeal = update.appeal
    _must_coordinate(user, appeal)
    wrote = update.author_id == user.pk or AuditEntry.objects.filter(
        object_type="appeals.appealupdate", object_id=str(update.pk), actor_id=user.pk).exists()
    if wrote:
        raise AppealRefused(_("Someone who wrote an update cannot approve it: another coordinator must."))
    if update.status != AppealUpdate.Status.DRAFT or update.stopped_at is not None or not appeal.published:
        raise AppealRefused(_("Only a draft update of a published appeal can be approved."))
    with transaction.atomic():
        _publish(unlocked, list(update.texts.all()))
        update.status, update.approved_by, update.approved_at = AppealUpdate.Status.APPROVED, user, timezone.now()
        update.save(update_fields=["status", "approved_by", "approved_at"])
        if appeal.status in (Appeal.Status.APPROVED, Appeal.Status.CIRCULATED):
            Appeal.objects.filter(pk=appeal.pk).update(status=Appeal.Status.UPDATED, updated_at=timezone.now())
        record_audit(user, "appeal_update.approved", update, scope=_scope(appeal))
        from amparo.appeals import circulation  # to those who received the appeal
        circulation.enqueue_update(update)
    return update


def stop_update(user: User, update: AppealUpdate) -> AppealUpdate:
    """Withdraw an update at any point: off the public page and the feed, nothing more sent."""
    _must_coordinate(user, update.appeal)
    with transaction.atomic():
        if AppealUpdate.objects.filter(pk=update.pk, stopped_at__isnull=True).update(stopped_at=timezone.now()):
            record_audit(user, "appeal_update.stopped", update, scope=_scope(update.appeal))
        from amparo.appeals import circulation
        circulation.stop_update(update)
    update.refresh_from_db()
    return update


def log_response(user: User, appeal: Appeal, *, kind: str, received_on: date, note: str,
                 source: str = "") -> Response:
    """A reply from an authority, or a note on how things turned out."""
    _must_document(user, appeal)
    with transaction.atomic():
        response = Response.objects.create(appeal=appeal, kind=kind, received_on=received_on, author=user,
                                           **sealing.seal_response(appeal.desk, source=source, note=note))
        record_audit(user, "appeal.response_logged", appeal, scope=_scope(appeal))
    return response


def close_appeal(user: User, appeal: Appeal, *, outcome: Term, outcome_on: date) -> Appeal:
    """Close a published appeal with its outcome, coded from the vocabulary, and its date."""
    _must_document(user, appeal)
    if outcome.kind != Term.Kind.OUTCOME:
        raise AppealRefused(_("Choose an outcome."))
    if not appeal.published or appeal.status == Appeal.Status.CLOSED:
        raise AppealRefused(_("Only a published appeal that is still open can be closed."))
    with transaction.atomic():
        appeal.status, appeal.outcome, appeal.outcome_on = Appeal.Status.CLOSED, outcome, outcome_on
        appeal.closed_at = timezone.now()
        appeal.save(update_fields=["status", "outcome", "outcome_on", "closed_at", "updated_at"])
        record_audit(user, "appeal.closed", appeal, scope=_scope(appeal))
    return appeal


# --- Actions --------------------------------------------------------------------------------

def record_action(appeal: Appeal, *, kind: str, country: str, submission_key: str) -> Action | None:
    """Count what a visitor did. Stores the kind, her country and the day; nothing about who
    she is. The form's one-time key makes a double submit count once. None when the appeal
    is not public (any more)."""
    if not appeal.published or kind not in Action.Kind.values:
        return None
    try:
        with transaction.atomic():
            return Action.objects.create(appeal=appeal, kind=kind, country=country[:2].upper(),
                                         day=timezone.localdate(), submission_key=submission_key[:64])
    except IntegrityError:  # the same form sent twice
        return Action.objects.filter(submission_key=submission_key[:64]).first()
