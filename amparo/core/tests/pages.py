"""A row of the page-quality table (test_page_quality): who sees a page, in which state, with
which budget. Apps give theirs in `amparo/<app>/tests/tables.py` as `PAGES` (see amparo/tests/tables.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BUDGET = 30_000  # bytes, gzip-compressed, of the page with everything it loads (DESIGN.md)

World = Any  # conftest.World; the pages only read its objects


@dataclass(frozen=True)
class State:
    """What a page needs in the visitor's session and cookies to show itself."""

    session: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One page to check. `who` is a standing user or "anonymous"; `state` gives her browser
    what the page needs to show itself (a login half done, a reset link opened); `url`
    replaces the URL that the authorization table's arguments give. `xfail` maps a check to
    the exact violation that someone else must fix, so the page's other checks still hold.
    `refuse` is a URL glob the browser is refused, as a slow or filtered line drops it (a
    stylesheet, say): the page must still be readable and fit the screen without it."""

    who: str = "anonymous"
    budget: int = BUDGET
    why: str = ""  # the reason for a larger budget
    status: int = 200
    h1: str = ""  # for a page set up in a certain state: words its <h1> shows in that state
    state: Callable[[World], State] | None = None
    url: Callable[[World], str] | None = None
    xfail: dict[str, str] = field(default_factory=dict)
    refuse: str = ""

    def __post_init__(self) -> None:
        assert self.budget == BUDGET or self.why, "a larger budget needs its reason"
