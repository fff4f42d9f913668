from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def test_it_renders_a_fragment_once_per_language_and_key():
    calls = []

    class Counter:
        def __str__(self) -> str:
            calls.append(1)
            return "x"

    template = Template("{% load i18n memo %}{% memo flag %}{% translate 'Log in' %}{{ counter }}{% endmemo %}")
    with translation.override("en"):
        first = template.render(Context({"flag": True, "counter": Counter()}))
        again = template.render(Context({"flag": True, "counter": Counter()}))
        other_key = template.render(Context({"flag": False, "counter": Counter()}))
    with translation.override("es"):
        spanish = template.render(Context({"flag": True, "counter": Counter()}))
    assert first == again == other_key == "Log inx"
    assert spanish != first and spanish.endswith("x")
    assert len(calls) == 3  # en/True, en/False, es/True: the repeat came from memory
