"""Pages describe what exists (issue 15, point 7): no "soon you will be able to…" above a
button that already works, and no promise of what is not built yet (emergency support, the
help desk, surveys, protection plans)."""

from __future__ import annotations

import re

import pytest

from conftest import STANDING_USERS, sign_in

NOT_BUILT = re.compile(r"\bsoon\b|will be able|emergency|help desk|digital-security help|survey|protection plan",
                       re.IGNORECASE)


def _said(html: str) -> str:
    """The words of <main>, without tags."""
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize("who", STANDING_USERS)
def test_the_dashboard_promises_nothing_that_is_not_built(client, world, who):
    sign_in(client, world.users[who], world.unlocked[who])
    said = _said(client.get("/accounts/dashboard/").content.decode())
    assert not NOT_BUILT.findall(said), said


def test_the_home_page_promises_nothing_that_is_not_built(client, db):
    said = _said(client.get("/").content.decode())
    assert not NOT_BUILT.findall(said), said
