"""Small-cell and complementary suppression of the public tables, all of them together.

Per year, the public tables are linked by equations that anyone can write down:
- every table sums to the year's total (true for single-valued data; for multi-valued tables it
  is an over-estimate of what a reader knows, which only makes us withhold more);
- a region cell is the sum of its countries' cells, in each shipped grouping;
- a state-vs-non-state cell is the sum of the top-level perpetrator cells whose whole subtree
  has that state (no perpetrator recorded counts as unknown).

Cells under k are suppressed (primary). Then, while some suppressed cell is determined by the
equations and the published cells (its unit vector lies in the row space of the equations
restricted to the suppressed cells: exact rational elimination), the smallest published cell
that shares an equation with it is withheld too (complementary). When no suppressed cell is
determined, no subtraction over any combination of published cells and totals recovers one.
The same cells are withheld for incidents and victims. docs/analytics.md explains the method.
"""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction
from typing import Any

Cell = tuple[str, Hashable]  # (table, key); the year table's key is None


def _equations(cells: dict[Cell, int], groupings: dict[str, list[tuple[Any, list[str]]]],
               perpetrator_states: dict[Any, set[str]]) -> list[dict[Cell, int]]:
    """Linear relations sum(coeff * value) == 0 between one year's cells (absent cells are 0)."""
    total: Cell = ("year", None)
    tables: dict[str, list[Cell]] = {}
    for cell in cells:
        if cell[0] != "year":
            tables.setdefault(cell[0], []).append(cell)
    equations: list[dict[Cell, int]] = []
    for table_cells in tables.values():
        eq: dict[Cell, int] = dict.fromkeys(table_cells, 1)
        eq[total] = eq.get(total, 0) - 1
        equations.append(eq)
    countries = [key for (name, key) in cells if name == "country"]
    for code, regions in groupings.items():
        table = f"region:{code}"
        placed: set[Hashable] = set()
        for region, members in regions:
            placed.update(members)
            in_region: dict[Cell, int] = {(table, region.code): 1}
            for country in members:
                in_region[("country", country)] = -1
            equations.append(in_region)
        elsewhere: dict[Cell, int] = {(table, None): 1}
        for other in countries:
            if other not in placed:
                elsewhere[("country", other)] = -1
        equations.append(elsewhere)
    for state in ("state", "non_state", "unknown"):
        tops = [top for top, states in perpetrator_states.items() if state in states]
        if all(perpetrator_states[top] == {state} for top in tops):
            eq = {("state", state): 1}
            for top in tops:
                eq[("perpetrator", top)] = -1
            equations.append(eq)
    # Keep only cells that exist (absent cells are known zeros).
    return [{c: v for c, v in eq.items() if c in cells and v} for eq in equations]


def determined(equations: list[dict[Cell, int]], hidden: set[Cell]) -> list[Cell]:
    """The hidden cells that the equations fix, given every other cell: those whose unit vector
    is a row of the reduced row echelon form of the equations restricted to the hidden cells."""
    order = sorted(hidden, key=repr)
    index = {cell: i for i, cell in enumerate(order)}
    rows = []
    for eq in equations:
        row = [Fraction(0)] * len(order)
        for cell, coeff in eq.items():
            if cell in index:
                row[index[cell]] = Fraction(coeff)
        if any(row):
            rows.append(row)
    pivot_row = 0
    pivots: list[int] = []
    for col in range(len(order)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append(col)
        pivot_row += 1
        if pivot_row == len(rows):
            break
    fixed = []
    for r, col in enumerate(pivots):
        if sum(1 for v in rows[r] if v != 0) == 1:
            fixed.append(order[col])
    return fixed


def protect_year(cells: dict[Cell, int], groupings: dict[str, list[tuple[Any, list[str]]]],
                 perpetrator_states: dict[Any, set[str]], k: int) -> set[Cell]:
    """The cells of one year to withhold: under k, and enough others that none can be recovered."""
    equations = _equations(cells, groupings, perpetrator_states)
    hidden = {cell for cell, count in cells.items() if 0 < count < k}
    while hidden:
        fixed = determined(equations, hidden)
        if not fixed:
            break
        target = fixed[0]
        # Prefer a partner in the equations where the target is the only hidden cell (those
        # give it away), in as many of them as possible, then the smallest, then not a total.
        exposing = [eq for eq in equations if target in eq and not any(c in hidden for c in eq if c != target)]
        partners = {c for eq in equations if target in eq for c in eq if c not in hidden}
        if not partners:  # cannot happen with nonzero cells; withhold everything rather than leak
            hidden = set(cells)
            break
        hidden.add(min(partners, key=lambda c: (-sum(1 for eq in exposing if c in eq), cells[c], c[0] == "year",
                                                repr(c))))
    return hidden


def protect(tables: dict[str, list[dict[str, Any]]], groupings: dict[str, list[tuple[Any, list[str]]]],
            perpetrator_states: dict[Any, set[str]], k: int) -> dict[str, list[dict[str, Any]]]:
    """`tables` maps table names (country, attack_type, perpetrator, state, region:<code>, year)
    to grouped rows (k_<dim>, k_year, incidents, victims); the answer has, per table, cells
    {key, year, incidents, victims} with None for withheld numbers."""
    by_year: dict[int, dict[Cell, dict[str, Any]]] = {}
    for name, rows in tables.items():
        for row in rows:
            key = _cell_key(name, row)
            by_year.setdefault(row["k_year"], {})[(name, key)] = row
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    for year, cells in sorted(by_year.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        counts = {cell: int(row["incidents"]) for cell, row in cells.items()}
        hidden = protect_year(counts, groupings, perpetrator_states, k)
        for (name, key), row in cells.items():
            withheld = (name, key) in hidden
            out[name].append({"key": key, "year": year,
                              "incidents": None if withheld else int(row["incidents"]),
                              "victims": None if withheld else int(row["victims"] or 0)})
    return out


def _cell_key(name: str, row: dict[str, Any]) -> Hashable:
    if name == "year":
        return None
    dim = "region" if name.startswith("region:") else name
    value = row[f"k_{dim}"]
    if name == "country":
        return value or ""
    return value
