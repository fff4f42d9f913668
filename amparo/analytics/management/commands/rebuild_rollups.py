"""manage.py rebuild_rollups: the staff statistics' summaries recomputed from the base tables
(after data written around the registry's services, a vocabulary change, or as a repair)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from amparo.analytics.services.rollups import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute the summary tables of the staff statistics from the incidents."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rebuild_rollups()
        self.stdout.write(f"rollups rebuilt in {time.perf_counter() - started:.1f} s")
