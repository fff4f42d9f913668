from django.apps import AppConfig


class HelpDeskConfig(AppConfig):
    name = "amparo.helpdesk"
    label = "helpdesk"
    verbose_name = "HelpDesk"

    def ready(self) -> None:
        # The dashboard panel registers itself, and the warning sender listens for lockdowns
        # (services never import their workers).
        from amparo.helpdesk import panels, tasks  # noqa: F401

        panels.register()
