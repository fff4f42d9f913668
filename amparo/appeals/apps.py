from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "amparo.appeals"
    label = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        from amparo.appeals import panels

        panels.register()
