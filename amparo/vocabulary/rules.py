"""The shared vocabulary: every write to terms, the tree that pages and forms read, and the
vocabulary as CSV in and out.

Rules every write keeps, whichever way it comes (page, admin, CSV, command):
- a code is stable: lowercase, set once, never changed; a term's kind never changes either;
- a term sits under a broader term of its own kind, never under itself or a narrower term;
- every perpetrator is a state actor or not, and a narrower term is what its broader term is
  (left empty, it takes its broader term's; changing it carries the change down the branch);
- terms are never deleted, because records keep pointing at them: a term is retired, which
  takes it, and the narrower terms under it, out of what forms offer;
- every write appends an audit entry ("term.created", "term.updated", "term.retired",
  "term.restored"), in the same transaction.

"Unknown perpetrator" (`UNKNOWN_PERPETRATOR`) is a non-state term: a share of attacks "linked
to the state" counts only terms marked as state actors, so an unknown author never counts as
the state. A breakdown in three (state, non-state, unknown) singles out its branch.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.vocabulary.models import Term

Actor = User | str  # a user, or "system" for commands

UNKNOWN_PERPETRATOR = "perpetrator.unknown"
LANGUAGES = ("en", "es", "fr", "pt")
LABELS = tuple(f"label_{language}" for language in LANGUAGES)
COLUMNS = ("kind", "code", "parent", "state_actor", *LABELS, "retired")
CODE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
CODE_MAX, LABEL_MAX = 64, 200
# A spreadsheet runs a cell that starts with one of these as a formula (DESIGN.md, rule 8).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES, NO = ("yes", "true", "1"), ("no", "false", "0")



# --- What a term will be, and whether that is allowed ----------------------------------------

@dataclass(frozen=True)
class Shape:
    """A term as values, before it is written: `parent` is the broader term's code ("" for none)."""

    kind: str
    code: str
    parent: str
    state_actor: bool | None
    labels: tuple[str, str, str, str]
    retired: bool

    @property
    def name(self) -> str:
        """The label in the reader's language (English when missing), as people know the term."""
        language = (get_language() or "en")[:2]
        labels = dict(zip(LANGUAGES, self.labels, strict=True))
        return labels.get(language) or labels["en"] or self.code


def shape_of(term: Term, codes: dict[int, str] | None = None) -> Shape:
    if term.parent_id is None:
        parent = ""
    else:
        parent = codes[term.parent_id] if codes is not None else Term.objects.get(pk=term.parent_id).code
    labels = (term.label_en, term.label_es, term.label_fr, term.label_pt)
    return Shape(term.kind, term.code, parent, term.state_actor, labels, term.retired_at is not None)


def world_of_terms() -> dict[str, Shape]:
    """Every term as it is now, by code."""
    terms = list(Term.objects.all())
    codes = {term.pk: term.code for term in terms}
    return {term.code: shape_of(term, codes) for term in terms}


def inherit(shape: Shape, world: dict[str, Shape]) -> Shape:
    """A perpetrator left neither state nor non-state takes its broader term's answer."""
    parent = world.get(shape.parent)
    if shape.kind == Term.Kind.PERPETRATOR and shape.state_actor is None and parent is not None:
        return replace(shape, state_actor=parent.state_actor)
    return shape


def check(shape: Shape, term: Term | None = None) -> tuple[Shape, dict[str, list[str]]]:
    """`shape` as it would be stored (a perpetrator left empty takes its broader term's state)
    and what is wrong with storing it, by field: as a new term, or over `term`."""
    world = world_of_terms()
    shape = inherit(shape, world)
    found = problems(shape, {**world, shape.code: shape}, world.get(term.code) if term is not None else None)
    if term is None and shape.code in world:
        found.setdefault("code", []).append(_("Another term already has this code."))
    return shape, found


def problems(shape: Shape, world: dict[str, Shape], was: Shape | None = None) -> dict[str, list[str]]:
    """What is wrong with writing `shape` into `world` (every term by code, `shape` included),
    by field. `was` is the term as it is now, None for a new one."""
    found: dict[str, list[str]] = defaultdict(list)
    _kind_code_and_labels(shape, was, found)
    parent = world.get(shape.parent) if shape.parent else None
    _parent_problems(shape, parent, world, found)
    _state_problems(shape, parent, found)
    return dict(found)


def _kind_code_and_labels(shape: Shape, was: Shape | None, found: dict[str, list[str]]) -> None:
    if shape.kind not in Term.Kind.values:
        found["kind"].append(_("“%(kind)s” is not a kind of term.") % {"kind": shape.kind})
    elif was is not None and was.kind != shape.kind:
        found["kind"].append(_("A term's kind cannot change: records already use it."))
    if not CODE.match(shape.code) or len(shape.code) > CODE_MAX:
        found["code"].append(_("A code is lowercase letters and digits joined by dots, hyphens or "
                               "underscores, at most 64 characters, e.g. attack.threat.death."))
    if not shape.labels[0]:
        found["label_en"].append(_("An English label is needed: it is shown wherever a translation is missing."))
    for name, label in zip(LABELS, shape.labels, strict=True):
        if len(label) > LABEL_MAX:
            found[name].append(_("A label has at most 200 characters."))


def _parent_problems(shape: Shape, parent: Shape | None, world: dict[str, Shape], found: dict[str, list[str]]
                     ) -> None:
    if shape.parent and parent is None:
        found["parent"].append(_("There is no term with the code “%(code)s”.") % {"code": shape.parent})
    elif parent is not None:
        if parent.kind != shape.kind:
            found["parent"].append(_("The broader term “%(term)s” is of another kind.") % {"term": parent.name})
        elif _loops(shape, world):
            found["parent"].append(_("A term cannot sit under itself or under one of its narrower terms."))
        elif parent.retired and not shape.retired:
            found["parent"].append(_("The broader term “%(term)s” is retired: restore it first, or choose "
                                     "another.") % {"term": parent.name})


def _state_problems(shape: Shape, parent: Shape | None, found: dict[str, list[str]]) -> None:
    if shape.kind == Term.Kind.PERPETRATOR:
        if shape.state_actor is None:
            found["state_actor"].append(_("Say whether this perpetrator is a state actor or not."))
        elif parent is not None and parent.kind == shape.kind and parent.state_actor != shape.state_actor:
            message = (_("Its broader term “%(term)s” is a state actor, so this one is too.") if parent.state_actor
                       else _("Its broader term “%(term)s” is not a state actor, so this one is not either."))
            found["state_actor"].append(message % {"term": parent.name})
    elif shape.state_actor is not None:
        found["state_actor"].append(_("Only perpetrators are state or non-state actors."))


def _loops(shape: Shape, world: dict[str, Shape]) -> bool:
    seen, code = {shape.code}, shape.parent
    while code:
        if code in seen:
            return True
        seen.add(code)
        code = world[code].parent if code in world else ""
    return False


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")
