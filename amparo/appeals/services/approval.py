"""Review of an appeal by its network's coordinators: approve (four eyes; the reference
number; circulation starts), send back, stop."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.appeals import sealing
from amparo.appeals.actions import Action
from amparo.appeals.models import Addressee, Appeal, AppealText, ReferenceCounter, UpdateText
from amparo.core.services import record_audit
from amparo.network.models import Network
from amparo.vault.errors import KeyLocked, NotAReader, Tampered
from amparo.vault.services import Unlocked

from . import circulation_queue
from .rules import AppealRefused, must_coordinate, scope


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


def publish(unlocked: Unlocked | None, rows: list[Any]) -> None:
    """Open the sealed words with the approver's key and keep them in clear from now on."""
    try:
        for row in rows:
            _publish_words(unlocked, row)
    except (KeyLocked, NotAReader, Tampered) as exc:
        raise AppealRefused(_("The draft is sealed and did not open with your key: sign out and in again, or "
                              "ask another coordinator to approve it.")) from exc


def _publish_words(unlocked: Unlocked | None, row: AppealText | Addressee | UpdateText) -> None:
    """Publication, in the approving member's request: open the words with her key (the
    vault's KeyLocked, NotAReader or Tampered when it cannot) and keep them in clear."""
    if row.sealed is None:
        return
    words = sealing.open_words(unlocked, row)
    for name, value in words.items():
        setattr(row, name, value)
    row.sealed = None
    row.save(update_fields=[*words, "sealed"])


def wrote_part_of(user: User, appeal: Appeal) -> bool:
    """Whether `user` drafted, edited or translated any of the appeal, or changed its
    addressees (the appeal's writers say)."""
    return appeal.author_id == user.pk or appeal.writers.filter(pk=user.pk).exists()


def approve_appeal(user: User, appeal: Appeal, *, unlocked: Unlocked | None) -> Appeal:
    """Publish the appeal: a coordinator of its network who wrote no part of it (four eyes)
    approves it; its words and addressees are opened with her key and kept in clear from now
    on; it gets its reference number and its public page, and circulation starts."""
    must_coordinate(user, appeal)
    if wrote_part_of(user, appeal):
        raise AppealRefused(_("Someone who wrote part of an appeal cannot approve it: another coordinator must."))
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != Appeal.Status.REVIEW or locked.stopped_at is not None:
            raise AppealRefused(_("Only an appeal in review can be approved."))
        if not locked.addressees.exists() or locked.text() is None:
            raise AppealRefused(_("An appeal needs its text and at least one addressee."))
        publish(unlocked, [*locked.texts.all(), *locked.addressees.all()])
        now = timezone.now()
        locked.reference = next_reference(locked.network, now.year)
        locked.status, locked.approved_by, locked.approved_at = Appeal.Status.APPROVED, user, now
        locked.save(update_fields=["reference", "status", "approved_by", "approved_at", "updated_at"])
        record_audit(user, Action.APPEAL_APPROVED, locked, scope=scope(locked))
        circulation_queue.enqueue_appeal(locked)  # its deliveries, in this transaction; senders after commit
    return locked


def return_to_draft(user: User, appeal: Appeal) -> Appeal:
    """A coordinator sends an appeal in review back to its desk."""
    must_coordinate(user, appeal)
    if appeal.status != Appeal.Status.REVIEW:
        raise AppealRefused(_("Only an appeal in review can be sent back."))
    with transaction.atomic():
        appeal.status = Appeal.Status.DRAFT
        appeal.save(update_fields=["status", "updated_at"])
        record_audit(user, Action.APPEAL_RETURNED, appeal, scope=scope(appeal))
    return appeal


def stop_appeal(user: User, appeal: Appeal) -> Appeal:
    """Stop it at any point, while it circulates too: the public page and the feed drop it at
    once, and circulation sends nothing more of it or its updates."""
    must_coordinate(user, appeal)
    with transaction.atomic():
        changed = Appeal.objects.filter(pk=appeal.pk, stopped_at__isnull=True).update(
            stopped_at=timezone.now(), stopped_by=user, updated_at=timezone.now())
        if changed:
            record_audit(user, Action.APPEAL_STOPPED, appeal, scope=scope(appeal))
        circulation_queue.stop_appeal_deliveries(appeal)  # nothing unsent goes out any more
    appeal.refresh_from_db()
    return appeal
