from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "amparo.channels"
    label = "channels"
    verbose_name = "Channels"

    def ready(self) -> None:
        # Models are ready only now: the coordinator's panel (the periodic jobs are in
        # settings.CELERY_BEAT_SCHEDULE with the others).
        from amparo.channels import panels, tasks  # noqa: F401 - the tasks register with Celery

        panels.register()
