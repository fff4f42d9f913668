"""The vocabulary and the regions, read once per question (small tables)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from django.utils.translation import gettext as _gettext

from amparo.analytics.models import Grouping, Region
from amparo.analytics.statistics.questions import DEFAULT_GROUPING, InvalidQuery
from amparo.vocabulary.models import Term
from amparo.vocabulary.rules import UNKNOWN_PERPETRATOR


class Lookups:
    """Terms and regions, for roll-ups, filters and labels."""

    def __init__(self, language: str) -> None:
        self.language = language

    @cached_property
    def terms(self) -> dict[int, Term]:
        return {t.pk: t for t in Term.objects.all()}

    @cached_property
    def by_code(self) -> dict[str, Term]:
        return {t.code: t for t in self.terms.values()}

    def depth(self, term: Term) -> int:
        depth, seen = 1, {term.pk}
        while term.parent_id and term.parent_id not in seen:
            seen.add(term.parent_id)
            term = self.terms[term.parent_id]
            depth += 1
        return depth

    def ancestor(self, term: Term, level: int) -> Term:
        chain = [term]
        while chain[-1].parent_id and len(chain) < 64:
            chain.append(self.terms[chain[-1].parent_id])
        chain.reverse()  # the root first
        return chain[min(level, len(chain)) - 1]

    def kind_ids(self, kind: str) -> list[int]:
        return [pk for pk, t in self.terms.items() if t.kind == kind]

    def subtree_ids(self, kind: str, codes: Iterable[str]) -> list[int]:
        """The terms of `kind` at or under each code (codes are dotted: attack.threat.death is
        under attack.threat); an unknown code is an error."""
        ids: set[int] = set()
        for code in codes:
            term = self.by_code.get(code)
            if term is None or term.kind != kind:
                raise InvalidQuery(_gettext("No %(kind)s with the code %(code)s.")
                                   % {"kind": Term.Kind(kind).label, "code": code})
            roots = {term.pk}
            for pk, other in self.terms.items():
                if other.kind == kind and self._under(other, roots):
                    ids.add(pk)
        return sorted(ids)

    def _under(self, term: Term, roots: set[int]) -> bool:
        seen: set[int] = set()
        current: Term | None = term
        while current is not None and current.pk not in seen:
            if current.pk in roots:
                return True
            seen.add(current.pk)
            current = self.terms.get(current.parent_id) if current.parent_id else None
        return False

    def state_of(self, term: Term) -> str:
        unknown = self.by_code.get(UNKNOWN_PERPETRATOR)
        if unknown is not None and self._under(term, {unknown.pk}):
            return "unknown"
        if term.state_actor is True:
            return "state"
        if term.state_actor is False:
            return "non_state"
        return "unknown"

    def grouping(self, code: str | None) -> Grouping:
        grouping = Grouping.objects.filter(code=code or DEFAULT_GROUPING).first()
        if grouping is None:
            raise InvalidQuery(_gettext("No region grouping with the code %(code)s.") % {"code": code})
        return grouping

    def regions(self, grouping: Grouping) -> list[tuple[Region, list[str]]]:
        members: dict[int, list[str]] = {}
        for region_id, country in grouping.countries.values_list("region_id", "country"):
            members.setdefault(region_id, []).append(country)
        return [(region, sorted(members.get(region.pk, []))) for region in grouping.regions.all()]
