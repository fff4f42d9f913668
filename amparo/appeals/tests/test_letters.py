"""A prepared letter has one greeting (issue 15, point 7): the addressee's salutation, even when
the drafter typed a greeting of her own at the top of the letter."""

from __future__ import annotations

import pytest

from amparo.appeals import services
from amparo.appeals.views_public import _greeted


@pytest.mark.parametrize(("salutation", "letter", "expected"), [
    ("Dear Attorney General", "I ask you to protect her.", "Dear Attorney General\n\nI ask you to protect her."),
    ("Dear Attorney General,", "Dear Attorney General,\n\nI ask you to protect her.",
     "Dear Attorney General,\n\nI ask you to protect her."),
    ("Señor Fiscal General:", "Estimado señor:\nLe pido que la proteja.",
     "Señor Fiscal General:\n\nLe pido que la proteja."),
    ("", "Dear Sir or Madam,\n\nI ask you to protect her.", "Dear Sir or Madam,\n\nI ask you to protect her."),
    # A first sentence is not a greeting: nothing is taken away.
    ("Dear Minister", "In March, armed men came to her office: she was not there.\nProtect her.",
     "Dear Minister\n\nIn March, armed men came to her office: she was not there.\nProtect her."),
])
def test_it_keeps_one_greeting(salutation, letter, expected):
    assert _greeted(salutation, letter) == expected


def test_the_public_page_greets_once_when_the_drafter_typed_the_greeting(client, world):
    author = world.users["documenter_a"]
    appeal = services.draft_appeal(author, world.desk_a, services.AppealData(
        language="en", country="HN", title="Honduras: threats – a defender", summary="She was threatened.",
        actions="Protect her", letter="Dear Attorney General,\n\nI ask you to protect her."), submission_key="greet")
    services.add_addressee(author, appeal, authority="Attorney General", salutation="Dear Attorney General,",
                           email="ag@authorities.example")
    services.submit_for_review(author, appeal)
    services.approve_appeal(world.users["coordinator"], appeal, unlocked=world.unlocked["coordinator"])
    page = client.get(f"/appeals/p/{appeal.pk}/").content.decode()
    assert page.count("Dear Attorney General,") == 1, page
