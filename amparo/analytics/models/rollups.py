"""Summary tables of the staff statistics (docs/analytics.md, "Rollups").

Facts: what each incident contributes (`RollupFact`, and its terms in `RollupFactTerm`, a copy
of its many-to-many rows), so that an update subtracts the old contribution before it adds the
new one. Summaries: `RollupCell` (counts by the single-valued dimensions, at three grains) and
`RollupTermCell` (counts by one multi-valued dimension at one vocabulary level, beside the
coarsest grain). `RollupTermKey` maps each term to its key at each level (from the vocabulary as
it was at the last rebuild); `RollupState` remembers that vocabulary's fingerprint.

Keys are never NULL (a unique constraint does not see two NULLs as equal): an absent value is
"" (text) or 0 (year). Only `amparo.analytics.services.rollups` writes these tables.
"""

from __future__ import annotations

from django.db import models

# The grains of `RollupCell`: which single-valued dimensions each keeps (the others hold "" or 0).
GRAIN_YEAR, GRAIN_MONTH, GRAIN_FULL = 1, 2, 3
# Every grain keeps `consented` (the incident may be counted in anonymous statistics), so that
# the public tables are read from the summaries too (statistics/public.py).
GRAINS: dict[int, tuple[str, ...]] = {
    GRAIN_YEAR: ("desk_id", "country", "year", "status", "consented"),
    GRAIN_MONTH: ("desk_id", "country", "year", "month", "yearly", "status", "consented"),
    GRAIN_FULL: ("desk_id", "country", "subdivision", "year", "month", "yearly", "status", "reported", "justice",
                 "consented"),
}
CELL_COLUMNS = GRAINS[GRAIN_FULL]
TERM_GRAIN = GRAIN_YEAR  # the term summaries keep the coarsest grain only


class FactFields(models.Model):
    """One incident's counted fields as the summaries last counted them. No foreign key: an
    erased incident's row is read (to subtract it) after the incident is gone."""

    incident_id = models.BigIntegerField(primary_key=True)
    desk_id = models.BigIntegerField()
    country = models.CharField(max_length=4)
    subdivision = models.CharField(max_length=8)
    year = models.IntegerField()  # 0: no date
    month = models.CharField(max_length=7)  # "2023-05", "" without a date
    yearly = models.BooleanField()  # dated to the year only: no month to count it in
    status = models.CharField(max_length=16)
    reported = models.CharField(max_length=8)
    justice = models.CharField(max_length=16)
    consented = models.BooleanField(default=False)  # consent to anonymous statistics
    victims = models.BigIntegerField()  # at most MAX_VICTIMS, as the statistics count them

    class Meta:
        abstract = True


class RollupFact(FactFields):
    class Meta:
        db_table = "analytics_rollup_fact"

    def __str__(self) -> str:
        return f"facts of incident {self.incident_id}"


class RollupFactNext(FactFields):
    """The new facts of the incidents being written, staged within the writing transaction."""

    class Meta:
        db_table = "analytics_rollup_fact_next"

    def __str__(self) -> str:
        return f"new facts of incident {self.incident_id}"


class FactTermFields(models.Model):
    incident_id = models.BigIntegerField()
    relation = models.CharField(max_length=16)  # attack_types, perpetrators, ...
    term_id = models.BigIntegerField()

    class Meta:
        abstract = True


class RollupFactTerm(FactTermFields):
    class Meta:
        db_table = "analytics_rollup_fact_term"
        indexes = [models.Index(fields=["incident_id"], name="rollup_fact_term_incident")]

    def __str__(self) -> str:
        return f"{self.relation} {self.term_id} of incident {self.incident_id}"


class RollupFactTermNext(FactTermFields):
    class Meta:
        db_table = "analytics_rollup_fact_term_next"
        indexes = [models.Index(fields=["incident_id"], name="rollup_next_term_incident")]

    def __str__(self) -> str:
        return f"new {self.relation} {self.term_id} of incident {self.incident_id}"


class RollupTermKey(models.Model):
    dim = models.CharField(max_length=16)  # attack_type, perpetrator, state, ...
    level = models.SmallIntegerField()  # 0: the term itself
    term_id = models.BigIntegerField()
    key = models.CharField(max_length=16)  # a term's id, or state / non_state / unknown

    class Meta:
        db_table = "analytics_rollup_term_key"
        constraints = [models.UniqueConstraint(fields=["dim", "level", "term_id"], name="one_rollup_key_per_term")]

    def __str__(self) -> str:
        return f"{self.dim} level {self.level}: {self.term_id} -> {self.key}"


class RollupCell(models.Model):
    grain = models.SmallIntegerField()
    desk_id = models.BigIntegerField()
    country = models.CharField(max_length=4)
    subdivision = models.CharField(max_length=8)
    year = models.IntegerField()
    month = models.CharField(max_length=7)
    yearly = models.BooleanField()
    status = models.CharField(max_length=16)
    reported = models.CharField(max_length=8)
    justice = models.CharField(max_length=16)
    consented = models.BooleanField(default=False)
    incidents = models.BigIntegerField()
    victims = models.BigIntegerField()

    class Meta:
        db_table = "analytics_rollup_cell"
        constraints = [models.UniqueConstraint(
            fields=["grain", "desk_id", "country", "subdivision", "year", "month", "yearly", "status", "reported",
                    "justice", "consented"], name="one_rollup_cell_consent")]

    def __str__(self) -> str:
        return f"grain {self.grain}: {self.incidents} incidents"


class RollupTermCell(models.Model):
    dim = models.CharField(max_length=16)
    level = models.SmallIntegerField()
    key = models.CharField(max_length=16)  # "" : none recorded
    desk_id = models.BigIntegerField()
    country = models.CharField(max_length=4)
    year = models.IntegerField()
    status = models.CharField(max_length=16)
    consented = models.BooleanField(default=False)
    incidents = models.BigIntegerField()
    victims = models.BigIntegerField()

    class Meta:
        db_table = "analytics_rollup_term_cell"
        constraints = [models.UniqueConstraint(
            fields=["dim", "level", "key", "desk_id", "country", "year", "status", "consented"],
            name="one_rollup_term_cell_consent")]

    def __str__(self) -> str:
        return f"{self.dim} {self.key}: {self.incidents} incidents"


class RollupState(models.Model):
    """One row: the vocabulary the summaries were built with (its fingerprint and depths)."""

    fingerprint = models.CharField(max_length=64)
    depths = models.JSONField(default=dict)  # dim -> the deepest level of its vocabulary
    built_at = models.DateTimeField()

    class Meta:
        db_table = "analytics_rollup_state"

    def __str__(self) -> str:
        return f"rollups built {self.built_at:%Y-%m-%d %H:%M}"
