"""Subdivision boundaries for the map."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Boundary(models.Model):
    """The outline of one ISO 3166-2 subdivision, loaded by `manage.py load_boundaries`."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    geometry = models.JSONField()  # a GeoJSON Polygon or MultiPolygon, in degrees
    source = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "code"]

    def __str__(self) -> str:
        return self.code
