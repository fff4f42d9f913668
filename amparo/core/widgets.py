"""Form widgets every app shares."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A browser's date picker. It takes only ISO values (2026-10-14): Django's default, the
    language's first input format (14/10/2026 in Spanish), would show an empty box and lose
    the date on the next save."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
