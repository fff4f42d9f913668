from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "amparo.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        from amparo.accounts import policy
        from amparo.network import panels, permissions, receivers  # noqa: F401 - receivers subscribe
        from amparo.network.models import STAFF_ROLES

        panels.register()
        # Documenters, coordinators, ICT experts and fund reviewers must use a second factor.
        policy.set_second_factor_rule(lambda user: permissions.has_role(user, *STAFF_ROLES))
