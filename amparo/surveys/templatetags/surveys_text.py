"""`{{ labels|said:fallback }}`: a survey's words in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import in_language

register = template.Library()


@register.filter
def said(labels: Any, fallback: str = "en") -> str:
    return in_language(labels, None, fallback or "en")
