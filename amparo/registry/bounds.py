"""What a number or a date typed by a person may be: one place for the bounds that the forms,
the API serializers, the importer and the statistics' query parameters all check.

The columns take far more (a 64-bit integer on SQLite, year 9999 in a date), so each bound
is a decision about the world, written here with its reason; none is a database constraint
(the statistics also cope with a row written around these checks: see analytics.stats)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# People attacked in one incident. An incident is an attack on a person, a group, an
# organisation or a community; the largest ones documented (a community displaced, a march
# fired on) count people in the thousands, at most the tens of thousands. A larger number is a
# slip of the keyboard or a hostile value, and one such row would outweigh every other case in
# the statistics. The bound also keeps any sum of victims far inside a 64-bit integer:
# 100,000 × a million incidents is 10^11, where SQLite's SUM overflows at 9.2 × 10^18.
MAX_VICTIMS = 100_000

# Years a date may carry. The oldest files we import start in 1992 and a documenter may record
# an old case, but nothing before 1900; the statistics' year filters go to 2100.
FIRST_YEAR, LAST_YEAR = 1900, 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)

LATITUDE, LONGITUDE = 90.0, 180.0
COORDINATES = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d{1,20})?)\s*[,;| ]\s*([-+]?\d{1,3}(?:\.\d{1,20})?)\s*$")


def latest_event_day() -> datetime.date:
    """The latest day an event may have happened on: today, with a day to spare for the time
    zones (a defender in Honduras writes "today" while it is already tomorrow in UTC)."""
    return timezone.localdate() + datetime.timedelta(days=1)


def check_event_date(day: datetime.date | None) -> None:
    """An event that happened (an attack, a report to the authorities, a follow-up, an outcome):
    not before 1900, and not in the future."""
    if day is None:
        return
    if day < FIRST_DAY:
        raise ValidationError(_("Give a date from %(year)s on."), code="too_old", params={"year": FIRST_YEAR})
    if day > latest_event_day():
        raise ValidationError(_("This date is in the future."), code="future")


def check_period_date(day: datetime.date | None) -> None:
    """A date that bounds a period asked about (statistics, filters, reports): 1900 to 2100."""
    if day is None:
        return
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(_("Give a date between %(first)s and %(last)s."), code="out_of_range",
                              params={"first": FIRST_YEAR, "last": LAST_YEAR})


def check_victims(number: int) -> None:
    if not 0 <= number <= MAX_VICTIMS:
        raise ValidationError(_("Write a number of people from 0 to %(limit)s."), code="victims",
                              params={"limit": f"{MAX_VICTIMS:,}"})


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """A latitude and a longitude ("14.07, -87.19", "14.07 -87.19", "14.07|-87.19") within
    ±90 and ±180; None when the text is not that."""
    match = COORDINATES.match(text)
    if not match:
        return None
    lat, lon = float(match[1]), float(match[2])
    if not (-LATITUDE <= lat <= LATITUDE and -LONGITUDE <= lon <= LONGITUDE):
        return None
    return lat, lon


def normal_coordinates(text: str) -> str:
    """The coordinates as every entry point stores them ("14.07, -87.19"), "" for blank; a
    ValidationError for anything else."""
    text = text.strip()
    if not text:
        return ""
    found = parse_coordinates(text)
    if found is None:
        raise ValidationError(_("Write the latitude and the longitude, e.g. 14.07, -87.19."), code="coordinates")
    return f"{found[0]}, {found[1]}"
