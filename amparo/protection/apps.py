from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "amparo.protection"
    label = "protection"
    verbose_name = "Protection"

    def ready(self) -> None:
        from amparo.celery import app
        from amparo.protection import panels, tasks

        panels.register()
        # The missed check-in job joins the beat schedule here, so settings.py stays untouched
        # (the lead may move it into CELERY_BEAT_SCHEDULE).
        app.conf.beat_schedule.setdefault("protection-missed-check-ins", {
            "task": "amparo.protection.tasks.alert_missed_check_ins", "schedule": tasks.EVERY_SECONDS})
