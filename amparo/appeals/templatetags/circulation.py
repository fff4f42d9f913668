"""`{% circulation_progress appeal %}`: the circulation block of the appeal's staff page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _

from amparo.appeals import progress
from amparo.appeals.models import Appeal, AppealUpdate, Delivery

register = template.Library()


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = max(0.0, value.total_seconds())
    if seconds < 60:
        return _("%(s).1f s") % {"s": seconds}
    if seconds < 3600:
        return _("%(m)d min %(s)d s") % {"m": seconds // 60, "s": seconds % 60}
    return _("%(h)d h %(m)d min") % {"h": seconds // 3600, "m": (seconds % 3600) // 60}


def _block(label: str, figures: list[progress.ChannelProgress]) -> dict[str, Any]:
    labels = dict(Delivery.Channel.choices)
    rows = [{"label": labels.get(p.channel, p.channel),
             "waiting": p.counts["queued"] + p.counts["claimed"], "retrying": p.retrying,
             "sent": p.counts["sent"], "failed": p.counts["failed"], "bounced": p.counts["bounced"],
             "stopped": p.counts["stopped"], "first": _duration(p.first), "last": _duration(p.last)}
            for p in figures]
    return {"label": label, "rows": rows}


@register.inclusion_tag("appeals/_circulation.html")
def circulation_progress(appeal: Appeal) -> dict[str, Any]:
    """Queued, sent, failed, bounced and stopped per channel, for the appeal and each update,
    with the time from approval to the first and the last message."""
    blocks = []
    if appeal.approved_at is not None:
        blocks.append(_block(_("The appeal"), progress.progress(appeal)))
        for update in AppealUpdate.objects.filter(appeal=appeal).exclude(status=AppealUpdate.Status.DRAFT):
            blocks.append(_block(_("Update %(n)d") % {"n": update.number}, progress.progress(appeal, update)))
    return {"blocks": [b for b in blocks if b["rows"]], "appeal": appeal}
