"""The vocabulary as CSV, out and in: an import runs through the same rules and writes as the
pages, in one transaction."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.vocabulary.actions import Action
from amparo.vocabulary.models import Term
from amparo.vocabulary.queries import terms_for
from amparo.vocabulary.rules import (
    COLUMNS,
    FORMULA_STARTS,
    LABELS,
    NO,
    YES,
    Actor,
    Shape,
    inherit,
    problems,
    shape_of,
    world_of_terms,
    yes_no,
)
from amparo.vocabulary.services.terms import audit_scope, restore_in, retire_in, write_shape

# --- CSV -------------------------------------------------------------------------------------

def _escape(cell: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running the cell as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


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
    rows, line = [], reader.line_num + 1  # type: ignore[attr-defined]  # csv.reader's stub is an Iterator without the reader's line_num
    for cells in reader:
        if any(cell.strip() for cell in cells[len(header):]):
            result.errors.append(LineError(line, "", _("This line has more cells than the first line names.")))
        elif any(cell.strip() for cell in cells):
            padded = [*cells[:len(header)], *[""] * (len(header) - len(cells))]
            rows.append(_Row(line, {name: _unescape(cell).strip() for name, cell in zip(header, padded, strict=True)}))
        line = reader.line_num + 1  # type: ignore[attr-defined]  # csv.reader's stub is an Iterator without the reader's line_num
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
    terms that the file does not name (as `write_shape` will carry it)."""
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
        final[code] = inherit(final[code], final)


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
        world = world_of_terms()
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
        scope, now = audit_scope(actor), timezone.now()
        for code in order:
            before = sum(counter.values())
            # Fetched afresh: a broader term's change may have carried down to this one.
            term = write_shape(actor, scope, final[code], Term.objects.filter(code=code).first(), counter)
            if final[code].retired and term.retired_at is None:
                retire_in(actor, scope, term, now, counter)
            elif not final[code].retired and term.retired_at is not None:
                restore_in(actor, scope, term, counter)
            result.unchanged += sum(counter.values()) == before
    result.created, result.updated = counter[Action.TERM_CREATED], counter[Action.TERM_UPDATED]
    result.retired, result.restored = counter[Action.TERM_RETIRED], counter[Action.TERM_RESTORED]
    return result
