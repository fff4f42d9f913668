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

import csv
import enum
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.network.models import Network, Role
from amparo.network.services import scope_of
from amparo.registry.models import Term

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


def _world() -> dict[str, Shape]:
    """Every term as it is now, by code."""
    terms = list(Term.objects.all())
    codes = {term.pk: term.code for term in terms}
    return {term.code: shape_of(term, codes) for term in terms}


def _inherit(shape: Shape, world: dict[str, Shape]) -> Shape:
    """A perpetrator left neither state nor non-state takes its broader term's answer."""
    parent = world.get(shape.parent)
    if shape.kind == Term.Kind.PERPETRATOR and shape.state_actor is None and parent is not None:
        return replace(shape, state_actor=parent.state_actor)
    return shape


def check(shape: Shape, term: Term | None = None) -> tuple[Shape, dict[str, list[str]]]:
    """`shape` as it would be stored (a perpetrator left empty takes its broader term's state)
    and what is wrong with storing it, by field: as a new term, or over `term`."""
    world = _world()
    shape = _inherit(shape, world)
    found = problems(shape, {**world, shape.code: shape}, world.get(term.code) if term is not None else None)
    if term is None and shape.code in world:
        found.setdefault("code", []).append(_("Another term already has this code."))
    return shape, found


def problems(shape: Shape, world: dict[str, Shape], was: Shape | None = None) -> dict[str, list[str]]:
    """What is wrong with writing `shape` into `world` (every term by code, `shape` included),
    by field. `was` is the term as it is now, None for a new one."""
    found: dict[str, list[str]] = defaultdict(list)
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
    parent = world.get(shape.parent) if shape.parent else None
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
    if shape.kind == Term.Kind.PERPETRATOR:
        if shape.state_actor is None:
            found["state_actor"].append(_("Say whether this perpetrator is a state actor or not."))
        elif parent is not None and parent.kind == shape.kind and parent.state_actor != shape.state_actor:
            message = (_("Its broader term “%(term)s” is a state actor, so this one is too.") if parent.state_actor
                       else _("Its broader term “%(term)s” is not a state actor, so this one is not either."))
            found["state_actor"].append(message % {"term": parent.name})
    elif shape.state_actor is not None:
        found["state_actor"].append(_("Only perpetrators are state or non-state actors."))
    return dict(found)


def _loops(shape: Shape, world: dict[str, Shape]) -> bool:
    seen, code = {shape.code}, shape.parent
    while code:
        if code in seen:
            return True
        seen.add(code)
        code = world[code].parent if code in world else ""
    return False


# --- Writing -----------------------------------------------------------------------------------

def _scope(actor: Actor) -> str:
    """Terms belong to no network; the entry is scoped to the network the actor coordinates, so
    her fellow coordinators read it in their audit log. Commands ("system") leave it unscoped."""
    if not isinstance(actor, User):
        return ""
    network = Network.objects.filter(memberships__user=actor, memberships__role=Role.COORDINATOR,
                                     memberships__ended_at__isnull=True).order_by("id").first()
    return scope_of(network) if network is not None else ""


def _labels(en: str, es: str, fr: str, pt: str) -> tuple[str, str, str, str]:
    return (en.strip(), es.strip(), fr.strip(), pt.strip())


def _write(actor: Actor, scope: str, shape: Shape, term: Term | None, counter: Counter[str]) -> Term:
    """Store `shape` (already checked) as a new term or over `term`; carry a changed state
    down the branch. Retirement is not written here."""
    parent = Term.objects.get(code=shape.parent) if shape.parent else None
    action = "term.updated"
    if term is None:
        action = "term.created"
        top = Term.objects.filter(kind=shape.kind).aggregate(top=Max("position"))["top"] or 0
        term = Term(kind=shape.kind, code=shape.code, position=top + 1)
    elif shape_of(term) == replace(shape, retired=term.retired_at is not None):
        return term
    state_changed = term.pk is not None and term.state_actor != shape.state_actor
    term.parent, term.state_actor = parent, shape.state_actor
    term.label_en, term.label_es, term.label_fr, term.label_pt = shape.labels
    term.save()
    record_audit(actor, action, term, scope=scope)
    counter[action] += 1
    if state_changed:
        for child in term.children.all():
            _write(actor, scope, replace(shape_of(child), state_actor=shape.state_actor), child, counter)
    return term


def create_term(
    actor: Actor, *, kind: str, code: str, label_en: str, label_es: str = "", label_fr: str = "",
    label_pt: str = "", parent: Term | None = None, state_actor: bool | None = None,
) -> Term:
    """Add a term at the end of its kind, or raise ValidationError by field. Sending the same
    term twice (a double submit on a slow line) stores it once and returns the first."""
    shape = Shape(kind, code.strip(), parent.code if parent else "", state_actor,
                  _labels(label_en, label_es, label_fr, label_pt), retired=False)
    with transaction.atomic():
        shape, found = check(shape)
        existing = Term.objects.filter(code=shape.code).first()
        if existing is not None and shape_of(existing) == shape:
            return existing
        if found:
            raise ValidationError(found)
        return _write(actor, _scope(actor), shape, None, Counter())


class _Keep(enum.Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


def update_term(
    actor: Actor, term: Term, *, parent: Term | None | _Keep = KEEP, state_actor: bool | None | _Keep = KEEP,
    label_en: str | _Keep = KEEP, label_es: str | _Keep = KEEP, label_fr: str | _Keep = KEEP,
    label_pt: str | _Keep = KEEP,
) -> Term:
    """Change what is given (code and kind never change); raise ValidationError by field.
    A perpetrator's new state carries down its branch. Nothing changed, nothing written."""
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        was = shape_of(current)
        given = (label_en, label_es, label_fr, label_pt)
        labels = _labels(*(old if new is KEEP else new for old, new in zip(was.labels, given, strict=True)))
        shape = Shape(
            was.kind, was.code,
            was.parent if isinstance(parent, _Keep) else (parent.code if parent else ""),
            was.state_actor if isinstance(state_actor, _Keep) else state_actor, labels, was.retired)
        shape, found = check(shape, current)
        if found:
            raise ValidationError(found)
        written = _write(actor, _scope(actor), shape, current, Counter())
    term.refresh_from_db()
    return written


def retire_term(actor: Actor, term: Term) -> Term:
    """Stop offering a term and every narrower term under it. Records that use them keep them
    (a term is never deleted). Already retired: nothing happens."""
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        if current.retired_at is None:
            _retire(actor, _scope(actor), current, timezone.now(), Counter())
    term.refresh_from_db()
    return term


def _retire(actor: Actor, scope: str, term: Term, when: datetime, counter: Counter[str]) -> None:
    pending = [term]
    while pending:
        current = pending.pop()
        if current.retired_at is None:
            current.retired_at = when
            current.save(update_fields=["retired_at"])
            record_audit(actor, "term.retired", current, scope=scope)
            counter["term.retired"] += 1
        pending += list(current.children.all())


def restore_term(actor: Actor, term: Term) -> Term:
    """Offer a retired term again, with the narrower terms retired together with it. Raises
    ValidationError while its broader term is retired. Not retired: nothing happens."""
    with transaction.atomic():
        current = Term.objects.select_for_update().get(pk=term.pk)
        if current.retired_at is not None:
            if current.parent is not None and current.parent.retired_at is not None:
                raise ValidationError(_("Its broader term “%(label)s” is retired: restore that one first.")
                                      % {"label": current.parent.label()})
            when, pending, scope = current.retired_at, [current], _scope(actor)
            while pending:
                one = pending.pop()
                _restore(actor, scope, one, Counter())
                pending += list(one.children.filter(retired_at=when))
    term.refresh_from_db()
    return term


def _restore(actor: Actor, scope: str, term: Term, counter: Counter[str]) -> None:
    term.retired_at = None
    term.save(update_fields=["retired_at"])
    record_audit(actor, "term.restored", term, scope=scope)
    counter["term.restored"] += 1


# --- CSV -------------------------------------------------------------------------------------

def _escape(cell: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running the cell as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def export_csv(kind: str | None = None) -> str:
    """The vocabulary (one kind, or all) as CSV, one column per language, retired terms
    included and marked; every broader term comes before its narrower ones. Cells that a
    spreadsheet would run as formulas are escaped."""
    if kind is not None and kind not in Term.Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for each in [kind] if kind else Term.Kind.values:
        entries = terms_for(each, include_retired=True)
        codes = {entry.term.pk: entry.term.code for entry in entries}
        for entry in entries:
            shape = shape_of(entry.term, codes)
            cells = [shape.kind, shape.code, shape.parent, yes_no(shape.state_actor), *shape.labels,
                     "yes" if shape.retired else ""]
            writer.writerow([_escape(cell) for cell in cells])
    return out.getvalue()


@dataclass(frozen=True)
class LineError:
    line: int
    column: str  # "" when the whole line (or the file) is at fault
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


def _flag(text: str, column: str, line: int, errors: list[LineError]) -> bool | None:
    value = text.lower()
    if value in YES:
        return True
    if value in NO:
        return False
    if value:
        errors.append(LineError(line, column, _("Write yes, no, or leave it empty.")))
    return None


def _read(text: str, result: ImportResult) -> list[_Row]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        return _rows(reader, result)
    except csv.Error:
        result.errors.append(LineError(reader.line_num, "", _("This line cannot be read as CSV.")))
        return []


def _rows(reader: Iterator[list[str]], result: ImportResult) -> list[_Row]:
    header = [cell.strip().lower() for cell in next(reader, [])]
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in ("kind", "code", "label_en") if name not in header]
    if unknown or missing or len(set(header)) != len(header):
        result.errors.append(LineError(1, "", _(
            "The first line must name the columns: %(columns)s (kind, code and label_en are needed)."
        ) % {"columns": ",".join(COLUMNS)}))
        return []
    rows, line = [], reader.line_num + 1  # type: ignore[attr-defined]
    for cells in reader:
        if any(cell.strip() for cell in cells[len(header):]):
            result.errors.append(LineError(line, "", _("This line has more cells than the first line names.")))
        elif any(cell.strip() for cell in cells):
            padded = [*cells[:len(header)], *[""] * (len(header) - len(cells))]
            rows.append(_Row(line, {name: _unescape(cell).strip() for name, cell in zip(header, padded, strict=True)}))
        line = reader.line_num + 1  # type: ignore[attr-defined]
    return rows


def _shapes(rows: list[_Row], world: dict[str, Shape], result: ImportResult) -> dict[str, tuple[_Row, Shape]]:
    """What each line asks for, over the term as it is now: an absent column keeps its value."""
    wanted: dict[str, tuple[_Row, Shape]] = {}
    for row in rows:
        cells, code = row.cells, row.cells["code"]
        if code and code in wanted:
            message = _("The code “%(code)s” is already on line %(line)d.")
            result.errors.append(LineError(row.line, "code", message % {"code": code, "line": wanted[code][0].line}))
            continue
        was = world.get(code) or Shape(cells["kind"], code, "", None, ("", "", "", ""), False)
        state, retired = was.state_actor, was.retired
        if "state_actor" in cells:
            state = _flag(cells["state_actor"], "state_actor", row.line, result.errors)
        if "retired" in cells:
            retired = bool(_flag(cells["retired"], "retired", row.line, result.errors))
        en, es, fr, pt = (cells.get(name, old) for name, old in zip(LABELS, was.labels, strict=True))
        wanted[code] = (row, Shape(cells["kind"].lower(), code, cells.get("parent", was.parent), state,
                                   (en, es, fr, pt), retired))
    return wanted


def _settle(final: dict[str, Shape], named: set[str], world: dict[str, Shape]) -> None:
    """Perpetrators' states as they will be once the file is in, walking down from the top: a
    line that leaves it empty takes its broader term's, and a changed state carries down to the
    terms that the file does not name (as `_write` will carry it)."""
    children: dict[str, list[str]] = defaultdict(list)
    for code, shape in final.items():
        children[shape.parent].append(code)
    pending, seen = list(children[""]), set()
    while pending:
        code = pending.pop()
        seen.add(code)
        shape, parent = final[code], final.get(final[code].parent)
        if parent is not None and shape.kind == Term.Kind.PERPETRATOR:
            changed = parent.code in world and world[parent.code].state_actor != parent.state_actor
            if (code in named and shape.state_actor is None) or (code not in named and changed):
                final[code] = replace(shape, state_actor=parent.state_actor)
        pending += [child for child in children[code] if child not in seen]
    for code in named - seen:  # under a missing parent, or in a loop: problems() says so
        final[code] = _inherit(final[code], final)


def _depth(code: str, final: dict[str, Shape]) -> int:
    depth, seen = 0, {code}
    while (code := final[code].parent) in final and code not in seen:
        depth, seen = depth + 1, seen | {code}
    return depth


def import_csv(text: str, actor: Actor) -> ImportResult:
    """Create or update terms by code from CSV with the columns of `export_csv`. Every line is
    checked against the vocabulary as it will be once the whole file is in, and any error
    (reported by line number) means nothing is written; otherwise all of it is written in one
    transaction, each change audited. Importing an export unchanged changes nothing."""
    result = ImportResult()
    rows = _read(text, result)
    with transaction.atomic():
        world = _world()
        wanted = _shapes(rows, world, result)
        final = {**world, **{code: shape for code, (_row, shape) in wanted.items()}}
        _settle(final, set(wanted), world)
        order = sorted(wanted, key=lambda code: _depth(code, final))  # broader terms first
        for code in order:
            row, shape = wanted[code][0], final[code]
            for column, messages in problems(shape, final, world.get(code)).items():
                result.errors += [LineError(row.line, column, message) for message in messages]
        if result.errors:
            result.errors.sort(key=lambda error: error.line)
            return result
        counter: Counter[str] = Counter()
        scope, now = _scope(actor), timezone.now()
        for code in order:
            before = sum(counter.values())
            # Fetched afresh: a broader term's change may have carried down to this one.
            term = _write(actor, scope, final[code], Term.objects.filter(code=code).first(), counter)
            if final[code].retired and term.retired_at is None:
                _retire(actor, scope, term, now, counter)
            elif not final[code].retired and term.retired_at is not None:
                _restore(actor, scope, term, counter)
            result.unchanged += sum(counter.values()) == before
    result.created, result.updated = counter["term.created"], counter["term.updated"]
    result.retired, result.restored = counter["term.retired"], counter["term.restored"]
    return result
