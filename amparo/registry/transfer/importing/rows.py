"""Reading a CSV file through a mapping: each row becomes a `RowData`, or errors that name
the row as a spreadsheet numbers it (the header is row 1), the column and the reason.

Nothing here writes. Rows are read one at a time (the file is never held whole): what a row
needs of the others is only whether its identifier came before, kept compactly (`_Seen`); the
errors are all counted but only the first MAX_KEPT_ERRORS kept (`Errors`)."""

from __future__ import annotations

import csv
import json
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from amparo.registry import sealing
from amparo.registry.models import Defender, Incident
from amparo.registry.transfer.exporting import unescape_formula
from amparo.registry.transfer.importing.mapping import (
    BOOLEANS,
    CHOICES,
    DEFENDER_FIELDS,
    SEALED_FIELDS,
    TERM_FIELDS,
    CellError,
    Lookups,
    Mapping,
    Source,
    converter,
    fold,
    subdivision_code,
)

csv.field_size_limit(16 * 1024 * 1024)  # a narrative may be long; the upload limit bounds the file


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.line <= 0:  # the file or the desk as a whole
            return self.reason
        where = f"row {self.line}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


MAX_KEPT_ERRORS = 1000


class Errors(list[RowError]):
    """The errors of one file: each counted (in all, by row, and by column), the first
    `keep` of them kept with their row, column and reason, so a file with a million bad rows
    neither fills the memory nor loses any count."""

    def __init__(self, keep: int | None = None) -> None:
        super().__init__()
        self.keep, self.total, self.rows = MAX_KEPT_ERRORS if keep is None else keep, 0, 0
        self.by_column: Counter[str] = Counter()
        self._last_line = 0

    def append(self, error: RowError) -> None:
        self.total += 1
        if error.line > 1 and error.line != self._last_line:  # a row's errors come together
            self.rows += 1
            self._last_line = error.line
        self.by_column[error.column] += 1
        if len(self) < self.keep:
            super().append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)


def error_count(errors: list[RowError]) -> int:
    return errors.total if isinstance(errors, Errors) else len(errors)


class _Seen:
    """The identifiers met so far in a file, and on which row, in about 12 bytes a row (a dict
    of keys would take 200): 76 bits of each row's key, in 4,096 byte strings searched in C.
    Two different identifiers share 76 bits with odds of 1 in 10^11 in a file of a million
    rows."""

    def __init__(self) -> None:
        self.keys: dict[int, bytearray] = {}
        self.lines: dict[int, array[int]] = {}

    def first(self, key: str, line: int) -> int | None:
        """The row where `key` was first met, or None (and `line` is remembered)."""
        bucket, probe = int(key[:3], 16), bytes.fromhex(key[3:19])
        keys = self.keys.get(bucket)
        if keys is None:
            keys = self.keys[bucket] = bytearray()
            self.lines[bucket] = array("I")
        at = keys.find(probe)
        while at % 8 and at != -1:  # a match across two entries: look further
            at = keys.find(probe, at + 1)
        if at != -1:
            return self.lines[bucket][at // 8]
        keys += probe
        self.lines[bucket].append(line)
        return None


@dataclass(slots=True)
class DefenderRow:
    name: str
    kind: str = Defender.Kind.INDIVIDUAL
    gender: int | None = None
    profiles: list[int] = field(default_factory=list)


@dataclass(slots=True)
class RowData:
    line: int
    key: str  # keyed index of (source, identifier): the identifier itself is never stored
    clear: dict[str, Any]
    sealed: dict[str, str]
    terms: dict[str, list[int]]
    defenders: list[DefenderRow]
    digest: str = ""


def row_key(source_name: str, identifier: str) -> str:
    """The keyed index that recognises a row on re-import (sealing.import_row_key)."""
    return sealing.import_row_key(source_name, identifier)


def row_digest(row: RowData) -> str:
    """A keyed digest of everything the row maps to: equal digests mean an unchanged row."""
    canonical = json.dumps(
        [row.clear, row.sealed, row.terms, [[d.name, d.kind, d.gender, d.profiles] for d in row.defenders]],
        sort_keys=True, default=str, separators=(",", ":"),
    )
    return sealing.import_row_digest(canonical)


def split_cell(text: str, separator: str, escaped: bool) -> list[str]:
    """Split a multi-valued cell; with `escaped`, a backslash keeps the next character (our own
    exports write "\\|" for a "|" inside a value, and "\\\\" for a backslash)."""
    if not escaped or len(separator) != 1:
        return text.split(separator)
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


class _Field:
    """One field of the mapping, compiled against the file's header."""

    def __init__(self, name: str, sources: list[Source], header: dict[str, int], lookups: Lookups,
                 century_from: int) -> None:
        self.name = name
        self.convert = converter(name, lookups, century_from)
        self.sources = [(s, header.get(s.column) if s.column else None,
                         header.get(s.latitude) if s.latitude else None,
                         header.get(s.longitude) if s.longitude else None) for s in sources]
        # The longest text that may fold to one of a source's words: NFKD turns one character
        # into at most 18, and folding otherwise only shortens. A longer cell (a narrative) is
        # then never folded: folding it is most of the cost of reading a row, for nothing.
        self.longest = {id(s): 18 * max((len(w) for w in (*s.unknown, *s.folded)), default=0) for s in sources}

    def values(self, cells: list[str], errors: list[RowError], line: int, positional: bool = False,
               first_only: bool = False) -> list[Any]:
        """The converted values of the first source that gives any (`first_only`), or of all."""
        found: list[Any] = []
        for source, index, lat, lon in self.sources:
            got = self._from_source(source, index, lat, lon, cells, errors, line, positional)
            if any(v is not None for v in got):
                if first_only:
                    return got
                found += got
        return found

    def _from_source(self, source: Source, index: int | None, lat: int | None, lon: int | None,
                     cells: list[str], errors: list[RowError], line: int, positional: bool) -> list[Any]:
        if source.latitude:
            la, lo = _cell(cells, lat), _cell(cells, lon)
            if fold(la) in source.unknown and fold(lo) in source.unknown:
                return []
            return self._converted(f"{la} {lo}", source, f"{source.latitude}/{source.longitude}", errors, line)
        if source.column is None:  # a constant
            constant = source.constant
            items = constant if isinstance(constant, list) else [constant]
            converted = [self.convert(item.strip() if isinstance(item, str) else item, source) for item in items
                         if item is not None]
            # A defender's profiles given as a constant are every defender's, all of them.
            return [converted] if self.name == "defender.profiles" and converted else converted
        raw = _cell(cells, index)
        parts = split_cell(raw, source.split, source.escaped) if source.split else [raw]
        out: list[Any] = []
        longest = self.longest[id(source)]
        for part in parts:
            text = part.strip()
            if not source.each_split and len(text) > longest and len(" ".join(text.split())) > longest:
                out += self._converted(text, source, source.column, errors, line)  # no word of the mapping
            else:
                out += self._part(text, source, source.column, errors, line, positional)
        return out

    def _part(self, text: str, source: Source, column: str, errors: list[RowError], line: int,
              positional: bool) -> list[Any]:
        """One (split) part of a cell: through the value map, an unknown word, or converted."""
        out: list[Any] = []
        if source.values and (text in source.values or fold(text) in source.folded):
            mapped = source.values[text] if text in source.values else source.folded[fold(text)]
            if mapped is None or mapped == "" or mapped == []:
                return [None] if positional else []
            for item in mapped if isinstance(mapped, list) else [mapped]:
                out += self._converted(item, source, column, errors, line)
            return out
        if fold(text) in source.unknown:
            return [None] if positional else []
        if source.each_split:
            return [[v for piece in text.split(source.each_split) if piece.strip()
                     for v in self._converted(piece.strip(), source, column, errors, line)]]
        return self._converted(text, source, column, errors, line)

    def _converted(self, value: Any, source: Source, column: str, errors: list[RowError], line: int) -> list[Any]:
        try:
            return [self.convert(value, source)]
        except CellError as exc:
            errors.append(RowError(line, column, f"{str(value)[:80]!r} {exc}"))
            return []


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


class RowReader:
    """Turns the rows of one file into RowData, collecting every error."""

    def __init__(self, mapping: Mapping, header: list[str], lookups: Lookups) -> None:
        self.mapping = mapping
        self.header = {name.strip(): i for i, name in reversed(list(enumerate(header)))}
        missing = sorted(c for c in mapping.columns() if c not in self.header)
        self.header_errors = [RowError(1, c, "this column is not in the file") for c in missing]
        self.fields = {name: _Field(name, sources, self.header, lookups, mapping.century_from)
                       for name, sources in mapping.fields.items()}
        self.key_indexes = [self.header.get(c) for c in ([mapping.identifier] if mapping.identifier
                                                         else mapping.key_columns)]
        self.key_names = [mapping.identifier] if mapping.identifier else mapping.key_columns
        self.seen = _Seen()

    def read(self, line: int, cells: list[str], errors: list[RowError]) -> RowData | None:
        before = error_count(errors)
        if self.mapping.formulas_escaped:  # a file we exported: take our apostrophes off
            cells = [unescape_formula(c) for c in cells]
        key = self._key(line, cells, errors)
        if key is None:
            return None
        clear = self._clear(cells, errors, line)
        sealed = self._sealed(cells, errors, line)
        f = self.fields
        terms = {name: sorted(set(f[name].values(cells, errors, line))) for name in TERM_FIELDS if name in f}
        defenders = self._defenders(cells, errors, line)
        if error_count(errors) > before:
            return None
        row = RowData(line, key, clear, sealed, terms, defenders)
        row.digest = row_digest(row)
        return row

    def _key(self, line: int, cells: list[str], errors: list[RowError]) -> str | None:
        """The row's key; None (and an error) when its identifier is blank or repeated."""
        ident = "\x1f".join(_cell(cells, i).strip() for i in self.key_indexes)
        if not ident.strip("\x1f"):
            errors.append(RowError(line, ", ".join(self.key_names), "the identifier is blank"))
            return None
        key = row_key(self.mapping.name, ident)
        first = self.seen.first(key, line)
        if first is not None:
            errors.append(RowError(line, ", ".join(self.key_names), f"the same identifier as row {first}"))
            return None
        return key

    def _first(self, name: str, cells: list[str], errors: list[RowError], line: int) -> list[Any]:
        """The field's first value, as a list of none or one (none when the mapping lacks it)."""
        return self.fields[name].values(cells, errors, line, first_only=True) if name in self.fields else []

    def _clear(self, cells: list[str], errors: list[RowError], line: int) -> dict[str, Any]:
        clear: dict[str, Any] = {"victims": 1, "date_precision": Incident.Precision.DAY, "occurred_on": None}
        if got := self._first("occurred_on", cells, errors, line):
            day, precision = got[0]
            clear["occurred_on"], clear["date_precision"] = _normal(day, precision), precision
        if "reported_on" in self.fields:
            got = self._first("reported_on", cells, errors, line)
            clear["reported_on"] = got[0][0] if got else None
        got = self._first("country", cells, errors, line)
        clear["country"] = country = got[0] if got else ""
        clear["subdivision"] = self._subdivision(country, cells, errors, line)
        for name in ("victims", *CHOICES, *BOOLEANS, "reported_to"):
            if got := self._first(name, cells, errors, line):
                clear[name] = got[0]
        if len(clear.get("reported_to", "")) > 200:
            errors.append(RowError(line, "reported_to", "is longer than 200 characters"))
        return clear

    def _subdivision(self, country: str, cells: list[str], errors: list[RowError], line: int) -> str:
        got = self._first("subdivision", cells, errors, line)
        if not got:
            return ""
        try:
            return subdivision_code(country, got[0])
        except CellError as exc:
            column = next((s.column or "" for s in self.mapping.fields["subdivision"] if s.column), "")
            errors.append(RowError(line, column, f"{got[0]!r} {exc}"))
            return ""

    def _sealed(self, cells: list[str], errors: list[RowError], line: int) -> dict[str, str]:
        sealed: dict[str, str] = {}
        if "coordinates" in self.fields:
            got = self._first("coordinates", cells, errors, line)
            sealed["coordinates"] = got[0] if got else ""
        for name in SEALED_FIELDS:
            if name in self.fields:
                sealed[name] = self._text(name, cells, errors, line)
        return sealed

    def _text(self, name: str, cells: list[str], errors: list[RowError], line: int) -> str:
        """A text field: the non-blank parts of its sources, each on its own line, labelled."""
        parts = []
        for source, index, lat, lon in self.fields[name].sources:
            for value in self.fields[name]._from_source(source, index, lat, lon, cells, errors, line, False):
                text = str(value).strip()
                if text:
                    parts.append(f"{source.label}: {text}" if source.label else text)
        return "\n".join(parts)

    def _defenders(self, cells: list[str], errors: list[RowError], line: int) -> list[DefenderRow]:
        if "defender.name" not in self.fields:
            return []
        got: dict[str, list[Any]] = {
            name: self.fields[name].values(cells, errors, line, positional=True, first_only=True)
            for name in DEFENDER_FIELDS if name in self.fields
        }
        found = []
        for i, name in enumerate(got["defender.name"]):
            if not name or not str(name).strip():
                continue
            defender = DefenderRow(name=str(name).strip())
            kind, gender, profiles = (_at(got.get(n, []), i) for n in DEFENDER_FIELDS[1:])
            if kind:
                defender.kind = kind
            defender.gender = gender
            if profiles:
                defender.profiles = sorted(set(profiles if isinstance(profiles, list) else [profiles]))
            found.append(defender)
        return found


def _at(values: list[Any], i: int) -> Any:
    """The i-th value for the i-th defender; a single value is every defender's."""
    if len(values) == 1:
        return values[0]
    return values[i] if i < len(values) else None


def _normal(day: date, precision: str) -> date:
    if precision == Incident.Precision.MONTH:
        return day.replace(day=1)
    if precision == Incident.Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def read_rows(mapping: Mapping, lines: Iterable[str], lookups: Lookups, errors: list[RowError],
              progress: Callable[[int], None] | None = None) -> Iterator[RowData]:
    """Every valid row of the file, in order; invalid ones add to `errors` (and are left out).
    Rows whose every cell is blank (a spreadsheet's trailing rows) are skipped."""
    reader = csv.reader(lines, delimiter=mapping.delimiter)
    try:
        header = next(reader)
    except StopIteration:
        errors.append(RowError(1, "", "the file is empty"))
        return
    except csv.Error as exc:
        errors.append(RowError(1, "", f"the file is not CSV: {exc}"))
        return
    rows = RowReader(mapping, header, lookups)
    if rows.header_errors:
        errors.extend(rows.header_errors)
        return
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line + 1, "", f"the file is not valid CSV here: {exc}"))
            break
        line += 1
        if progress is not None and line % 1000 == 0:
            progress(line - 1)
        if not any(c.strip() for c in cells):
            continue
        row = rows.read(line, cells, errors)
        if row is not None:
            yield row
    if progress is not None:
        progress(line - 1)
