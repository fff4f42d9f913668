from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "amparo.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from amparo.support import panels, tasks  # noqa: F401 - the tasks register with Celery

        panels.register()
