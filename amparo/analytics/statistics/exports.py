"""An answer as CSV (safe to open in a spreadsheet) or as the command's plain table."""

from __future__ import annotations

import csv
import io
from typing import Any

from amparo.analytics.statistics.questions import Result


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(result: Result) -> str:
    """The rows as CSV, one column per key (`Result.columns`); cells escaped against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_cell(row.get(name)) for name in result.columns])
    return out.getvalue()


def to_table(result: Result) -> str:
    """The rows as a plain text table, for the command."""
    header = result.columns
    lines = [[_cell(row.get(name)) or ("—" if name in ("incidents", "victims") else "") for name in header]
             for row in result.rows]
    total = result.total
    lines.append(["total", *[""] * (len(header) - 5), _cell(total["incidents"]), _cell(total["victims"]), "", ""])
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    render = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in [header, *lines]]
    notes = []
    if result.multi_valued:
        notes.append("An incident counts once in each of its values: shares can sum past 100 %.")
    if result.public and result.any_suppressed:
        notes.append(f"— : fewer than {result.k} incidents, or withheld so that such a cell cannot be worked out.")
    return "\n".join(render + notes) + "\n"
