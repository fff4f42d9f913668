"""The mapping: how one CSV file's columns and words become an incident (docs/import.md).

A mapping is JSON. `load_mapping` checks every key before any row is read, and compiles each
field into a converter, so that reading 100,000 rows is a loop of dictionary lookups.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pycountry

from amparo.registry import bounds
from amparo.registry.models import Defender, Incident
from amparo.vocabulary.models import Term


class MappingError(ValueError):
    """The mapping itself is wrong (before any row is read): every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class CellError(ValueError):
    """One cell cannot be read; the message says why, in words a documenter understands."""


# --- What each field is ---------------------------------------------------------------------

TERM_FIELDS = {
    "attack_types": Term.Kind.ATTACK_TYPE, "perpetrators": Term.Kind.PERPETRATOR,
    "risk_factors": Term.Kind.RISK_FACTOR, "profiles": Term.Kind.PROFILE, "victim_genders": Term.Kind.GENDER,
}
SEALED_FIELDS = ("locality", "narrative", "sources")  # and "coordinates", read on its own
CHOICES: dict[str, list[str]] = {
    # "duplicate" too: an exported duplicate comes back as one (without its original), so it
    # still stays out of statistics.
    "status": list(Incident.Status.values),
    "reported_to_authorities": list(Incident.Reported.values),
    "justice": list(Incident.Justice.values),
}
BOOLEANS = ("consent_statistics", "consent_public_appeal", "consent_un")
DEFENDER_FIELDS = ("defender.name", "defender.kind", "defender.gender", "defender.profiles")
FIELDS = (
    "occurred_on", "country", "subdivision", "coordinates", *SEALED_FIELDS, *TERM_FIELDS, "victims",
    *CHOICES, "reported_on", "reported_to", *BOOLEANS, *DEFENDER_FIELDS,
)
SOURCE_KEYS = {"column", "constant", "values", "split", "label", "unknown", "formats", "latitude", "longitude",
               "each_split", "escaped"}
TOP_KEYS = {"name", "description", "encoding", "delimiter", "identifier", "key_columns", "unknown", "dates",
            "constants", "fields", "formulas_escaped"}
PRECISIONS = list(Incident.Precision.values)
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1", "y", "sí", "si", "oui", "sim"}, {"false", "no", "0", "n", "non", "não"}
DEFAULT_UNKNOWN = ("",)


@dataclass(frozen=True)
class DateFormat:
    pattern: str
    precision: str


@dataclass
class Source:
    """Where one part of a field comes from: a column (through a value map) or a constant."""

    column: str | None = None
    constant: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    folded: dict[str, Any] = field(default_factory=dict)  # the value map, case and accents aside
    split: str | None = None
    each_split: str | None = None
    escaped: bool = False
    label: str = ""
    unknown: frozenset[str] = frozenset()
    formats: list[DateFormat] = field(default_factory=list)
    latitude: str | None = None
    longitude: str | None = None

    def columns(self) -> list[str]:
        return [c for c in (self.column, self.latitude, self.longitude) if c]


@dataclass
class Mapping:
    name: str
    fields: dict[str, list[Source]]
    identifier: str | None = None
    key_columns: list[str] = field(default_factory=list)
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    description: str = ""
    century_from: int = 1950
    formulas_escaped: bool = False

    def columns(self) -> set[str]:
        needed = set(self.key_columns) | ({self.identifier} if self.identifier else set())
        for sources in self.fields.values():
            for source in sources:
                needed.update(source.columns())
        return needed


@lru_cache(maxsize=65536)  # a file repeats its words: each is folded once
def fold(word: str) -> str:
    """A word compared with case, accents and surrounding spaces set aside."""
    decomposed = unicodedata.normalize("NFKD", " ".join(word.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Loading --------------------------------------------------------------------------------

def load_mapping(path: str | Path, lookups: Lookups | None = None) -> Mapping:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MappingError([f"the mapping cannot be read: {exc}"]) from exc
    return parse_mapping(raw, lookups)


def parse_mapping(raw: Any, lookups: Lookups | None = None) -> Mapping:
    """Check a mapping (already decoded from JSON): raises MappingError naming every problem."""
    lookups = lookups or Lookups()
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise MappingError(["a mapping is a JSON object"])
    name, identifier, key_columns = _source_and_key(raw, problems)
    unknown = _unknown_words(raw, problems)
    default_formats, century_from = _dates(raw, problems)
    fields = _fields(raw, frozenset(fold(w) for w in unknown), default_formats, lookups, problems)
    if problems:
        raise MappingError(problems)
    return Mapping(
        name=str(name).strip(), fields=fields, identifier=identifier or None, key_columns=list(key_columns),
        encoding=raw.get("encoding", "utf-8-sig"), delimiter=raw.get("delimiter", ","),
        description=raw.get("description", ""), century_from=century_from,
        formulas_escaped=bool(raw.get("formulas_escaped", False)),
    )


def _source_and_key(raw: dict[str, Any], problems: list[str]) -> tuple[Any, str | None, Any]:
    """The top keys, the source's name, how a row is recognised and how the file is read."""
    for key in sorted(set(raw) - TOP_KEYS):
        problems.append(f"unknown key {key!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("'name' is required: it names the source, and is part of every row's key")
    identifier, key_columns = raw.get("identifier"), raw.get("key_columns") or []
    if identifier is not None and not isinstance(identifier, str):
        problems.append("'identifier' is a column name")
        identifier = None
    for key, what in (("encoding", "the name of an encoding, e.g. \"utf-8\" or \"latin-1\""),
                      ("description", "words for people")):
        if not isinstance(raw.get(key, ""), str):
            problems.append(f"{key!r} is {what}")
    delimiter = raw.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        problems.append("'delimiter' is one character, e.g. \",\" or \";\"")
    if bool(identifier) == bool(key_columns):
        problems.append("give either 'identifier' (a column) or 'key_columns' (a list of columns)")
    if not isinstance(key_columns, list) or not all(isinstance(c, str) for c in key_columns):
        problems.append("'key_columns' is a list of column names")
    return name, identifier, key_columns


def _unknown_words(raw: dict[str, Any], problems: list[str]) -> list[str]:
    unknown = raw.get("unknown", list(DEFAULT_UNKNOWN))
    if not isinstance(unknown, list) or not all(isinstance(w, str) for w in unknown):
        problems.append("'unknown' is a list of words")
        unknown = list(DEFAULT_UNKNOWN)
    return unknown


def _dates(raw: dict[str, Any], problems: list[str]) -> tuple[list[DateFormat], int]:
    """The date formats every date field uses unless it says otherwise, and the century rule."""
    dates = raw.get("dates") or {}
    if not isinstance(dates, dict):
        problems.append("'dates' is an object: {\"formats\": [...], \"century_from\": 1950}")
        dates = {}
    default_formats = _formats(dates.get("formats", [{"pattern": "%Y-%m-%d", "precision": "day"}]), "dates",
                               problems)
    century_from = dates.get("century_from", 1950)
    if not isinstance(century_from, int) or not 1000 <= century_from <= 9000:
        problems.append("'dates.century_from' is a year, e.g. 1930 (two-digit years then run 1930-2029)")
        century_from = 1950
    return default_formats, century_from


def _object(raw: dict[str, Any], key: str, problem: str, problems: list[str], *, required: bool = False
            ) -> dict[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict) or (required and not value):
        problems.append(problem)
        return {}
    return value


def _fields(raw: dict[str, Any], global_unknown: frozenset[str], default_formats: list[DateFormat],
            lookups: Lookups, problems: list[str]) -> dict[str, list[Source]]:
    """Each field's sources: its columns, then its constant."""
    fields_raw = _object(raw, "fields", "'fields' is an object: field name -> source(s)", problems, required=True)
    constants = _object(raw, "constants", "'constants' is an object: field name -> value", problems)
    fields: dict[str, list[Source]] = {}
    for name_, spec in fields_raw.items():
        if name_ not in FIELDS:
            problems.append(f"unknown field {name_!r} (known: {', '.join(FIELDS)})")
            continue
        specs = spec if isinstance(spec, list) else [spec]
        fields[name_] = [_source(name_, s, global_unknown, default_formats, lookups, problems) for s in specs]
    for name_, value in constants.items():
        if name_ not in FIELDS:
            problems.append(f"unknown field {name_!r} in 'constants'")
            continue
        fields.setdefault(name_, []).append(_source(name_, {"constant": value}, global_unknown, default_formats,
                                                    lookups, problems))
    if fields.get("defender.name") is None and any(f in fields for f in DEFENDER_FIELDS):
        problems.append("'defender.kind', 'defender.gender' and 'defender.profiles' need 'defender.name'")
    return fields


def _formats(raw: Any, where: str, problems: list[str]) -> list[DateFormat]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"'{where}.formats' is a list of {{\"pattern\": ..., \"precision\": ...}}")
        return []
    found = []
    for item in raw:
        if isinstance(item, str):
            item = {"pattern": item, "precision": "day"}
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str) \
                or item.get("precision", "day") not in PRECISIONS:
            problems.append(f"'{where}.formats': each is a strptime pattern with a precision "
                            f"({', '.join(PRECISIONS)}), not {item!r}")
            continue
        found.append(DateFormat(item["pattern"], item.get("precision", "day")))
    return found


def _source(name: str, spec: Any, global_unknown: frozenset[str], default_formats: list[DateFormat],
            lookups: Lookups, problems: list[str]) -> Source:
    where = f"field {name!r}"
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        problems.append(f"{where}: a source is a column name or an object")
        return Source()
    if not _source_shape(name, spec, where, problems):
        return Source()
    values = spec.get("values") or {}
    if not isinstance(values, dict):
        problems.append(f"{where}: 'values' maps the file's words onto codes")
        values = {}
    unknown = spec.get("unknown")
    if unknown is not None and (not isinstance(unknown, list) or not all(isinstance(w, str) for w in unknown)):
        problems.append(f"{where}: 'unknown' is a list of words")
        unknown = None
    formats = _formats(spec["formats"], where, problems) if "formats" in spec else default_formats
    source = Source(
        column=spec.get("column"), constant=spec.get("constant"), values=values,
        folded={fold(k): v for k, v in values.items()}, split=spec.get("split"), each_split=spec.get("each_split"),
        escaped=bool(spec.get("escaped", False)),
        label=spec.get("label", ""), formats=formats, latitude=spec.get("latitude"), longitude=spec.get("longitude"),
        unknown=frozenset(fold(w) for w in unknown) if unknown is not None else global_unknown,
    )
    # Every code a value map or a constant names must exist now: a typo in the mapping is the
    # mapping's error, not 2,106 row errors.
    targets: list[Any] = list(values.values())
    if "constant" in spec:
        targets += spec["constant"] if isinstance(spec["constant"], list) else [spec["constant"]]
    _check_targets(name, targets, source, lookups, where, problems)
    return source


def _source_shape(name: str, spec: dict[str, Any], where: str, problems: list[str]) -> bool:
    """Its keys and where its values come from; False when it cannot be read further."""
    for key in sorted(set(spec) - SOURCE_KEYS):
        problems.append(f"{where}: unknown key {key!r}")
    for key in ("column", "split", "each_split", "label", "latitude", "longitude"):
        if key in spec and not isinstance(spec[key], str):
            problems.append(f"{where}: {key!r} is text")
            return False
    has_pair = "latitude" in spec or "longitude" in spec
    if sum(("column" in spec, "constant" in spec, has_pair)) != 1:
        problems.append(f"{where}: give exactly one of 'column', 'constant' or 'latitude' + 'longitude'")
    if has_pair and (name != "coordinates" or not (spec.get("latitude") and spec.get("longitude"))):
        problems.append(f"{where}: 'latitude' and 'longitude' go together, for 'coordinates' only")
    return True


def _check_targets(name: str, targets: list[Any], source: Source, lookups: Lookups, where: str,
                   problems: list[str]) -> None:
    convert = converter(name, lookups)
    for target in targets:
        if target is None or (isinstance(target, str) and not target.strip()):
            continue
        parts = target if isinstance(target, list) else [target]
        if not all(isinstance(part, str | int | float | bool) for part in parts):
            problems.append(f"{where}: {target!r} is not a code, a word or a list of them")
            continue
        for part in parts:
            try:
                convert(part if not isinstance(part, str) else part.strip(), source)
            except CellError as exc:
                problems.append(f"{where}: {part!r} {exc}")


# --- Converting one value -------------------------------------------------------------------

def converter(name: str, lookups: Lookups, century_from: int = 1950) -> Callable[[Any, Source], Any]:
    """The function that turns one (mapped) value of field `name` into what the model stores."""
    if name in TERM_FIELDS:
        kind = TERM_FIELDS[name]
        return lambda value, _s: lookups.term_id(kind, value)
    if name == "defender.profiles":
        return lambda value, _s: lookups.term_id(Term.Kind.PROFILE, value)
    if name == "defender.gender":
        return lambda value, _s: lookups.term_id(Term.Kind.GENDER, value)
    if name == "defender.kind":
        return lambda value, _s: choice(list(Defender.Kind.values), value)
    if name in CHOICES:
        options = CHOICES[name]
        return lambda value, _s: choice(options, value)
    if name in BOOLEANS:
        return lambda value, _s: boolean(value)
    if name == "victims":
        return lambda value, _s: count(value)
    if name == "country":
        return lambda value, _s: country_code(value)
    if name in ("occurred_on", "reported_on"):
        return lambda value, source: parse_date(value, source.formats, century_from)
    if name == "subdivision":
        return lambda value, _s: str(value).strip().upper()
    if name == "coordinates":
        return lambda value, _s: coordinates(value)
    return lambda value, _s: str(value)


def choice(options: list[str], value: Any) -> str:
    text = str(value).strip().lower()
    if text not in options:
        raise CellError(f"is not one of {', '.join(options)}")
    return text


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold(str(value))
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("is neither yes nor no")


def count(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise CellError("is not a whole number") from None
    if not 0 <= number <= bounds.MAX_VICTIMS:  # why this bound: registry/bounds.py
        raise CellError(f"is not a number of people (0 to {bounds.MAX_VICTIMS:,})")
    return number


def coordinates(value: Any) -> str:
    """"14.07, -87.19", "14.07|-87.19" or "14.07 -87.19" -> "14.07, -87.19", as the form stores it."""
    text = str(value).replace("|", " ").replace(",", " ").replace(";", " ").split()
    try:
        lat, lon = (float(part) for part in text)
    except ValueError:
        raise CellError("is not a latitude and a longitude") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CellError("is not a latitude and a longitude")
    return f"{lat}, {lon}"


def parse_date(value: Any, formats: list[DateFormat], century_from: int) -> tuple[date, str]:
    text = str(value).strip()
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt.pattern)  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
        year = parsed.year
        if "%y" in fmt.pattern:  # two digits: the year in the mapping's hundred-year window
            year = century_from + (parsed.year % 100 - century_from % 100) % 100
        try:
            day = parsed.date().replace(year=year)
        except ValueError:  # 29 February of a year that is not a leap year
            continue
        if not bounds.FIRST_DAY <= day <= bounds.latest_event_day():
            raise CellError(f"is not a date from {bounds.FIRST_YEAR} to today")
        return day, fmt.precision
    raise CellError(f"is not a date in the form {' or '.join(f.pattern for f in formats)}")


# --- Vocabulary and countries, read once per import ------------------------------------------

class Lookups:
    """Terms by code and by label, for one import: the database is read once, not per row."""

    def __init__(self) -> None:
        self.by_code: dict[str, tuple[str, int]] = {}
        self.by_label: dict[tuple[str, str], int] = {}
        self.codes: dict[int, str] = {}
        for pk, kind, code, *labels in Term.objects.values_list(
                "pk", "kind", "code", "label_en", "label_es", "label_fr", "label_pt"):
            self.by_code[code] = (kind, pk)
            self.codes[pk] = code
            for text in labels:
                if text:
                    self.by_label.setdefault((kind, fold(text)), pk)


    def term_id(self, kind: str, value: Any) -> int:
        """A term of `kind` by its code, or by its label in any language."""
        text = str(value).strip()
        found = self.by_code.get(text) or self.by_code.get(text.lower())
        if found is not None:
            if found[0] != kind:
                raise CellError(f"is a term of another kind ({found[0]}), not a {kind}")
            return found[1]
        pk = self.by_label.get((kind, fold(text)))
        if pk is None:
            raise CellError(f"matches no {kind.replace('_', ' ')} of the vocabulary")
        return pk


@cache
def _countries() -> dict[str, str]:
    """Every way a file may name a country -> its code (ISO 3166-1 alpha-2, or the ISO 3166-3
    alpha-4 code of a former country). Current countries win over former ones."""
    found: dict[str, str] = {}
    for c in pycountry.historic_countries:
        for key in (c.name, getattr(c, "alpha_4", None), getattr(c, "alpha_3", None)):
            if key:
                found[fold(key)] = c.alpha_4
        short = c.name.split(",")[0]
        found.setdefault(fold(short), c.alpha_4)
    for c in pycountry.countries:
        for key in (c.alpha_2, c.alpha_3, c.numeric, str(int(c.numeric)), c.name,
                    getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if key:
                found[fold(key)] = c.alpha_2
    return found


def country_code(value: Any) -> str:
    code = _countries().get(fold(str(value)))
    if code is None:
        raise CellError("matches no country (a name, or an ISO alpha-2, alpha-3 or numeric code)")
    return code


@cache
def _subdivisions(country: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for s in pycountry.subdivisions.get(country_code=country) or []:
        found[fold(s.code)] = s.code
        found.setdefault(fold(s.code.split("-", 1)[1]), s.code)
        found.setdefault(fold(s.name), s.code)
    return found


def subdivision_code(country: str, value: str) -> str:
    """An ISO 3166-2 code of `country`, from its code (with or without the country) or its name."""
    if not country:
        raise CellError("is a region, but the row has no country")
    code = _subdivisions(country).get(fold(value))
    if code is None:
        raise CellError(f"matches no region (ISO 3166-2) of {country}")
    return code
