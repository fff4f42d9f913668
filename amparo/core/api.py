"""Core exposes no endpoint of its own (the schema lives in `amparo.urls`); it offers the API
fields every app's serializers share."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from rest_framework import serializers

_MT = TypeVar("_MT", bound=Model)


def has_nul(value: Any) -> bool:
    """PostgreSQL cannot compare text holding a NUL character (SQLite can): such a value
    must be refused before any lookup, or the database error is a 500."""
    return isinstance(value, str) and "\x00" in value


class SlugRelatedField(serializers.SlugRelatedField[_MT]):
    """DRF's field, with a value holding NUL answered as any unknown slug (never a lookup)."""

    def to_internal_value(self, data: Any) -> _MT:
        if has_nul(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\x00"))
        return super().to_internal_value(data)
