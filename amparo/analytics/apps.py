from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "amparo.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from amparo.analytics import panels, receivers

        panels.register()
        receivers.connect()
