from typing import Any

from django.apps import AppConfig


def _incidents_changed(sender: Any, ids: Any = None, **kwargs: Any) -> None:
    """Registry writes (in their transaction): the public tables are recomputed by their job
    after the commit; staff figures read the incidents and see the write at once."""
    from amparo.analytics.services import public

    public.request_refresh_after_commit()


class AnalyticsConfig(AppConfig):
    name = "amparo.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from amparo.analytics import panels
        from amparo.registry.signals import incidents_changed

        panels.register()
        incidents_changed.connect(_incidents_changed, dispatch_uid="analytics-public-tables")
