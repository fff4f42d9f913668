"""Experts' profiles: languages, skills (categories), availability, and the lead mark."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from amparo.accounts.models import User
from amparo.core.services import record_audit
from amparo.helpdesk.actions import Action
from amparo.helpdesk.models import ExpertProfile
from amparo.network import services as network
from amparo.network.models import Network


@dataclass
class Profile:
    kind: str
    languages: list[str]
    skills: list[str]
    available: bool
    lead: bool


def save_profile(user: User, where: Network, profile: Profile) -> ExpertProfile:
    """Create or change her profile in `where` (a network where she is an ICT expert)."""
    with transaction.atomic():
        saved, _created = ExpertProfile.objects.update_or_create(user=user, defaults={
            "network": where, "kind": profile.kind, "languages": sorted(set(profile.languages)),
            "skills": sorted(set(profile.skills)), "available": profile.available, "lead": profile.lead})
        record_audit(user, Action.PROFILE_SAVED, saved, scope=network.scope_of(where))
    return saved
