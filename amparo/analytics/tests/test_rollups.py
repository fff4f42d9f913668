"""The summary tables answer as the base tables do (docs/analytics.md, "Rollups").

Random registry writes through the registry's services (record, edit, status, duplicate,
transfer, consent, justice, erasure) keep the summaries up to date in their transactions; then
random staff questions, some that fit the summaries and some that do not, get equal answers
from `stats.compute` with and without them, and the summaries equal a rebuild from scratch."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from hypothesis import given
from hypothesis import strategies as st

from amparo.analytics import stats, tasks
from amparo.analytics.models import RollupCell, RollupTermCell
from amparo.analytics.services.rollups import rebuild_rollups
from amparo.analytics.statistics import rollups
from amparo.analytics.tests.stats_data import ship_groupings
from amparo.registry import services
from amparo.registry.models import Incident
from amparo.registry.services.cases import IncidentData, follow_justice
from amparo.registry.services.intake import erase_report
from amparo.tests.fuzz import bounded
from amparo.vocabulary.models import Term

pytestmark = pytest.mark.django_db

COUNTRIES = ("CO", "MX", "HN", "CD", "")
SUBDIVISIONS = ("", "CO-ANT", "MX-CMX")
YEARS = (2019, 2022, 2023)
STATUSES = [s for s in Incident.Status.values if s != Incident.Status.DUPLICATE]
KINDS = {"attack_types": Term.Kind.ATTACK_TYPE, "perpetrators": Term.Kind.PERPETRATOR,
         "risk_factors": Term.Kind.RISK_FACTOR, "profiles": Term.Kind.PROFILE, "victim_genders": Term.Kind.GENDER}
DIMENSIONS = [d for d in stats.DIMENSIONS if d != "continent"]


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


def pools() -> dict[str, list[Term]]:
    """A few terms of each kind, broad and narrow, so that levels roll several into one."""
    found = {}
    for relation, kind in KINDS.items():
        terms = sorted(Term.objects.filter(kind=kind), key=lambda t: t.code)
        broad = [t for t in terms if t.parent_id is None][:2]
        narrow = [t for t in terms if t.parent_id in {b.pk for b in broad}][:4]
        found[relation] = broad + narrow + [t for t in terms if t not in broad and t not in narrow][:2]
    return found


@st.composite
def incident_data(draw, terms: dict[str, list[Term]]) -> IncidentData:
    year = draw(st.sampled_from((*YEARS, None)))
    precision = draw(st.sampled_from(Incident.Precision.values))
    chosen = {relation: draw(st.lists(st.sampled_from(pool), max_size=3, unique=True)) if pool else []
              for relation, pool in terms.items()}
    return IncidentData(
        occurred_on=datetime.date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28))) if year else None,
        date_precision=precision, country=draw(st.sampled_from(COUNTRIES)),
        subdivision=draw(st.sampled_from(SUBDIVISIONS)), victims=draw(st.integers(0, 4)),
        reported_to_authorities=draw(st.sampled_from(Incident.Reported.values)),
        justice=draw(st.sampled_from(Incident.Justice.values)), consent_statistics=draw(st.booleans()),
        **chosen)


def write(world, data, terms) -> None:
    """One random write through the registry's services."""
    incidents = list(Incident.objects.order_by("pk"))
    kinds = ["record"] + (["edit", "status", "duplicate", "move", "consent", "justice", "erase"] if incidents else [])
    kind = data.draw(st.sampled_from(kinds))
    if kind == "record":
        desk = data.draw(st.sampled_from([world.desk_a, world.desk_b]))
        services.record_incident("system", desk, data.draw(incident_data(terms)))
        return
    incident = data.draw(st.sampled_from(incidents))
    actor = world.users["documenter_a" if incident.desk_id == world.desk_a.pk else "documenter_b"]
    if kind == "edit":
        services.update_incident(actor, incident, data.draw(incident_data(terms)))
    elif kind == "status":
        services.set_status(actor, incident, data.draw(st.sampled_from(STATUSES)))
    elif kind == "duplicate":
        others = [i for i in incidents if i.desk_id == incident.desk_id and i.pk != incident.pk
                  and i.status != Incident.Status.DUPLICATE]
        if others and incident.status != Incident.Status.DUPLICATE:
            services.mark_duplicate(actor, incident, data.draw(st.sampled_from(others)))
    elif kind == "move":
        if incident.desk_id == world.desk_a.pk:
            services.move_to_desk(actor, incident, world.desk_b, world.unlocked["documenter_a"])
    elif kind == "consent":
        if data.draw(st.booleans()):
            services.withdraw_consent(actor, incident)
        else:
            services.set_consent(actor, incident, "statistics", data.draw(st.booleans()))
    elif kind == "justice":
        follow_justice(incident, data.draw(st.sampled_from(Incident.Justice.values)),
                       datetime.date(2023, 5, 1))
    elif kind == "erase":
        erase_report(incident)


@st.composite
def question(draw, terms: dict[str, list[Term]]):
    group_by = draw(st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True))
    if "region" in group_by and "continent" in group_by:
        group_by.remove("continent")
    codes = {"attack_type": terms["attack_types"], "perpetrator": terms["perpetrators"],
             "profile": terms["profiles"], "risk_factor": terms["risk_factors"], "gender": terms["victim_genders"]}
    choices = {
        "year": st.sampled_from(YEARS), "country": st.sampled_from(COUNTRIES[:-1]),
        "subdivision": st.sampled_from(SUBDIVISIONS[1:]), "status": st.sampled_from(Incident.Status.values),
        "state": st.sampled_from(stats.STATE_VALUES), "month": st.sampled_from(("2023-01", "2022-06")),
        "level": st.integers(1, 3), "reported_to_authorities": st.sampled_from(Incident.Reported.values),
        "justice": st.sampled_from(Incident.Justice.values), "desk": st.sampled_from(("desk-a", "desk-b")),
        "from": st.sampled_from((datetime.date(2022, 1, 1), datetime.date(2023, 3, 1), datetime.date(2023, 3, 5))),
        "to": st.sampled_from((datetime.date(2023, 12, 31), datetime.date(2023, 6, 30), datetime.date(2023, 6, 3))),
        **{dim: st.sampled_from([t.code for t in pool]) for dim, pool in codes.items() if pool},
    }
    names = draw(st.lists(st.sampled_from(sorted(choices)), max_size=3, unique=True))
    filters = {}
    for name in names:
        value = draw(choices[name])
        if name not in ("year", "level", "from", "to") and draw(st.booleans()):  # sometimes two values
            value = [value, draw(choices[name])]
        filters[name] = value
    desks = draw(st.sampled_from(("none", "a", "both")))
    return group_by, filters, desks


def same_answer(world, group_by, filters, which) -> bool:
    """Compare compute with and without the summaries; True when the summaries answered."""
    desks = {"none": None, "a": [world.desk_a], "both": [world.desk_a, world.desk_b]}[which]
    try:
        base = stats.compute(group_by, filters, desks=desks, rollups_allowed=False)
    except stats.InvalidQuery:
        with pytest.raises(stats.InvalidQuery):
            stats.compute(group_by, filters, desks=desks)
        return False
    lookups = stats.Lookups("en")
    p = stats.plan(stats.parse_group_by(group_by), stats.parse_filters(filters), desks, False, lookups)
    answered = rollups.answer(p, p.desk_ids) is not None
    rolled = stats.compute(group_by, filters, desks=desks)
    key = lambda row: repr(sorted(row.items()))  # noqa: E731
    assert sorted(rolled.rows, key=key) == sorted(base.rows, key=key), (group_by, filters, which)
    assert rolled.total == base.total, (group_by, filters, which)
    return answered


def summaries() -> tuple[list[tuple], list[tuple]]:
    cells = sorted(RollupCell.objects.filter(incidents__gt=0).values_list(
        "grain", "desk_id", "country", "subdivision", "year", "month", "yearly", "status", "reported", "justice",
        "incidents", "victims"))
    terms = sorted(RollupTermCell.objects.filter(incidents__gt=0).values_list(
        "dim", "level", "key", "desk_id", "country", "year", "status", "incidents", "victims"))
    return cells, terms


@bounded(40)
@given(data=st.data())
def test_the_summaries_answer_as_the_base_tables_do(world, data):
    with transaction.atomic():  # each example from the same start (Hypothesis replays them)
        check_random_writes_and_questions(world, data)
        transaction.set_rollback(True)


def check_random_writes_and_questions(world, data) -> None:
    rebuild_rollups()
    terms = pools()
    for _ in range(data.draw(st.integers(1, 5))):
        write(world, data, terms)
    for _ in range(6):
        same_answer(world, *data.draw(question(terms)))
    # The usual questions fit the summaries: the test compares something.
    assert same_answer(world, ["country", "year"], {"year": 2023}, "a")
    assert same_answer(world, ["attack_type"], {"level": 1}, "both")
    assert same_answer(world, ["country"], {"state": "state", "status": "received"}, "none")
    same_public_tables()
    kept = summaries()
    rebuild_rollups()
    assert summaries() == kept


def same_public_tables() -> None:
    """The public tables (before suppression) read from the summaries equal the GROUP BYs over
    the incidents, for every year and for one."""
    lookups = stats.Lookups("en")
    key = lambda row: repr(sorted(row.items()))  # noqa: E731
    for years in (None, [2023]):
        for name in ("country", "attack_type", "perpetrator", "state"):
            p = stats.plan([name, "year"], {"year": years} if years else {}, None, True, lookups)
            assert rollups.answer(p, None) is not None, name  # read from the summaries
        rolled = stats.public_tables(years, lookups)["tables"]
        base = stats.public_tables(years, lookups, rollups_allowed=False)["tables"]
        assert rolled.keys() == base.keys()
        for name in base:
            assert sorted(rolled[name], key=key) == sorted(base[name], key=key), (name, years)


def test_the_usual_questions_read_the_summaries(world, django_assert_max_num_queries):
    terms = pools()
    for desk in (world.desk_a, world.desk_b):
        services.record_incident("system", desk, IncidentData(
            occurred_on=datetime.date(2023, 2, 3), country="CO", attack_types=terms["attack_types"][:2]))
    rebuild_rollups()
    result = stats.compute(["country", "year"], {"year": 2023}, desks=[world.desk_a])
    assert result.rows[0]["incidents"] == 1
    with django_assert_max_num_queries(3):  # the desks, the summaries' state, the sums (no incident)
        stats.compute(["country", "year"], {"year": 2023}, desks=[world.desk_a])


def test_a_vocabulary_change_sends_questions_to_the_base_tables_until_rebuilt(world):
    rebuild_rollups()
    term = Term.objects.filter(kind=Term.Kind.ATTACK_TYPE, parent__isnull=False).first()
    term.label_en = "Renamed"
    term.save()  # a label: the keys stay
    assert rollups.fresh() is not None
    term.parent = None
    term.save()  # the tree: stale
    assert rollups.fresh() is None
    assert tasks.build_rollups() == "built"
    assert rollups.fresh(check_vocabulary=True) is not None
    Term.objects.filter(pk=term.pk).update(code="attack.renamed")  # around the services: the job sees it
    assert rollups.fresh(check_vocabulary=True) is None
    assert tasks.build_rollups() == "built"
    assert tasks.build_rollups() == "fresh"


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_lose_no_count(world, vocabulary):
    """Two transactions writing incidents of the same summary rows at once (PostgreSQL: each
    waits for the other's rows; SQLite has one writer at a time)."""
    if connection.vendor != "postgresql":
        pytest.skip("one writer at a time on SQLite")
    rebuild_rollups()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(desk) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both start together; the second waits on the first's rows
                services.record_incident("system", desk, IncidentData(
                    occurred_on=datetime.date(2023, 2, 3), country="CO", victims=2))
                time.sleep(0.2)  # holding them a while
        except BaseException as problem:  # noqa: BLE001
            errors.append(problem)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(world.desk_a,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    result = stats.compute(["country"], {"year": 2023}, desks=[world.desk_a])
    assert result.rows == [{"country": "CO", "incidents": 2, "victims": 4, "share": 100.0, "suppressed": False}]
    assert rollups.fresh() is not None
