from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "amparo.registry"
    label = "registry"
    verbose_name = "Registry"

    def ready(self) -> None:
        from amparo.registry import panels

        panels.register()
