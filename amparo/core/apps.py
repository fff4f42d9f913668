from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = "Amparo core"

    def ready(self) -> None:
        from django.http import multipartparser

        from amparo.core import checks  # noqa: F401 - registers the system checks
        from amparo.core.uploads import PART_HEADERS_MAX_BYTES

        # A file name of any script and length must not make the whole form fail (uploads.py).
        limit = max(getattr(multipartparser, "MAX_TOTAL_HEADER_SIZE", 0), PART_HEADERS_MAX_BYTES)
        multipartparser.MAX_TOTAL_HEADER_SIZE = limit  # type: ignore[attr-defined]  # a module constant django-stubs does not declare
