"""A date picker shows its value in every language (issue 15, point 7): <input type=date> takes
only ISO values, so every such widget of every form renders 2026-10-14, never 14/10/2026."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import get_resolver
from django.utils import translation

from amparo.core.widgets import DateInput


def _every_form_class() -> list[Any]:
    get_resolver().url_patterns  # noqa: B018 - importing every view imports every form
    found: list[Any] = []
    todo: list[Any] = [forms.Form, forms.ModelForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("amparo."):
                found.append(sub)
    return found


def test_every_date_picker_renders_iso_values():
    wrong = [f"{form.__module__}.{form.__name__}.{name}"
             for form in _every_form_class() for name, field in form.base_fields.items()
             if "date" in (getattr(field.widget, "input_type", ""), field.widget.attrs.get("type"))
             and not isinstance(field.widget, DateInput)]
    assert not wrong, f"use amparo.core.widgets.DateInput for {wrong}"
    assert len([f for f in _every_form_class() if any(isinstance(x.widget, DateInput)
                                                      for x in f.base_fields.values())]) >= 5


def test_the_shared_date_input_renders_iso_in_spanish():
    import datetime

    with translation.override("es"):
        html = DateInput().render("on", datetime.date(2026, 10, 14))
    assert 'type="date"' in html and 'value="2026-10-14"' in html
