"""The public tables: small cells suppressed, and no suppressed cell recoverable by subtraction
using all the public tables together (an attacker written independently of the suppression)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.analytics import stats
from amparo.analytics.models import Grouping
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.registry.models import Incident

pytestmark = pytest.mark.django_db

# Every public table (continents are for staff only: see stats.PUBLIC_GROUPINGS).
TABLES: dict[str, tuple[list[str], dict[str, str]]] = {
    "country": (["country"], {}), "region:un-sr": (["region"], {}), "attack_type": (["attack_type"], {}),
    "perpetrator": (["perpetrator"], {}), "state": (["state"], {})}
COUNTRIES = ["HN", "GT", "SV", "MX", "EG", "TN", "FR", "DE", "CD", "KE", "IN", ""]
ATTACKS = [None, "attack.threat.death", "attack.smear", "attack.online.doxxing", "attack.killing"]
PERPS = [None, "perpetrator.state.police", "perpetrator.non_state.community", "perpetrator.unknown",
         "perpetrator.state.military"]


@pytest.fixture(autouse=True)
def _shipped(db, vocabulary):
    ship_groupings()


# --- What anyone can download, and what an attacker does with it ------------------------------

def publication(year: int) -> dict[tuple[str, object], int | None]:
    """Every public cell of one year, as the public API gives it: None for a suppressed cell."""
    cells: dict[tuple[str, object], int | None] = {}
    with stats.public_snapshot():
        for name, (group_by, extra) in TABLES.items():
            result = stats.compute(group_by, {"year": year, **extra}, public=True)
            for row in result.rows:
                cells[(name, row[group_by[0]])] = row["incidents"]
        for row in stats.compute(["year"], {"year": year}, public=True).rows:
            cells[("total", None)] = row["incidents"]
    return cells


def relations(cells) -> list[dict]:
    """What a reader knows links the cells: each table sums to the year's total, a region is the
    sum of its countries, state and non-state perpetrators are the top-level perpetrator cells."""
    eqs = []
    for name in TABLES:
        eq = {c: 1 for c in cells if c[0] == name}
        eq[("total", None)] = -1
        eqs.append(eq)
    countries = [c[1] for c in cells if c[0] == "country"]
    for grouping in Grouping.objects.filter(code__in=stats.PUBLIC_GROUPINGS):
        placed = set()
        for region in grouping.regions.all():
            members = set(region.countries.values_list("country", flat=True))
            placed |= members
            eqs.append({(f"region:{grouping.code}", region.code): 1,
                        **{("country", c): -1 for c in countries if c in members}})
        eqs.append({(f"region:{grouping.code}", None): 1, **{("country", c): -1 for c in countries if c not in placed}})
    eqs.append({("state", "state"): 1, ("perpetrator", "perpetrator.state"): -1})
    eqs.append({("state", "non_state"): 1, ("perpetrator", "perpetrator.non_state"): -1})
    eqs.append({("state", "unknown"): 1, ("perpetrator", "perpetrator.unknown"): -1, ("perpetrator", None): -1})
    return eqs


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(r) for r in matrix if any(r)]
    found = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(found, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(found + 1, len(rows)):
            if rows[r][col]:
                f = rows[r][col] / rows[found][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def attack(cells) -> dict:
    """Every suppressed cell the attacker pins down: by subtraction, repeated while it yields
    anything (e.g. a region minus its published countries), and by any linear combination of all
    the relations (a cell is fixed when dropping its column lowers the rank)."""
    known = {c: Fraction(v) for c, v in cells.items() if v is not None}
    unknown = {c for c, v in cells.items() if v is None}
    eqs = relations(cells)

    def value(c):
        return known[c] if c in known else (Fraction(0) if c not in cells else None)

    recovered = {}
    progress = True
    while progress:
        progress = False
        for eq in eqs:
            missing = [c for c in eq if value(c) is None]
            if len(missing) == 1:
                target = missing[0]
                rest = sum(coeff * value(c) for c, coeff in eq.items() if c != target)
                known[target] = recovered[target] = -rest / eq[target]
                progress = True
    hidden = sorted(unknown, key=repr)
    matrix = [[Fraction(eq.get(c, 0)) for c in hidden] for eq in eqs]
    full = rank(matrix)
    for i, c in enumerate(hidden):
        if full and rank([row[:i] + row[i + 1:] for row in matrix]) < full:
            recovered.setdefault(c, "by linear combination")
    return recovered


# --- The property -----------------------------------------------------------------------------

group = st.tuples(st.sampled_from(COUNTRIES), st.sampled_from([2022, 2023]), st.sampled_from(ATTACKS),
                  st.sampled_from(PERPS), st.integers(1, 9), st.booleans())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(group, min_size=1, max_size=12))
def test_no_suppressed_cell_can_be_recovered_from_all_the_public_tables(world, groups):
    Incident.objects.all().delete()
    for country, year, attack_type, perpetrator, n, consent in groups:
        make(world.desk_a, n, country=country, year=year, consent=consent,
             attack=[attack_type] if attack_type else [], perps=[perpetrator] if perpetrator else [])
    k = stats.min_cell()
    for year in (2022, 2023):
        cells = publication(year)
        assert attack(cells) == {}, f"recovered from {cells}"
        # what is shown is exact, over consented incidents; every small cell is suppressed
        truth = Incident.objects.statistics_eligible().filter(occurred_on__year=year)
        for (name, key), shown in cells.items():
            if name == "country":
                real = truth.filter(country=key or "").count()
                assert shown == real or (shown is None and real > 0)
                assert real >= k or shown is None


def test_the_attacker_does_recover_cells_when_only_small_cells_are_suppressed(world):
    """The same attacker against a publication without complementary suppression: it wins."""
    make(world.desk_a, 2, country="SV", year=2023)
    make(world.desk_a, 9, country="GT", year=2023)
    make(world.desk_a, 6, country="FR", year=2023)
    k = stats.min_cell()
    exact = {}
    for name, (group_by, extra) in TABLES.items():
        for row in stats.compute(group_by, {"year": 2023, **extra}).rows:
            exact[(name, row[group_by[0]])] = row["incidents"]
    exact[("total", None)] = 17
    naive = {c: (v if v >= k else None) for c, v in exact.items()}
    assert attack(naive)[("country", "SV")] == 2
    assert attack(publication(2023)) == {}
    protected = publication(2023)
    assert protected[("country", "SV")] is None and protected[("country", "GT")] is None
    assert protected[("country", "FR")] == 6


def test_k_comes_from_the_settings(world, settings):
    settings.AMPARO_STATS_MIN_CELL = 10
    make(world.desk_a, 7, country="HN", year=2023)
    make(world.desk_a, 12, country="FR", year=2023)
    make(world.desk_a, 11, country="DE", year=2023)
    rows = {r["country"]: r for r in stats.compute(["country", "year"], public=True).rows}
    assert rows["HN"]["suppressed"] and rows["HN"]["incidents"] is None and rows["HN"]["victims"] is None
    assert attack(publication(2023)) == {}
    settings.AMPARO_STATS_MIN_CELL = 5
    rows = {r["country"]: r for r in stats.compute(["country", "year"], public=True).rows}
    assert rows["HN"]["incidents"] == 7 and not rows["HN"]["suppressed"]


def test_only_consented_incidents_count_in_public(world):
    make(world.desk_a, 6, country="HN", year=2023)
    make(world.desk_a, 40, country="HN", year=2023, consent=False)
    make(world.desk_a, 40, country="HN", year=2023, status="duplicate")
    assert stats.compute(["country"], {"year": 2023}, public=True).rows[0]["incidents"] == 6


@pytest.mark.parametrize("group_by,filters,message", [
    (["country", "attack_type"], {}, "public tables are"),
    (["country", "year"], {"attack_type": "attack.smear"}, "no filter but whole years"),
    (["country", "year"], {"from": "2023-01-01"}, "no filter but whole years"),
    (["month"], {}, "public tables are"),
    (["country"], {}, "by year"),
    (["region", "year"], {"grouping": "mine"}, "Special Rapporteur's regions only"),
    (["region", "year"], {"grouping": "continents"}, "Special Rapporteur's regions only"),
    (["country", "year"], {"level": 2}, "no filter"),
])
def test_public_refuses_any_other_question(world, group_by, filters, message):
    Grouping.objects.create(code="mine", label_en="Mine")
    with pytest.raises(stats.NotAllowed, match=message):
        stats.compute(group_by, filters, public=True)


def test_public_refuses_a_desk(world):
    with pytest.raises(stats.NotAllowed, match="whole coalition"):
        stats.compute(["country", "year"], desks=[world.desk_a], public=True)


def test_a_withdrawn_consent_leaves_the_cached_public_tables_at_the_next_query(world):
    from amparo.registry import services as registry

    made = make(world.desk_a, 7, country="HN", year=2023)
    make(world.desk_a, 8, country="FR", year=2023)
    assert {r["country"]: r["incidents"] for r in stats.compute(["country"], {"year": 2023}, public=True).rows} == {
        "FR": 8, "HN": 7}
    registry.withdraw_consent("system", made[0])
    assert {r["country"]: r["incidents"] for r in stats.compute(["country"], {"year": 2023}, public=True).rows} == {
        "FR": 8, "HN": 6}


def test_moving_a_country_changes_the_cached_public_region_table(world):
    from amparo.analytics import services
    from amparo.analytics.models import Region

    make(world.desk_a, 7, country="HN", year=2023)
    make(world.desk_a, 8, country="FR", year=2023)
    before = {r["region"]: r["incidents"] for r in stats.compute(["region"], {"year": 2023}, public=True).rows}
    assert before == {"lac": 7, "ena-ca": 8}
    services.move_countries(world.users["coordinator"], Grouping.objects.get(code="un-sr"), ["HN"],
                            Region.objects.get(grouping__code="un-sr", code="ena-ca"))
    after = {r["region"]: r["incidents"] for r in stats.compute(["region"], {"year": 2023}, public=True).rows}
    assert after == {"ena-ca": 15}
