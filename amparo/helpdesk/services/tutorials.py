"""Her progress through the guides: a "done" mark kept in her account (an anonymous reader's
marks are kept nowhere)."""

from __future__ import annotations

from amparo.accounts.models import User
from amparo.helpdesk.models import TutorialDone


def mark_done(user: User, slug: str, done: bool = True) -> None:
    """Mark a guide done (or not done any more). Safe to send twice."""
    if done:
        TutorialDone.objects.get_or_create(user=user, slug=slug)
    else:
        TutorialDone.objects.filter(user=user, slug=slug).delete()
