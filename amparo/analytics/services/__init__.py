"""Every write of the analytics app, a module per job: region groupings (`groupings`), assessment
reports (`reports`: asking, claiming, making), map boundaries (`boundaries`) and the published
public tables (`public`: the single-flight job, `refresh_public_tables`). Each write is
audited in its transaction. Callers use `from amparo.analytics import services`."""

from amparo.analytics.services.boundaries import CODE_PROPERTIES, Loaded, load_boundaries
from amparo.analytics.services.groupings import add_region, create_grouping, move_countries
from amparo.analytics.services.public import refresh_public_tables, request_refresh
from amparo.analytics.services.reports import ReportRefused, generate, request_report

__all__ = [
    "CODE_PROPERTIES", "Loaded", "ReportRefused", "add_region", "create_grouping", "generate", "load_boundaries",
    "move_countries", "refresh_public_tables", "request_refresh", "request_report",
]
