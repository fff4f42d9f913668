"""A respondent's walk through the demo needs survey with the test client, as a browser
without JavaScript sends it: each page's form with the progress token it carried."""

from __future__ import annotations

import re
from typing import Any

PROGRESS = re.compile(r'name="progress" value="([^"]+)"')


def progress_of(html: str) -> str:
    found = PROGRESS.search(html)
    assert found, html[:2000]
    return found.group(1)


def answer_needs_survey(client: Any, survey: Any, *, start: str = "", in_org: str = "no",
                        anything_else: str = "", threats: list[str] | None = None) -> Any:
    """Answer every page (the organisation page only when `in_org` is "yes"); the last response."""
    page = client.get(start or f"/surveys/a/{survey.slug}/")
    assert page.status_code == 200, page.content[:500]
    url = f"/surveys/a/{survey.slug}/"
    steps: list[dict[str, Any]] = [
        {"country": "HN", "in_org": in_org},
        {"threats": threats or ["online", "surveillance"], "safety": "2"},
        *([{"org_size": "12", "training": "no"}] if in_org == "yes" else []),
        {"devices": ["own_phone"], "skills": "basic", "support": ["digital", "care"], "anything_else": anything_else},
    ]
    for step in steps:
        page = client.post(url, {"progress": progress_of(page.content.decode()), **step})
        assert page.status_code in (200, 303), page.content.decode()[:3000]
    assert page.status_code == 303, page.content.decode()[:3000]
    return page
