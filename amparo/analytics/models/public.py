"""The public figures as published: the last good version of the public tables, computed by a
background job (services/public.py), and the one row that makes that job single-flight."""

from __future__ import annotations

from django.db import models


class PublicTables(models.Model):
    """Every public table of every year, suppressed, for one k: what visitors are shown.

    Suppression works year by year, so the cells of one year are the same whether the tables
    were computed for that year alone or for all years: one version answers every question."""

    k = models.PositiveIntegerField(unique=True)
    tables = models.JSONField()  # {table: [{key, year, incidents, victims}]}, None where withheld
    token = models.CharField(max_length=32)  # random per version: cache keys and ETags
    fingerprint = models.CharField(max_length=64)  # of what the tables depend on, when computed
    computed_at = models.DateTimeField()
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "public tables"
        verbose_name_plural = "public tables"

    def __str__(self) -> str:
        return f"public tables, k={self.k}, {self.computed_at:%Y-%m-%d %H:%M:%S}"


class PublicRefresh(models.Model):
    """One row (pk 1). A write asks for a run by raising `wanted`; a run claims the row by
    setting `running_until` (a lease, so a killed worker does not block the next), computes,
    and records the `wanted` it started from in `done`. A write during a run leaves
    `wanted > done`: the runner goes round once more."""

    wanted = models.PositiveBigIntegerField(default=0)
    done = models.PositiveBigIntegerField(default=0)
    running_until = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveBigIntegerField(default=0)  # computations made

    def __str__(self) -> str:
        return f"public refresh: wanted {self.wanted}, done {self.done}"
