"""Core's background job: sweeping expired throttle counters. (The audit anchor is sent by
`network.tasks`, which knows who the coordinators are.)"""

from __future__ import annotations

from celery import shared_task

from amparo.core import counters


@shared_task
def sweep_counters() -> int:
    return counters.sweep()
