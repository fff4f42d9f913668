from __future__ import annotations

import pytest

from amparo.helpdesk import services
from amparo.network import services as network
from amparo.network.models import Role
from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from conftest import STANDING_PASSWORD


@pytest.fixture
def experts(world):
    """The standing ICT expert answers in Spanish and knows seized devices; a second expert of
    the coalition answers only in French (and has no open requests either). The shipped guides
    are put back as `migrate` loads them: a live-server test before may have emptied the tables."""
    services.load_shipped_guides()
    spanish = world.users["ict_expert"]
    french = UserFactory.create(username="experte", email="experte@example.org")
    french_key = vault.create_member_key(french, STANDING_PASSWORD)[0]
    network.add_membership("system", user=french, role=Role.ICT_EXPERT, network=world.coalition)
    vault.complete_pending_grants(world.unlocked["ict_expert"])
    services.save_profile(spanish, world.coalition, services.Profile(
        kind="staff", languages=["es", "en"], skills=["device", "account"], available=True, lead=False))
    services.save_profile(french, world.coalition, services.Profile(
        kind="volunteer", languages=["fr"], skills=["device", "spyware"], available=True, lead=True))
    return {"es": spanish, "fr": french, "fr_key": french_key}
