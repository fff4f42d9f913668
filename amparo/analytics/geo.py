"""Boundaries, drawn on the server: decode the world-atlas TopoJSON (Natural Earth), project it
with the Equal Earth projection, simplify it and write SVG path data.

Nothing here counts anything: it only knows shapes. The paths depend on the boundaries alone,
so they are computed once per process (the world) or cached per country until its loaded
boundaries change (subdivisions). The browser never fetches boundaries: the page carries the
paths, so the map shows without JavaScript and without any request to another host.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.core.cache import cache as shared_cache

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # outer ring first, then holes

# The world-atlas package, installed from the npm registry with the lockfile (package.json).
ATLAS = "countries-50m.json"

# Drawing size of the world map: the SVG's viewBox is WIDTH × height, coordinates are whole
# numbers at this size (the browser scales the viewBox to the screen).
WIDTH = 2000
# Douglas–Peucker tolerance in viewBox units: half a unit at 2000 wide is a quarter of a pixel
# on a 1000-pixel screen: invisible, and the 50m atlas's paths shrink from 750 KB of TopoJSON
# to about 65 KB of path data (20 KB compressed).
TOLERANCE = 0.5

# Natural Earth areas without an ISO 3166-1 number, and the code that records use for them
# (Kosovo's user-assigned XK; areas that ISO counts as part of a state are drawn with it).
EXTRA_CODES = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY", "Siachen Glacier": "IN"}
# Left out of the world map: no defender lives there, and it would take a fifth of the picture.
LEFT_OUT = {"AQ"}


# --- Projection -------------------------------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> Point:
    """The Equal Earth projection (Šavrič, Patterson, Jenny 2018) of a point in degrees, on a
    sphere of radius 1: x in about ±2.7066, y in about ±1.3173, north up (y grows upward)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = equal_earth(180, 0)[0]
_Y_MAX = equal_earth(0, 90)[1]


@dataclass(frozen=True)
class Frame:
    """Where projected points land in the viewBox: x' = (x - x0) * scale, y' = (y0 - y) * scale."""

    x0: float
    y0: float
    scale: float
    width: int
    height: int

    def place(self, lon: float, lat: float) -> Point:
        x, y = equal_earth(lon, lat)
        return (x - self.x0) * self.scale, (self.y0 - y) * self.scale

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def world_frame() -> Frame:
    scale = WIDTH / (2 * _X_MAX)
    return Frame(-_X_MAX, _Y_MAX, scale, WIDTH, math.ceil(2 * _Y_MAX * scale))


def fitted_frame(polygons: Iterable[Polygon], width: int = 1000, margin: float = 0.03) -> Frame:
    """A frame that fits these shapes (in degrees) into `width`, keeping their proportions."""
    xs, ys = [], []
    for polygon in polygons:
        for lon, lat in polygon[0]:
            x, y = equal_earth(lon, lat)
            xs.append(x)
            ys.append(y)
    if not xs:
        return world_frame()
    span_x, span_y = max(xs) - min(xs) or 1e-6, max(ys) - min(ys) or 1e-6
    pad = max(span_x, span_y) * margin
    scale = width / (span_x + 2 * pad)
    height = max(1, math.ceil((span_y + 2 * pad) * scale))
    return Frame(min(xs) - pad, max(ys) + pad, scale, width, height)


# --- Simplification and path data -------------------------------------------------------------

def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker with an explicit stack (a long coastline would exhaust recursion);
    the two ends are always kept, so arcs shared by two countries still meet."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tolerance2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
                d2 = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d2 > worst:
                worst, worst_at = d2, i
        if worst > tolerance2:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _area(ring: Sequence[Point]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))) / 2


def path_data(rings: Iterable[Sequence[Point]]) -> str:
    """SVG path data for rings already in viewBox units: whole numbers, relative moves, no
    repeated points — the shortest text that draws them."""
    parts: list[str] = []
    for ring in rings:
        rounded: list[tuple[int, int]] = []
        for x, y in ring:
            point = (round(x), round(y))
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(rounded) < 3:
            continue
        x0, y0 = rounded[0]
        steps = [f"M{x0} {y0}l"]
        px, py = x0, y0
        for x, y in rounded[1:]:
            dx, dy = x - px, y - py
            steps.append(f"{dx} {dy} ")
            px, py = x, y
        parts.append("".join(steps).rstrip() + "z")
    return "".join(parts).replace(" -", "-")


@dataclass(frozen=True)
class Shape:
    """One area of a map: its code (ISO 3166-1 alpha-2 or 3166-2), its name and path data."""

    code: str
    name: str
    d: str


@dataclass(frozen=True)
class BaseMap:
    view_box: str
    width: int
    height: int
    shapes: tuple[Shape, ...]
    frame: Frame

    def codes(self) -> set[str]:
        return {s.code for s in self.shapes}


# --- TopoJSON ---------------------------------------------------------------------------------

def atlas_path() -> Path:
    return Path(settings.BASE_DIR) / "node_modules" / "world-atlas" / ATLAS


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute (longitude, latitude) points of every arc: TopoJSON stores them quantised and
    delta-encoded."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring_from_arcs(indexes: Sequence[int], arcs: Sequence[Sequence[Point]]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def geometry_polygons(geometry: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> list[list[Ring]]:
    """A TopoJSON Polygon or MultiPolygon as polygons of rings, from already-decoded arcs."""
    if geometry.get("type") == "Polygon":
        return [[_ring_from_arcs(ring, arcs) for ring in geometry["arcs"]]]
    if geometry.get("type") == "MultiPolygon":
        return [[_ring_from_arcs(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def crosses_antimeridian(ring: Sequence[Point]) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in zip(ring, ring[1:], strict=False))


def split_at_antimeridian(polygons: Iterable[Polygon]) -> list[Polygon]:
    """Polygons that wrap round the ±180° meridian (Natural Earth's eastern Russia), as one
    piece on each side: the ring's longitudes made continuous, then clamped to each half.
    Clamping a ring to a half-plane keeps exactly its part inside (plus zero-area slivers on
    the edge), which is all a drawing needs; without this a ring would cross the whole map."""
    found: list[Polygon] = []
    for polygon in polygons:
        if not any(crosses_antimeridian(ring) for ring in polygon):
            found.append(polygon)
            continue
        unwrapped = []
        for ring in polygon:
            shift, previous, continuous = 0.0, None, []
            for lon, lat in ring:
                if previous is not None and abs(lon - previous) > 180:
                    shift += 360 if previous > lon else -360
                previous = lon
                continuous.append((lon + shift, lat))
            unwrapped.append(continuous)
        for offset in (0.0, 360.0, -360.0):
            piece = [[(max(-180.0, min(180.0, lon + offset)), lat) for lon, lat in ring] for ring in unwrapped]
            if _area(piece[0]) > 0:
                found.append(piece)
    return found


def alpha2_of(numeric: str | None, name: str = "") -> str:
    """ISO 3166-1 alpha-2 for Natural Earth's ISO numeric id ("" when there is none)."""
    if numeric:
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country is not None:
            return str(country.alpha_2)
    return EXTRA_CODES.get(name, "")


def _shapes(named_rings: Iterable[tuple[str, str, list[list[Ring]]]], min_area: float) -> list[Shape]:
    """Path data per area; specks smaller than `min_area` are dropped, but an area always keeps
    its largest polygon, so a small island state stays on the map (and in the legend's reach)."""
    shapes = []
    for code, name, polygons in named_rings:
        kept: list[Ring] = []
        largest: list[Ring] = []
        largest_area = -1.0
        for polygon in polygons:
            if not polygon or len(polygon[0]) < 3:
                continue
            area = _area(polygon[0])
            if area > largest_area:
                largest, largest_area = polygon, area
            if area >= min_area:
                kept.extend(ring for ring in polygon if _area(ring) >= min_area or ring is polygon[0])
        if not kept and largest:
            kept = [largest[0]]
        d = path_data(kept)
        if not d and largest:
            # A state smaller than the grid: a small square where it is, so it can be found.
            x, y = largest[0][0]
            d = f"M{round(x) - 2} {round(y) - 2}h4v4h-4z"
        if d:
            shapes.append(Shape(code, name, d))
    shapes.sort(key=lambda s: s.code)
    return shapes


@cache
def world_map() -> BaseMap:
    """Every country of the world atlas, projected and simplified once per process."""
    topology = json.loads(atlas_path().read_text(encoding="utf-8"))
    frame = world_frame()
    # Project and simplify the arcs, not the rings: neighbours share their border's arc, so
    # they still meet after simplification (no slivers, no overlaps).
    arcs = decode_arcs(topology)
    projected = [simplify([frame.place(lon, lat) for lon, lat in arc], TOLERANCE) for arc in arcs]
    found: dict[str, tuple[str, list[list[Ring]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name", "")
        code = alpha2_of(geometry.get("id"), name)
        if not code or code in LEFT_OUT:
            continue
        polygons = geometry_polygons(geometry, projected)
        degrees = geometry_polygons(geometry, arcs)
        if any(crosses_antimeridian(ring) for polygon in degrees for ring in polygon):
            polygons = [[simplify([frame.place(lon, lat) for lon, lat in ring], TOLERANCE) for ring in polygon]
                        for polygon in split_at_antimeridian(degrees)]
        if code in found:
            found[code][1].extend(polygons)
        else:
            found[code] = (name, polygons)
    shapes = _shapes(((code, name, polygons) for code, (name, polygons) in found.items()), min_area=6.0)
    return BaseMap(frame.view_box, frame.width, frame.height, tuple(shapes), frame)


# --- GeoJSON (subdivisions) -------------------------------------------------------------------

def geojson_polygons(geometry: dict[str, Any]) -> list[Polygon]:
    """A GeoJSON Polygon or MultiPolygon as polygons of (lon, lat) rings."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return [[[(float(p[0]), float(p[1])) for p in ring] for ring in coordinates]]
    if kind == "MultiPolygon":
        return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in coordinates]
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries") or [] for p in geojson_polygons(g)]
    return []


def subdivision_map(country: str, boundaries: Sequence[tuple[str, str, dict[str, Any]]], version: str) -> BaseMap:
    """The subdivisions of one country, fitted to the drawing. `boundaries` gives (ISO 3166-2
    code, name, GeoJSON geometry); `version` changes whenever they do (the cache key)."""
    key = f"analytics:subdivision-map:{country}:{version}"
    cached = shared_cache.get(key)
    if isinstance(cached, BaseMap):
        return cached
    polygons = {code: (name, geojson_polygons(geometry)) for code, name, geometry in boundaries}
    frame = fitted_frame(p for _name, ps in polygons.values() for p in ps)
    tolerance = frame.width / 1500
    placed = []
    for code, (name, ps) in polygons.items():
        rings = [[simplify([frame.place(lon, lat) for lon, lat in ring], tolerance) for ring in polygon]
                 for polygon in ps]
        placed.append((code, name, rings))
    result = BaseMap(frame.view_box, frame.width, frame.height, tuple(_shapes(placed, min_area=1.0)), frame)
    shared_cache.set(key, result, timeout=None)
    return result


def parse_coordinates(text: str) -> Point | None:
    """"lat, lon" as a documenter types it (registry form) → (lon, lat); None when unreadable."""
    parts = text.replace(";", ",").split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat
