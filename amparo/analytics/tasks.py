"""Background jobs of analytics. Arguments are identifiers only, never content or keys."""

from __future__ import annotations

from celery import shared_task

from amparo.analytics import services
from amparo.analytics.services import public


@shared_task(name="amparo.analytics.tasks.generate_report", acks_late=True)
def generate_report(report_id: int) -> str:
    """Make one assessment report. Safe to run twice or on two workers at once: the report is
    claimed with a conditional UPDATE and only the claimant writes it ("skipped" otherwise)."""
    return services.generate(report_id)


@shared_task(name="amparo.analytics.tasks.build_rollups", acks_late=True)
def build_rollups() -> str:
    """Build the staff statistics' summaries when they are missing (a new installation) or were
    built with another vocabulary (a term added or moved): "built" or "fresh". Meant for the
    beat schedule, every few minutes; a no-op (two small queries) when they are fresh."""
    from amparo.analytics.services import rollups

    return rollups.build_if_needed()


@shared_task(name="amparo.analytics.tasks.refresh_public_tables", acks_late=True)
def refresh_public_tables() -> str:
    """The public-table job, queued after writes that change public figures: single-flight
    (a second worker returns "busy" at once and the runner goes round again)."""
    return public.refresh_public_tables(ask=False)


@shared_task(name="amparo.analytics.tasks.check_public_tables", acks_late=True)
def check_public_tables() -> str:
    """Every minute (beat): a run when the public figures' fingerprint moved since the stored
    version (rows written around the services, vocabulary edits, a lost message)."""
    return public.check_public_tables()
