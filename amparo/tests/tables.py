"""The vocabulary of the project-wide test tables, and how an app adds its own rows.

Three tables walk the whole project: who gets what from every URL (test_authorization), every
HTML page against the quality bars (core/tests/test_page_quality) and a writer for every sealed
field (vault/tests/test_canary). An app adds its rows in `amparo/<app>/tests/tables.py`, with
any of these names:

- `AUTHORIZATION: dict[str, Row]` — a row per URL name, built with `row`, `same`, `signed_in`;
- `url_values(world) -> dict` — values for its URL arguments (objects of desk A / network A);
- `PAGES: dict[str, Page]` and `NOT_PAGES: dict[str, str]` — page-quality rows (Page from
  `amparo.core.tests.pages`);
- `SEALED_WRITERS: dict[model, writer(client, world, canary)]` — canary writers that put the
  string `canary` through its sealed fields (vault/tests/test_canary).

So each app keeps its rows beside its code, and the tables still refuse a URL without a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps

from conftest import STANDING_USERS

LOGIN = "login"  # a redirect to the login page
ADMIN_LOGIN = "admin-login"
EVERYONE = ["anonymous", *STANDING_USERS]


@dataclass(frozen=True)
class Row:
    method: str
    expect: dict[str, int | str]


def row(method: str, **expect: int | str) -> Row:
    missing = set(EVERYONE) - set(expect)
    assert not missing, f"row leaves out {missing}"
    return Row(method, expect)


def same(method: str, answer: int | str) -> Row:
    return row(method, **dict.fromkeys(EVERYONE, answer))


def signed_in(method: str, anonymous: int | str, **expect: int | str) -> Row:
    return row(method, anonymous=anonymous, **expect)


# The coalition's fund reviewer and ICT expert have a login and a role, but none of the pages
# of today: they answer as an outsider with a login does (403 on staff pages).
LOGIN_ONLY = dict(fund_reviewer=403, ict_expert=403)

COORDINATOR_ONLY = dict(defender=403, documenter_a=403, documenter_b=403, coordinator=200,
                        supporter=403, outsider=403, **LOGIN_ONLY)

# Only the desk's own documenters hold its key; its coordinator sees the desk but not this (403).
DESK_A_DOCUMENTER_ONLY = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=403,
                              supporter=403, outsider=403, **LOGIN_ONLY)

# Cases are for the desk's documenters only: a coordinator has no documenter role (403) and no
# key; another desk's documenter gets 404, as if the case did not exist.
DESK_A_CASES = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=403,
                    supporter=403, outsider=403, **LOGIN_ONLY)
DEFENDER_ONLY = dict(defender=200, documenter_a=403, documenter_b=403, coordinator=403,
                     supporter=403, outsider=403, **LOGIN_ONLY)


def app_tables() -> list[ModuleType]:
    """Every installed Amparo app's `tests/tables.py`, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("amparo."):
            continue
        try:
            found.append(import_module(f"{config.name}.tests.tables"))
        except ModuleNotFoundError as missing:
            if missing.name not in (f"{config.name}.tests", f"{config.name}.tests.tables"):
                raise
    return found


def gathered(name: str) -> dict[Any, Any]:
    """The union of one dict-valued name over the apps' tables; a key given twice fails."""
    merged: dict[Any, Any] = {}
    for module in app_tables():
        for key, value in getattr(module, name, {}).items():
            assert key not in merged, f"{key} has two rows in {name}"
            merged[key] = value
    return merged
