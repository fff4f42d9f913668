"""The guides: the shipped ones put in place (the data migration does the same at `migrate`),
and her progress through them, a "done" mark kept in her account (an anonymous reader's marks
are kept nowhere)."""

from __future__ import annotations

from amparo.accounts.models import User
from amparo.helpdesk.models import Tutorial, TutorialDone


def mark_done(user: User, slug: str, done: bool = True) -> None:
    """Mark a guide done (or not done any more). Safe to send twice."""
    if done:
        TutorialDone.objects.get_or_create(user=user, slug=slug)
    else:
        TutorialDone.objects.filter(user=user, slug=slug).delete()


def load_shipped_guides() -> int:
    """The guides shipped in amparo/helpdesk/guides/, in every language, created or brought up
    to date (a database emptied by a test, or one whose guides were edited by hand). Returns how
    many rows were written."""
    from amparo.helpdesk.guides import GUIDES, TEXTS

    written = 0
    for guide in GUIDES:
        for language, texts in TEXTS.items():
            title, summary, body = texts[guide.slug]
            Tutorial.objects.update_or_create(slug=guide.slug, language=language, defaults={
                "title": title, "summary": summary, "body": body, "categories": list(guide.categories),
                "position": guide.position})
            written += 1
    return written
