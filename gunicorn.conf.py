"""Gunicorn settings for production. The access log carries no client address, no user agent
(DESIGN.md, rule 3) and no path: invitation and password-reset links carry their one-time
token in the path, and a log reader must not be able to use them first. Only the time, the
method, the status, the size and the duration are written."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log at all
access_log_format = '%(t)s %(m)s %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
timeout = 60


def post_worker_init(worker: object) -> None:
    """Before a new worker takes its first request, the world map every public map page paints
    (projected and simplified once per process, about a second): otherwise the first visitor
    of each worker, or the first after a new version of the public tables, waits for it."""
    from amparo.analytics import geo

    geo.world_map()
