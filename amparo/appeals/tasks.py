"""Background jobs of the appeals. Arguments are identifiers only (a channel's name), never an
address, a text or a key: a sender opens supporters' contacts itself, with the service key."""

from __future__ import annotations

from celery import shared_task

from amparo.appeals import circulation


@shared_task(bind=True, name="amparo.appeals.tasks.send_deliveries", acks_late=True)
def send_deliveries(self: object, channel: str) -> int:
    """Claim and send batches of due deliveries on `channel` until none is due."""
    request = getattr(self, "request", None)
    return circulation.drain(channel, circulation.worker_name(getattr(request, "hostname", None)))


@shared_task(name="amparo.appeals.tasks.sweep_circulation", acks_late=True)
def sweep_circulation() -> dict[str, int]:
    """Every AMPARO_CIRCULATION_SWEEP_SECONDS: stale claims back to the queue, senders for due
    retries."""
    return circulation.sweep()
