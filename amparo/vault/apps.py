from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "amparo.vault"
    label = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        from amparo.vault import panels, receivers  # noqa: F401 - receivers subscribe

        panels.register()
