"""Reading the vocabulary: the tree that pages and forms show, and the counts by kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import get_language

from amparo.vocabulary.models import Term

# --- Reading ---------------------------------------------------------------------------------

@dataclass
class Entry:
    """A term at its place in the tree: `depth` 0 for a top-level term."""

    term: Term
    depth: int
    children: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.term.label()

    @property
    def in_english(self) -> bool:
        """True when the reader's language has no label, so the English one is shown."""
        return self.term.label() != getattr(self.term, f"label_{(get_language() or 'en')[:2]}", "")

    @property
    def missing(self) -> list[str]:
        """The names of the languages that have no label yet."""
        return [str(name) for code, name in settings.LANGUAGES if not getattr(self.term, f"label_{code}", "")]


def tree_for(kind: str, include_retired: bool = False) -> list[Entry]:
    """The top-level terms of `kind`, each with its narrower terms, in their order. Without
    `include_retired`, a retired term is left out with everything under it."""
    terms = Term.objects.filter(kind=kind)
    if not include_retired:
        terms = terms.filter(retired_at__isnull=True)
    by_parent: dict[int | None, list[Term]] = defaultdict(list)
    for term in terms.order_by("position", "code"):
        by_parent[term.parent_id].append(term)

    def branch(parent_id: int | None, depth: int) -> list[Entry]:
        entries = []
        for term in by_parent.pop(parent_id, []):  # pop: a cycle in bad data cannot loop
            entry = Entry(term, depth)
            entry.children = branch(term.pk, depth + 1)
            entries.append(entry)
        return entries

    return branch(None, 0)


def terms_for(kind: str, include_retired: bool = False) -> list[Entry]:
    """Every term of `kind` in reading order (each broader term before its narrower ones), with
    its depth for indented display. Retired terms only with `include_retired`."""
    return flatten(tree_for(kind, include_retired))


def flatten(entries: list[Entry]) -> list[Entry]:
    """The entries and everything under them, in reading order."""
    return [each for entry in entries for each in (entry, *flatten(entry.children))]


def counts_by_kind() -> list[tuple[str, str, int, int]]:
    """(kind, its name, terms offered, terms retired) for every kind, in the kinds' order."""
    counted = Term.objects.values("kind").annotate(
        offered=Count("id", filter=Q(retired_at__isnull=True)), retired=Count("id", filter=Q(retired_at__isnull=False)))
    rows: dict[str, tuple[int, int]] = {row["kind"]: (row["offered"], row["retired"]) for row in counted}
    return [(kind, str(name), *rows.get(kind, (0, 0))) for kind, name in Term.Kind.choices]
