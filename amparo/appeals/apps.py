from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "amparo.appeals"
    label = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        # Models are ready only now: the staff panel registers itself, and the sender tasks
        # connect to the queue's `deliveries_due` (services never import their workers).
        from amparo.appeals import panels, tasks  # noqa: F401

        panels.register()
