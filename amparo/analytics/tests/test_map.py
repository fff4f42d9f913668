"""The map: boundaries drawn on the server, the public map that never shows a cell under k, the
desks' exact map with filters, subdivisions from loaded boundaries, and points only for those
who can open them."""

from __future__ import annotations

import json
import math
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.analytics import geo, maps, stats
from amparo.analytics.models import Boundary
from amparo.analytics.tests.stats_data import make, ship_groupings
from amparo.registry import services as registry
from conftest import sign_in

# --- geo: projection, TopoJSON, simplification, paths ----------------------------------------


def test_it_projects_with_equal_earth():
    assert geo.equal_earth(0, 0) == (0.0, 0.0)
    x, _y = geo.equal_earth(180, 0)
    assert x == pytest.approx(2.7066, abs=1e-3)
    _x, y = geo.equal_earth(0, 90)
    assert y == pytest.approx(1.3173, abs=1e-3)
    # Equal area: a box of degrees keeps the area it has on the sphere, at the equator and far south.
    def area(lat):
        (x0, y0), (x1, y1) = geo.equal_earth(0, lat), geo.equal_earth(1, lat + 1)
        return abs((x1 - x0) * (y1 - y0))
    sphere = (math.sin(math.radians(-59)) - math.sin(math.radians(-60))) / math.sin(math.radians(1))
    assert area(-60) / area(0) == pytest.approx(sphere, rel=0.01)


def test_it_decodes_quantised_delta_arcs():
    topology = {"transform": {"scale": [0.5, 0.25], "translate": [-10, 20]}, "arcs": [[[0, 0], [2, 4], [-1, 0]]]}
    assert geo.decode_arcs(topology) == [[(-10.0, 20.0), (-9.0, 21.0), (-9.5, 21.0)]]
    arcs = [[(0, 0), (1, 0)], [(1, 0), (1, 1), (0, 0)]]
    assert geo.geometry_polygons({"type": "Polygon", "arcs": [[0, 1]]}, arcs) == [[[(0, 0), (1, 0), (1, 1), (0, 0)]]]
    # A negative index is the arc reversed (~i).
    assert geo.geometry_polygons({"type": "Polygon", "arcs": [[~1, ~0]]}, arcs)[0][0][:3] == [(0, 0), (1, 1), (1, 0)]


def test_it_simplifies_but_keeps_the_ends_and_the_corners():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 5), (4, 0)]
    assert geo.simplify(line, 0.5) == [(0, 0), (2, 0), (3, 5), (4, 0)]
    assert geo.simplify(line, 100) == [(0, 0), (4, 0)]


def test_it_writes_short_relative_paths():
    assert geo.path_data([[(10, 10), (20, 10), (20, 5), (10, 10)]]) == "M10 10l10 0 0-5z"
    assert geo.path_data([[(0, 0), (0.2, 0.1), (0.3, 0.2)]]) == ""  # smaller than the grid: nothing


def test_it_draws_every_country_of_the_atlas_lightly():
    world = geo.world_map()
    codes = world.codes()
    assert {"CO", "HN", "CD", "FJ", "RU", "SG", "XK"} <= codes and "AQ" not in codes
    assert len(codes) > 200
    weight = sum(len(s.d) for s in world.shapes)
    assert 20_000 < weight < 120_000, weight  # simplified, but still the countries' shapes
    assert geo.alpha2_of("032") == "AR" and geo.alpha2_of(None, "Kosovo") == "XK"
    # No ring crosses the map: eastern Russia wraps round ±180° and is drawn in two pieces.
    for shape in world.shapes:
        steps = [int(n) for n in re.findall(r"-?\d+", re.sub(r"M-?\d+ -?\d+", " ", shape.d))][0::2]
        assert max(map(abs, steps), default=0) < world.width / 4, shape.code


def test_it_splits_a_ring_that_wraps_round_the_antimeridian():
    ring = [(170.0, 60.0), (-170.0, 60.0), (-170.0, 70.0), (170.0, 70.0), (170.0, 60.0)]
    assert geo.crosses_antimeridian(ring)
    east, west = geo.split_at_antimeridian([[ring]])
    assert {lon for lon, _ in east[0]} == {170.0, 180.0} and {lon for lon, _ in west[0]} == {-180.0, -170.0}


def test_it_reads_coordinates_as_documenters_type_them():
    assert geo.parse_coordinates("14.07, -87.19") == (-87.19, 14.07)
    assert geo.parse_coordinates("somewhere") is None
    assert geo.parse_coordinates("95, 10") is None


def test_it_classes_counts_into_round_steps():
    assert maps.class_bounds([1, 2, 4, 10, 18, 79]) == [1, 2, 5, 10, 20, 50]
    assert maps.class_bounds([5, 7, 12, 40, 80, 300], floor=5) == [5, 10, 20, 50, 100, 200]
    assert maps.class_bounds([3], floor=5) == [5]
    assert len(maps.class_bounds([1, 10**7])) <= len(maps.PALETTE)
    assert maps.class_of(4, [5, 10]) == 0 and maps.class_of(10, [5, 10]) == 1


# --- The public map: exactly the public table, never a cell under k ---------------------------

NUMBER_IN_TITLE = re.compile(r"<title>[^<:]+: (\d+) incidents?</title>")


def _numbers_shown(html: str) -> list[int]:
    """Every count that the page shows for a country: in the SVG titles and the table cells."""
    shown = [int(n) for n in NUMBER_IN_TITLE.findall(html)]
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    for row in re.findall(r"<tr data-code=\"\w+\">(.*?)</tr>", body):
        cells = re.findall(r'<td class="num"[^>]*>(\d+)</td>', row)
        shown += [int(c) for c in cells[:2]]  # incidents and people attacked
    return shown


@pytest.fixture
def public_data(world, vocabulary, publish):
    ship_groupings()
    make(world.desk_a, 12, country="CO", year=2023)
    make(world.desk_a, 6, country="BR", year=2023)
    make(world.desk_a, 2, country="HN", year=2023)  # under k: suppressed
    make(world.desk_a, 1, country="PE", year=2023)  # under k: suppressed
    make(world.desk_b, 3, country="CD", year=2022)
    make(world.desk_b, 9, country="CD", year=2023, consent=False)  # document only: never public
    publish()
    return world


def test_the_public_map_shows_the_public_table_and_no_cell_under_k(client, public_data, settings):
    k = settings.AMPARO_STATS_MIN_CELL
    page = client.get("/analytics/map/?year=2023")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-code="CO"' in html and "Colombia: 12 incidents" in html
    shown = _numbers_shown(html)
    assert 12 in shown
    assert all(n >= k for n in shown), shown
    assert f"hidden: fewer than {k}" in html  # the legend says what hidden means
    assert "Honduras: hidden" in html  # suppressed, and said so
    assert 'url(#map-suppressed)' in html
    # Incidents without consent are not there at all.
    assert "Congo" not in html.split("<tbody>")[1].split("</tbody>")[0]
    # The JSON behind it: the same answer as the statistics, nothing under k.
    data = client.get("/analytics/map/data.json?year=2023").json()
    assert data["k"] == k and data["year"] == 2023 and data["years"] == [2023, 2022]
    # The year select offers exactly the years of the public year table.
    public_years = stats.compute(["year"], public=True).as_dict()["rows"]
    assert data["years"] == sorted((r["year"] for r in public_years), reverse=True)
    for row in data["statistics"]["rows"]:
        assert row["incidents"] is None or row["incidents"] >= k, row
        assert row["victims"] is None or row["victims"] >= k or row["incidents"] is not None
    assert {r["country"] for r in data["statistics"]["rows"] if r["suppressed"]} >= {"HN", "PE"}
    assert "coordinates" not in json.dumps(data)


def test_the_public_map_takes_nothing_but_a_whole_year(client, public_data):
    html = client.get("/analytics/map/?year=2022&attack_type=attack.killing&desk=desk-a").content.decode()
    assert 'option value="2022" selected' in html
    assert "Colombia: 12" not in html  # 2022 only; the other parameters are ignored
    assert client.get("/analytics/map/?year=1999").status_code == 200  # a year without data: the newest


def test_the_public_map_is_the_public_map_for_staff_too(client, public_data):
    sign_in(client, public_data.users["documenter_a"], public_data.unlocked["documenter_a"])
    html = client.get("/analytics/map/?year=2023").content.decode()
    assert "Honduras: hidden" in html and "Honduras: 2 incidents" not in html
    assert "/analytics/map/desks/" in html  # and a way to her desks' map


# --- The desks' map ------------------------------------------------------------------------------

def test_desk_staff_see_their_desks_exact_numbers_with_filters(client, public_data):
    world = public_data
    make(world.desk_a, 4, country="HN", year=2023, attack=["attack.killing"])
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    html = client.get("/analytics/map/desks/").content.decode()
    assert "Honduras: 6 incidents" in html and "Peru: 1 incident" in html
    assert "Congo" not in html.split("<tbody>")[1]  # desk B's cases are not hers
    killed = client.get("/analytics/map/desks/?attack_type=attack.killing").content.decode()
    assert "Honduras: 4 incidents" in killed and "Colombia: 12" not in killed
    early = client.get("/analytics/map/desks/?date_to=2022-12-31").content.decode()
    assert "Colombia: 12" not in early
    data = client.get("/analytics/map/desks/data.json?attack_type=attack.killing").json()
    assert data["statistics"]["rows"] == [
        {"country": "HN", "incidents": 4, "victims": 4, "share": 100.0, "suppressed": False}]
    sign_in(client, world.users["documenter_b"], world.unlocked["documenter_b"])
    other = client.get("/analytics/map/desks/").content.decode()
    assert "Congo (Kinshasa): 12 incidents" in other or "Congo" in other
    assert "Honduras: 6" not in other


def test_a_coordinator_sees_every_desk_of_her_network(client, public_data):
    sign_in(client, public_data.users["coordinator"], public_data.unlocked["coordinator"])
    html = client.get("/analytics/map/desks/").content.decode()
    assert "Colombia: 12 incidents" in html


def _with_coordinates(world, text, country="HN"):
    return registry.record_incident(world.users["documenter_a"], world.desk_a, registry.IncidentData(
        country=country, coordinates=text, consent_statistics=True))


def test_points_only_for_those_who_open_them_in_their_own_request(client, world, vocabulary):
    _with_coordinates(world, "14.07, -87.19")
    _with_coordinates(world, "15.5, -88.0")
    _with_coordinates(world, "not a place")
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    html = client.get("/analytics/map/desks/").content.decode()
    assert html.count("<title>#") == 2
    assert "2 points shown" in html
    # Never in the JSON, never in a cache.
    assert "cx" not in client.get("/analytics/map/desks/data.json").content.decode()
    # The coordinator sees the desk's numbers but holds no key of the desk: no point.
    sign_in(client, world.users["coordinator"], world.unlocked["coordinator"])
    assert "<title>#" not in client.get("/analytics/map/desks/").content.decode()
    # Her key locked in this session: the numbers, and no point.
    client.logout()
    sign_in(client, world.users["documenter_a"])
    locked = client.get("/analytics/map/desks/").content.decode()
    assert "<title>#" not in locked and "Honduras: 3 incidents" in locked


# --- Subdivisions from loaded boundaries -------------------------------------------------------

def _square(lon, lat, size=1.0):
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


SUBDIVISIONS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"iso": "HN-FM", "name": "Francisco Morazán"},
         "geometry": {"type": "Polygon", "coordinates": _square(-87.5, 14.0)}},
        {"type": "Feature", "properties": {"iso": "HN-CR", "name": "Cortés"},
         "geometry": {"type": "Polygon", "coordinates": _square(-88.5, 15.0)}},
        {"type": "Feature", "properties": {"iso": "HN-AT", "name": "Atlántida"},
         "geometry": {"type": "MultiPolygon", "coordinates": [_square(-87.5, 15.2, 0.8), _square(-86.0, 16.0, 0.3)]}},
        {"type": "Feature", "properties": {"iso": "HN-ZZ", "name": "Nowhere"},
         "geometry": {"type": "Polygon", "coordinates": _square(-86.0, 13.0)}},
    ],
}


def test_it_loads_subdivisions_and_draws_them_by_subdivision(client, world, vocabulary, tmp_path, capsys):
    path = tmp_path / "hn.geojson"
    path.write_text(json.dumps(SUBDIVISIONS))
    call_command("load_boundaries", str(path), "--code-property", "iso")
    out, err = capsys.readouterr()
    assert "3 subdivisions loaded" in out and "1 features unmatched" in out
    assert "HN-ZZ" in err
    assert sorted(Boundary.objects.values_list("code", flat=True)) == ["HN-AT", "HN-CR", "HN-FM"]
    make(world.desk_a, 7, country="HN", subdivision="HN-FM")
    make(world.desk_a, 2, country="HN", subdivision="HN-CR")
    make(world.desk_a, 30, country="CO")
    sign_in(client, world.users["documenter_a"], world.unlocked["documenter_a"])
    world_view = client.get("/analytics/map/desks/").content.decode()
    assert '<option value="HN">Honduras</option>' in world_view
    html = client.get("/analytics/map/desks/?country=HN").content.decode()
    for code in ("HN-FM", "HN-CR", "HN-AT"):
        assert f'data-code="{code}"' in html
    assert "Francisco Morazán: 7 incidents" in html and "Cortés: 2 incidents" in html
    assert "Atlántida: none recorded" in html
    assert 'data-code="CO"' not in html  # the subdivisions alone, fitted to the drawing
    fills = dict(re.findall(r'fill="(#[0-9a-f]{6})" data-code="(HN-\w\w)"', html)[i][::-1] for i in range(3))
    assert fills["HN-FM"] != fills["HN-CR"] and fills["HN-AT"] == maps.NO_DATA
    # Loading again replaces the outlines, and the drawing follows (its cache key changes).
    before = maps.subdivision_base("HN").shapes
    SUBDIVISIONS["features"][0]["geometry"]["coordinates"] = _square(-87.5, 14.0, 2.0)
    path.write_text(json.dumps(SUBDIVISIONS))
    call_command("load_boundaries", str(path), "--code-property", "iso")
    assert maps.subdivision_base("HN").shapes != before


def test_it_refuses_a_file_where_nothing_matches(world, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [SUBDIVISIONS["features"][3]]}))
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(path), "--code-property", "iso")
    (tmp_path / "not.geojson").write_text("{}")
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(tmp_path / "not.geojson"))
