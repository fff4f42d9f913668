"""Every write of the analytics app: region groupings. Each write is audited in its transaction;
those that change the public region tables ask for a run of the public-table job."""

from __future__ import annotations

from django.db import transaction

from amparo.accounts.models import User
from amparo.analytics.actions import Action
from amparo.analytics.models import Grouping, Region, RegionCountry
from amparo.analytics.services.public import request_refresh_after_commit
from amparo.core.services import record_audit
from amparo.network.permissions import audit_scopes


def _scope(actor: User) -> str:
    scopes = audit_scopes(actor)
    return scopes[0] if scopes else ""


def create_grouping(actor: User, *, code: str, label_en: str, label_es: str = "", label_fr: str = "",
                    label_pt: str = "") -> Grouping:
    with transaction.atomic():
        grouping = Grouping.objects.create(code=code, kind=Grouping.Kind.CUSTOM, label_en=label_en,
                                           label_es=label_es, label_fr=label_fr, label_pt=label_pt,
                                           position=Grouping.objects.count() + 1)
        record_audit(actor, Action.GROUPING_CREATED, grouping, scope=_scope(actor))
    return grouping


def add_region(actor: User, grouping: Grouping, *, code: str, label_en: str, label_es: str = "",
               label_fr: str = "", label_pt: str = "") -> Region:
    with transaction.atomic():
        region = Region.objects.create(grouping=grouping, code=code, label_en=label_en, label_es=label_es,
                                       label_fr=label_fr, label_pt=label_pt,
                                       position=grouping.regions.count() + 1)
        record_audit(actor, Action.REGION_ADDED, region, scope=_scope(actor))
        request_refresh_after_commit()  # the public region tables list a grouping's regions
    return region


def move_countries(actor: User, grouping: Grouping, countries: list[str], region: Region | None) -> int:
    """Put `countries` in `region` of `grouping` (None: in no region of it); returns how many."""
    if region is not None and region.grouping_id != grouping.pk:
        raise ValueError("the region belongs to another grouping")
    with transaction.atomic():
        RegionCountry.objects.filter(grouping=grouping, country__in=countries).delete()
        if region is not None:
            RegionCountry.objects.bulk_create([RegionCountry(grouping=grouping, region=region, country=c)
                                               for c in countries])
        record_audit(actor, Action.COUNTRIES_MOVED, grouping, scope=_scope(actor))
        request_refresh_after_commit()  # the public region tables sum countries by region
    return len(countries)
