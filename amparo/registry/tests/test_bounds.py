"""Issue 17.4: every number and date a person types into the registry has a bound, at every
entry point: the form as the browser renders it, the API and the importer. A row of 2^63 - 1
people attacked once broke every public statistic (see analytics/tests/test_bounds_stats.py
for the other half: no stored row breaks a sum)."""

from __future__ import annotations

import datetime
import io
import json
from html.parser import HTMLParser

import pytest

from amparo.registry.bounds import MAX_VICTIMS
from amparo.registry.models import Incident
from amparo.registry.transfer import importing
from conftest import sign_in

pytestmark = pytest.mark.django_db

HUGE = 2**63 - 1
NEW = "/registry/desk/desk-a/new/"


class _Form(HTMLParser):
    """The fields of the page's form with method=post, as a browser would send them untouched:
    inputs with their values (checked boxes only), selected options, textareas; and each
    input's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form or "name" not in a and tag != "option":
            return
        if tag == "input":
            self.attrs[a["name"]] = a
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.data.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(a["name"], [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def rendered_form(client, url: str) -> _Form:
    page = client.get(url)
    assert page.status_code == 200
    form = _Form()
    form.feed(page.content.decode())
    return form


def _post_as_rendered(client, url: str, **typed: str):
    form = rendered_form(client, url)
    data = {name: values if len(values) != 1 else values[0] for name, values in form.data.items()}
    data.update(typed)
    return client.post(url, data)


@pytest.fixture
def documenter(client, world):
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    return client


# --- The form, as rendered ----------------------------------------------------------------

def test_the_form_says_how_many_people_it_takes(documenter):
    attrs = rendered_form(documenter, NEW).attrs["victims"]
    assert attrs["type"] == "number" and attrs["min"] == "0" and attrs["max"] == str(MAX_VICTIMS)


@pytest.mark.parametrize("victims", [str(HUGE), str(MAX_VICTIMS + 1), "-1", "1e6", "9" * 5000])
def test_the_form_refuses_a_number_of_people_out_of_bounds(documenter, victims):
    response = _post_as_rendered(documenter, NEW, narrative="a march was fired on", victims=victims)
    assert response.status_code == 200 and 'id="id_victims"' in response.content.decode()
    assert "aria-invalid" in response.content.decode() or "errorlist" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_form_takes_the_bound_itself(documenter):
    response = _post_as_rendered(documenter, NEW, narrative="a community displaced", victims=str(MAX_VICTIMS))
    assert response.status_code == 302
    assert Incident.objects.get().victims == MAX_VICTIMS


@pytest.mark.parametrize(("field", "value", "message"), [
    ("occurred_on", "0001-01-01", "Give a date from 1900 on."),
    ("occurred_on", "9999-12-31", "This date is in the future."),
    ("reported_on", "1850-06-01", "Give a date from 1900 on."),
    ("coordinates", "91, 10", "Write the latitude and the longitude"),
    ("coordinates", "10, -180.5", "Write the latitude and the longitude"),
    ("coordinates", "nan, inf", "Write the latitude and the longitude"),
])
def test_the_form_refuses_dates_and_coordinates_out_of_bounds(documenter, field, value, message):
    response = _post_as_rendered(documenter, NEW, narrative="they came at night", **{field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Incident.objects.exists()


def test_a_defender_reporting_herself_cannot_set_what_her_short_form_does_not_ask(client, world):
    # Her own short form (issue 16) asks no number of people: a posted one is ignored, the
    # record keeps the default, and the desk completes it.
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    response = _post_as_rendered(client, "/registry/report/", narrative="they threatened us", victims=str(HUGE))
    assert response.status_code == 303 and Incident.objects.get().victims == 1


# --- The API ------------------------------------------------------------------------------

def _api(client, **fields):
    return client.post("/api/v1/incidents/", {"desk": "desk-a", "narrative": "from the api", **fields},
                       content_type="application/json")


@pytest.mark.parametrize(("field", "value"), [
    ("victims", HUGE), ("victims", MAX_VICTIMS + 1), ("victims", -1),
    ("occurred_on", "0001-01-01"), ("occurred_on", "9999-12-31"),
    ("coordinates", "91, 0"), ("coordinates", "0, 181"), ("coordinates", "north of the river"),
])
def test_the_api_refuses_numbers_out_of_bounds_and_names_the_field(documenter, field, value):
    response = _api(documenter, **{field: value})
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Incident.objects.exists()


def test_the_api_takes_the_bounds_themselves(documenter):
    today = datetime.date.today().isoformat()  # noqa: DTZ011 - a calendar date within a day of UTC's
    response = _api(documenter, victims=MAX_VICTIMS, occurred_on=today, coordinates="-90, 180")
    assert response.status_code == 201, response.content
    assert Incident.objects.get().victims == MAX_VICTIMS


# --- The importer -------------------------------------------------------------------------

MAPPING = {"name": "bounds", "identifier": "ref", "fields": {
    "victims": "people", "occurred_on": "when", "coordinates": "where"}}


@pytest.mark.parametrize(("cells", "column"), [
    (f"{HUGE},2020-01-01,", "people"), (f"{MAX_VICTIMS + 1},2020-01-01,", "people"),
    ("5,1850-01-01,", "when"), ("5,2999-01-01,", "when"), ('5,2020-01-01,"91,0"', "where"),
])
def test_an_import_row_out_of_bounds_is_refused_with_its_row_and_column(world, vocabulary, cells, column):
    text = f"ref,people,when,where\n1,1,2020-01-01,\n2,{cells}\n"
    result = importing.import_lines(io.StringIO(text, newline=""), world.desk_a, importing.parse_mapping(MAPPING))
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert not Incident.objects.exists()


def test_the_import_page_names_the_row_with_too_many_people(documenter, vocabulary):
    own = io.BytesIO(json.dumps(MAPPING).encode())
    own.name = "bounds.json"
    upload = io.BytesIO(f"ref,people,when,where\n1,{HUGE},2020-01-01,\n".encode())
    upload.name = "bounds.csv"
    body = documenter.post("/registry/desk/desk-a/transfer/", {"file": upload, "mapping_file": own}).content.decode()
    assert "Row 2, people:" in body and "is not a number of people (0 to 100,000)" in body
    assert not Incident.objects.exists()


# --- Issue 17.7: a desk that is not hers, whether it exists or not ------------------------

def test_the_api_answers_an_unknown_desk_as_another_networks_desk(documenter):
    unknown = documenter.post("/api/v1/incidents/", {"desk": "no-such-desk"}, content_type="application/json")
    foreign = documenter.post("/api/v1/incidents/", {"desk": "desk-b"}, content_type="application/json")
    assert unknown.status_code == foreign.status_code == 404
    assert unknown.content == foreign.content == b'{"desk":["Not one of your desks."]}'
    assert not Incident.objects.exists()


def test_the_service_itself_refuses_a_number_nobody_checked(world):
    from django.core.exceptions import ValidationError

    from amparo.registry import services

    with pytest.raises(ValidationError):
        services.record_incident("system", world.desk_a, services.IncidentData(narrative="x", victims=HUGE))
    assert not Incident.objects.exists()
