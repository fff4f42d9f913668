"""What the registry contributes to dashboards: a defender's own reports, a desk's inbox."""

from __future__ import annotations


def register() -> None:
    """Panels are added with the pages that they link to."""
