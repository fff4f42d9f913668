from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "amparo.channels"
    label = "channels"
    verbose_name = "Channels"

    def ready(self) -> None:
        # Models are ready only now: the coordinator's panel, and the periodic jobs (mailboxes
        # read, conversations left half-way expired) added to the Celery app's schedule.
        from amparo.celery import app
        from amparo.channels import panels, tasks

        panels.register()
        tasks.schedule(app)
