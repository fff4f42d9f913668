"""The analytics app's models, a module per subject: region groupings (`regions`), subdivision
boundaries for the map (`boundaries`), assessment reports (`reports`) and the published public
tables (`public`), and the summary tables of the staff statistics (`rollups`). Their tables are the
ones they always had (the app label is still `analytics`)."""

from amparo.analytics.models.boundaries import Boundary
from amparo.analytics.models.public import PublicRefresh, PublicTables
from amparo.analytics.models.regions import Grouping, Labelled, Region, RegionCountry
from amparo.analytics.models.reports import SECTION_CODES, SECTIONS, Report
from amparo.analytics.models.rollups import (
    RollupCell,
    RollupFact,
    RollupFactNext,
    RollupFactTerm,
    RollupFactTermNext,
    RollupState,
    RollupTermCell,
    RollupTermKey,
)

__all__ = ["SECTIONS", "SECTION_CODES", "Boundary", "Grouping", "Labelled", "PublicRefresh", "PublicTables", "Region",
           "RegionCountry", "Report", "RollupCell", "RollupFact", "RollupFactNext", "RollupFactTerm",
           "RollupFactTermNext", "RollupState", "RollupTermCell", "RollupTermKey"]
