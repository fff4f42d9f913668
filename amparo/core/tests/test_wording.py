"""Words a person trips on (issue 15, point 7). Pages describe what exists: no "soon you will be
able to…" above a button that already works, and no promise of something to come. And an empty list names what it
lacks, so that every language can make the words agree ("Ningún archivo todavía", not a
feminine "Ninguna todavía" shared by files and follow-ups)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import STANDING_USERS, sign_in

# Emergency support, the help desk, surveys and protection plans are built now: the dashboard
# may name them. What it may not do is promise.
NOT_BUILT = re.compile(r"\bsoon\b|will be able|coming|not yet available", re.IGNORECASE)


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


def test_no_empty_list_says_none_yet_without_naming_what():
    """One msgid for every empty list cannot agree in gender with each list in Spanish, French
    or Portuguese: "None yet" must name its noun ("No files yet.") or carry a context."""
    root = Path(__file__).resolve().parents[2]
    bare = re.compile(r'(?:translate|_\(|gettext\w*\()\s*"None yet[^"]*"(?!\s*context)')
    found = [f"{path.relative_to(root)}: {match.group(0)}" for path in root.rglob("*")
             if path.suffix in {".html", ".py"} and "tests" not in path.parts
             for match in bare.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found
