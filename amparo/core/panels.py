"""Dashboard panels: each app contributes what its users see after login.

The dashboard lives low (in `accounts`) but its content comes from higher floors, so higher
apps register panels here from their `AppConfig.ready()` instead of being imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

ContextBuilder = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    template: str
    build: ContextBuilder
    order: int


_panels: list[Panel] = []


def register(template: str, build: ContextBuilder, order: int = 100) -> None:
    """Add a panel; `build` returns its context, or None when the panel is not for this user."""
    if any(p.template == template for p in _panels):
        return
    _panels.append(Panel(template, build, order))
    _panels.sort(key=lambda p: p.order)


def for_request(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for panel in _panels:
        context = panel.build(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
