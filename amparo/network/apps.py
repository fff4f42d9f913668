from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "amparo.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from amparo.network import panels

        panels.register()
