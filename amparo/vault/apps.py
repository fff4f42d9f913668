from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "amparo.vault"
    label = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        from amparo.accounts import policy
        from amparo.vault import panels, receivers, services  # noqa: F401 - receivers subscribe

        panels.register()
        policy.set_secret_keeper(lambda secret, label: services.seal_with_service_key(secret, label=label),
                                 lambda sealed, label: services.open_with_service_key(sealed, label=label))
