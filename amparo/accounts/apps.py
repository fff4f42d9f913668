from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from amparo.accounts import panels, signals  # noqa: F401 - signals connects receivers

        panels.register()
