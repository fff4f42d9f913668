from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "amparo.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        # The dashboard panel, and the overdue reminder in the beat schedule (settings untouched).
        from amparo.celery import app
        from amparo.support import panels, tasks

        panels.register()
        tasks.schedule(app.conf.beat_schedule)
