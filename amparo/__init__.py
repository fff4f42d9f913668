"""Amparo: protection and solidarity platform for networks of women human rights defenders."""

from amparo.celery import app as celery_app

__all__ = ["celery_app"]
