"""Background jobs of the appeals, and the only code that calls the senders (transport/).

Arguments are identifiers only (a channel's name), never an address, a text or a key: a
sender task claims a batch from the queue (services/circulation_queue.py), opens each
supporter's contact with the service key, renders the message in her language once per
language (rendering.py), sends the batch through the channel's transport and hands the outcome
back to the queue. It loops until nothing is due.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver

from amparo.appeals import sealing, transport
from amparo.appeals.models import Appeal, AppealUpdate, Delivery, Supporter
from amparo.appeals.rendering import Prepared, available_languages, message_id, prepare
from amparo.appeals.services import circulation_queue as queue
from amparo.vault.errors import NotAReader, Tampered


@dataclass
class Run:
    """What one sender task keeps between its batches: rendered texts and appeals."""

    prepared: dict[tuple[int, int | None, str, str], Prepared] = field(default_factory=dict)
    appeals: dict[int, Appeal] = field(default_factory=dict)
    updates: dict[int, AppealUpdate] = field(default_factory=dict)
    circulated: set[tuple[int, int | None]] = field(default_factory=set)
    languages: dict[tuple[int, int | None], set[str]] = field(default_factory=dict)

    def appeal(self, appeal_id: int) -> Appeal:
        if appeal_id not in self.appeals:
            self.appeals[appeal_id] = Appeal.objects.prefetch_related("texts", "addressees").get(pk=appeal_id)
        return self.appeals[appeal_id]

    def update(self, update_id: int | None) -> AppealUpdate | None:
        if update_id is None:
            return None
        if update_id not in self.updates:
            self.updates[update_id] = AppealUpdate.objects.prefetch_related("texts").get(pk=update_id)
        return self.updates[update_id]


def worker_name(hostname: str | None = None) -> str:
    return f"{hostname or socket.gethostname()}:{os.getpid()}"


def send_batch(channel: str, worker: str, run: Run | None = None, *, size: int | None = None) -> int:
    """Claim one batch, send it, record the outcome. Returns how many deliveries it handled
    (0: nothing was due)."""
    run = run or Run()
    size = size or settings.AMPARO_CIRCULATION_BATCH_SIZE
    token = queue.claim_batch(channel, worker, size)
    if token is None:
        return 0
    try:
        return _send_claimed(token, channel, run)
    except Exception:
        queue.give_back(token, "error while sending")
        raise


def _send_claimed(token: str, channel: str, run: Run) -> int:
    claimed_at = time.monotonic()
    rows = queue.claimed_rows(token, channel)
    # Checked again now, just before sending: a stop since the claim wins.
    stopped_appeals, stopped_updates = queue.stopped_since({r[2] for r in rows}, {r[3] for r in rows if r[3]})
    items: list[queue.Claimed] = []
    stopped: list[int] = []
    broken: list[int] = []
    for pk, uuid, appeal_id, update_id, supporter_id, attempts, status, wants, languages, sealed, sealed_token in rows:
        if appeal_id in stopped_appeals or update_id in stopped_updates or supporter_id is None \
                or status != Supporter.Status.CONFIRMED or not wants:
            stopped.append(pk)
            continue
        item = queue.Claimed(pk, appeal_id, update_id, supporter_id, attempts, msgid=message_id(uuid))
        try:
            item.address = sealing.open_supporter_contact("email" if channel == Delivery.Channel.EMAIL else "phone",
                                                          sealed)
            item.token = sealing.open_supporter_contact("token", sealed_token)
        except (Tampered, NotAReader):
            broken.append(pk)
            continue
        _choose_language(run, item, languages)
        items.append(item)
    results: list[transport.Result] = []
    if items:
        messages = [transport.Message(i.delivery_id, i.address, _prepared(run, i), i.token, i.msgid) for i in items]
        deadline = claimed_at + settings.AMPARO_CIRCULATION_CLAIM_TIMEOUT / 2
        results = transport.sender_for(channel).send(messages, deadline=deadline)
    queue.record_outcome(token, channel, items, results, stopped=stopped, broken=broken, circulated=run.circulated)
    return len(rows)


def _choose_language(run: Run, item: queue.Claimed, languages: str) -> None:
    """The appeal's words in the first of her languages they exist in (else the original);
    the message's own words in hers."""
    key = (item.appeal_id, item.update_id)
    appeal = run.appeal(item.appeal_id)
    if key not in run.languages:
        run.languages[key] = available_languages(appeal, run.update(item.update_id))
    wanted = [c for c in languages.split(",") if c] or ["en"]
    item.language = next((c for c in wanted if c in run.languages[key]), appeal.language)
    item.reader = item.language if item.language in wanted else wanted[0]


def _prepared(run: Run, item: queue.Claimed) -> Prepared:
    key = (item.appeal_id, item.update_id, item.language, item.reader)
    if key not in run.prepared:
        run.prepared[key] = prepare(run.appeal(item.appeal_id), run.update(item.update_id), item.language,
                                    item.reader)
    return run.prepared[key]


def drain(channel: str, worker: str, *, budget: float = 60.0) -> int:
    """Send batches until nothing is due; after `budget` seconds hand over to a new task (so
    that one long circulation does not hold a worker's slot for ever). Returns how many
    deliveries it handled."""
    started, total, run = time.monotonic(), 0, Run()
    while handled := send_batch(channel, worker, run):
        total += handled
        if time.monotonic() - started > budget:
            queue.kick(channel, 1)
            break
    return total


@shared_task(bind=True, name="amparo.appeals.tasks.send_deliveries", acks_late=True)
def send_deliveries(self: object, channel: str) -> int:
    """Claim and send batches of due deliveries on `channel` until none is due."""
    request = getattr(self, "request", None)
    return drain(channel, worker_name(getattr(request, "hostname", None)))


@shared_task(name="amparo.appeals.tasks.sweep_circulation", acks_late=True)
def sweep_circulation() -> dict[str, int]:
    """Every AMPARO_CIRCULATION_SWEEP_SECONDS: stale claims back to the queue, senders for due
    retries."""
    return queue.sweep()


@receiver(queue.deliveries_due, dispatch_uid="appeals-start-senders")
def start_senders(sender: Any, *, channel: str, count: int, **kwargs: Any) -> None:
    """The queue says deliveries are due: start `count` sender tasks on the channel."""
    for _ in range(count):
        send_deliveries.apply_async(args=(channel,), queue=settings.AMPARO_CIRCULATION_QUEUE)
