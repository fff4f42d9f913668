"""The registry's rows of the project-wide test tables (see amparo/tests/tables.py): the
import and export pages (issue 7)."""

from __future__ import annotations

from amparo.core.tests.pages import Page
from amparo.tests.tables import LOGIN, Row, signed_in

# Importing writes to the desk with its public key: its documenters and the coordinators of its
# network may; another desk's documenter gets 404. Exporting opens every sealed part: only the
# desk's documenters, who hold its key (a coordinator without the key: 403).
DESK_A_IMPORTERS = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=200,
                        supporter=403, outsider=403)
DESK_A_EXPORTERS = dict(defender=403, documenter_a=200, documenter_b=404, coordinator=403,
                        supporter=403, outsider=403)

AUTHORIZATION: dict[str, Row] = {
    "registry:transfer": signed_in("GET", LOGIN, **DESK_A_IMPORTERS),
    "registry:export": signed_in("GET", LOGIN, **DESK_A_EXPORTERS),
}


def url_values(world) -> dict[str, object]:
    return {"fmt": "csv"}


PAGES: dict[str, Page] = {
    "registry:transfer": Page("documenter_a"),
}
NOT_PAGES: dict[str, str] = {
    "registry:export": "a CSV or JSON download, streamed, never shown as a page",
}
