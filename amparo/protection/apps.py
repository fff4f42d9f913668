from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "amparo.protection"
    label = "protection"
    verbose_name = "Protection"

    def ready(self) -> None:
        from amparo.protection import panels, tasks  # noqa: F401 - the tasks register with Celery

        panels.register()
