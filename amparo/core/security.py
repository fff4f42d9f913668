"""Which Content-Security-Policy a page gets (DESIGN.md, data protection rule 7).

Pages are strict by default: public and defender pages may load only the app's own styles,
scripts and images. Staff pages, marked with `@staff_page`, may also talk back to the app
(htmx requests, fonts) but still nothing outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

STRICT_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
STAFF_CSP = (
    "default-src 'self'; object-src 'none'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

V = TypeVar("V", bound=Callable[..., object])


def staff_page(view: V) -> V:
    """Mark a view as a staff page: it gets the staff policy instead of the strict one."""
    view.amparo_page_kind = "staff"  # type: ignore[attr-defined]  # a mark on the view function, read by the error and page-kind middleware
    return view
