"""The guides shipped with Amparo, in four languages (one module per language), and the short
learning paths that put a few of them in order. Loaded by migration 0002, so they are there
after `migrate` (and so after `load_demo`). Written for this project from the field notes'
facts, not copied from anywhere."""

from __future__ import annotations

from dataclasses import dataclass

from amparo.helpdesk.guides import en, es, fr, pt


@dataclass(frozen=True)
class Guide:
    slug: str
    categories: tuple[str, ...]
    position: int


GUIDES = [
    Guide("phone-seized", ("device",), 10),
    Guide("lock-your-phone", ("device", "travel", "spyware"), 20),
    Guide("two-step-login", ("account", "harassment"), 30),
    Guide("spot-phishing", ("suspicious", "account", "spyware"), 40),
    Guide("encrypted-messaging", ("communication", "spyware"), 50),
    Guide("safe-backups", ("storage", "device"), 60),
    Guide("separate-accounts", ("harassment", "account", "communication"), 70),
    Guide("travel-with-devices", ("travel", "device"), 80),
]

# language code → slug → (title, summary, Markdown body)
TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {"en": en.TEXTS, "es": es.TEXTS, "fr": fr.TEXTS, "pt": pt.TEXTS}


@dataclass(frozen=True)
class Path:
    slug: str
    guides: tuple[str, ...]


# A few guides in order: one-off training does not stick, so each path is short and marks
# what she has done. Titles are in views (translated there).
PATHS = [
    Path("first-steps", ("lock-your-phone", "two-step-login", "spot-phishing")),
    Path("if-they-take-your-phone", ("safe-backups", "separate-accounts", "phone-seized")),
    Path("talk-safely", ("encrypted-messaging", "travel-with-devices")),
]
