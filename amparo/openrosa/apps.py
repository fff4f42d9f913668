from django.apps import AppConfig


class OpenRosaConfig(AppConfig):
    name = "amparo.openrosa"
    label = "openrosa"
    verbose_name = "OpenRosa"

    def ready(self) -> None:
        from amparo.openrosa import panels

        panels.register()
