"""Region groupings: data that coordinators edit.

A grouping (the UN Special Rapporteur's five regions, the continents, or a custom one) is a set
of regions; each country (ISO 3166-1 alpha-2, or a former country's ISO 3166-3 code) belongs to
at most one region of a grouping. Statistics group incidents by region through this table.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Labelled(models.Model):
    label_en = models.CharField("English", max_length=200)
    label_es = models.CharField("Español", max_length=200, blank=True)
    label_fr = models.CharField("Français", max_length=200, blank=True)
    label_pt = models.CharField("Português", max_length=200, blank=True)

    class Meta:
        abstract = True

    def label(self, language: str | None = None) -> str:
        """The label in `language` (the active one by default); English when missing."""
        language = (language or translation.get_language() or "en")[:2]
        return str(getattr(self, f"label_{language}", "") or self.label_en)


class Grouping(Labelled):
    class Kind(models.TextChoices):
        SHIPPED = "shipped", _("Shipped with Amparo")
        CUSTOM = "custom", _("Made by a coordinator")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CUSTOM)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label()


class Region(Labelled):
    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="regions")
    code = models.SlugField(_("code"), max_length=32)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["grouping", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["grouping", "code"], name="region_code_per_grouping"),
        ]

    def __str__(self) -> str:
        return self.label()


class RegionCountry(models.Model):
    """A country in a region; `grouping` repeats the region's so that a country sits in one
    region per grouping (a unique constraint, not a convention)."""

    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="countries")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=4)

    class Meta:
        ordering = ["grouping", "region", "country"]
        constraints = [
            models.UniqueConstraint(fields=["grouping", "country"], name="one_region_per_country_and_grouping"),
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.region_id}"

