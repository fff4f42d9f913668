"""Updates of a published appeal: written by a documenter (who joins its writers), approved by
another coordinator (four eyes, as for the appeal), circulated to those who received the
appeal, or withdrawn."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.appeals import sealing
from amparo.appeals.actions import Action
from amparo.appeals.models import LANGUAGE_CODES, Appeal, AppealUpdate, UpdateText
from amparo.core.services import record_audit
from amparo.vault.services import Unlocked

from . import circulation_queue
from .approval import publish
from .rules import AppealRefused, must_coordinate, must_document, scope


def add_update(user: User, appeal: Appeal, *, title: str, body: str, language: str | None = None) -> AppealUpdate:
    """Further information on a published appeal, written by a documenter; it waits for a
    coordinator's approval like the appeal did."""
    must_document(user, appeal)
    if not appeal.published or appeal.status == Appeal.Status.CLOSED:
        raise AppealRefused(_("Updates are for published appeals that are not closed."))
    with transaction.atomic():
        number = (AppealUpdate.objects.filter(appeal=appeal).order_by("-number").values_list(
            "number", flat=True).first() or 0) + 1
        update = AppealUpdate.objects.create(appeal=appeal, number=number, author=user)
        UpdateText.objects.create(update=update, language=language or appeal.language, **sealing.update_text_columns(
            appeal.desk, {"title": title, "body": body}, draft=True))
        update.writers.add(user)
        record_audit(user, Action.UPDATE_DRAFTED, update, scope=scope(appeal))
    return update


def translate_update(user: User, update: AppealUpdate, language: str, *, title: str, body: str) -> UpdateText:
    must_document(user, update.appeal)
    if language not in LANGUAGE_CODES:
        raise AppealRefused(_("Choose one of the other languages."))
    with transaction.atomic():
        text, _created = UpdateText.objects.update_or_create(update=update, language=language, defaults=(
            sealing.update_text_columns(update.appeal.desk, {"title": title, "body": body},
                                        draft=update.status == AppealUpdate.Status.DRAFT)))
        update.writers.add(user)
        record_audit(user, Action.UPDATE_TRANSLATED, update, scope=scope(update.appeal))
    return text


def wrote_part_of_update(user: User, update: AppealUpdate) -> bool:
    return update.author_id == user.pk or update.writers.filter(pk=user.pk).exists()


def approve_update(user: User, update: AppealUpdate, *, unlocked: Unlocked | None) -> AppealUpdate:
    """Publish an update (four eyes, as for the appeal), its words opened with the approver's
    key and kept in clear from now on; the appeal is then "updated"."""
    appeal = update.appeal
    must_coordinate(user, appeal)
    if wrote_part_of_update(user, update):
        raise AppealRefused(_("Someone who wrote an update cannot approve it: another coordinator must."))
    if update.status != AppealUpdate.Status.DRAFT or update.stopped_at is not None or not appeal.published:
        raise AppealRefused(_("Only a draft update of a published appeal can be approved."))
    with transaction.atomic():
        publish(unlocked, list(update.texts.all()))
        update.status, update.approved_by, update.approved_at = AppealUpdate.Status.APPROVED, user, timezone.now()
        update.save(update_fields=["status", "approved_by", "approved_at"])
        if appeal.status in (Appeal.Status.APPROVED, Appeal.Status.CIRCULATED):
            Appeal.objects.filter(pk=appeal.pk).update(status=Appeal.Status.UPDATED, updated_at=timezone.now())
        record_audit(user, Action.UPDATE_APPROVED, update, scope=scope(appeal))
        circulation_queue.enqueue_update(update)  # to those who received the appeal
    return update


def stop_update(user: User, update: AppealUpdate) -> AppealUpdate:
    """Withdraw an update at any point: off the public page and the feed, nothing more sent."""
    must_coordinate(user, update.appeal)
    with transaction.atomic():
        if AppealUpdate.objects.filter(pk=update.pk, stopped_at__isnull=True).update(stopped_at=timezone.now()):
            record_audit(user, Action.UPDATE_STOPPED, update, scope=scope(update.appeal))
        circulation_queue.stop_update_deliveries(update)
    update.refresh_from_db()
    return update
