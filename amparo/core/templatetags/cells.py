"""`{{ headers|item:forloop.counter0 }}`: one element of a list, for a table cell that names
its column (`data-label`, shown above the value when a table stacks its rows on a phone)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template

register = template.Library()


@register.filter
def item(sequence: Sequence[object], index: int) -> object:
    """The element at `index`, or an empty string past either end."""
    return sequence[index] if 0 <= index < len(sequence) else ""
