"""Help requests as people use them: a defender asks with her account and is matched to the
expert who speaks her language; the expert answers from a template; she reads the answer. An
anonymous visitor asks with receipt words and reads the answer with them. Nobody else reads."""

from __future__ import annotations

import re

import pytest

from amparo.helpdesk import services
from amparo.helpdesk.models import HelpMessage, HelpRequest
from amparo.vault.errors import NotAReader
from conftest import sign_in

pytestmark = pytest.mark.django_db


def _ask(client, category="device", language="es", text="Me quitaron el teléfono en la marcha"):
    page = client.get(f"/helpdesk/ask/?category={category}").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    values = {"category": category, "language": language, "text": text, "submission_key": key}
    receipt = re.search(r'name="receipt" value="([^"]*)"', page)
    binding = re.search(r'name="binding" value="([^"]*)"', page)
    if receipt and receipt.group(1):
        values.update(receipt=receipt.group(1), binding=binding.group(1))
    return page, values, client.post("/helpdesk/ask/", values)


def test_it_matches_by_language_and_the_defender_reads_the_answer(client, world, experts):
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    page, values, answer = _ask(client)
    assert "/helpdesk/guides/phone-seized/" in page  # the matching guide, before she writes
    assert answer.status_code == 303
    request = HelpRequest.objects.get()
    assert request.expert == experts["es"] and request.network == world.coalition
    assert client.post("/helpdesk/ask/", values).status_code == 303  # the same form again
    assert HelpRequest.objects.count() == 1

    expert = client.__class__()
    sign_in(expert, experts["es"], world.unlocked["ict_expert"])
    shown = expert.get(f"/helpdesk/desk/{request.pk}/?template=first").content.decode()
    assert "Me quitaron el teléfono" in shown, shown[shown.find("<main"):][:3000]
    assert "Lo siento" in shown  # the template, in Spanish
    assert expert.post(f"/helpdesk/desk/{request.pk}/", {"text": "Bloquea tu cuenta primero.",
                                                         "status": "waiting"}).status_code == 303
    request.refresh_from_db()
    assert request.first_response_at and request.status == HelpRequest.Status.WAITING

    mine = client.get(f"/helpdesk/mine/{request.pk}/").content.decode()
    assert "Bloquea tu cuenta primero." in mine
    # The French expert reads it too (the ring); documenter_a has no key to it.
    message = HelpMessage.objects.filter(author_kind="expert").get()
    from amparo.helpdesk import sealing
    assert sealing.open_message(experts["fr_key"], message) == "Bloquea tu cuenta primero."
    with pytest.raises(NotAReader):
        sealing.open_message(world.unlocked["documenter_a"], message)


def test_a_french_request_goes_to_the_french_expert(client, world, experts):
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    _ask(client, category="spyware", language="fr", text="Mon téléphone chauffe")
    assert HelpRequest.objects.get().expert == experts["fr"]


def test_an_anonymous_visitor_asks_with_words_and_reads_the_answer_with_them(client, world, experts):
    page, values, answer = _ask(client, text="Pregunto sin cuenta")
    assert answer.status_code == 303
    request = HelpRequest.objects.get()
    assert request.requester is None and request.receipt_tag
    shown = client.get(answer["Location"]).content.decode()
    assert values["receipt"] in shown and "Pregunto sin cuenta" in shown
    services.reply_as_expert(experts["es"], request, "Respuesta sellada")
    other = client.__class__()
    opened = other.post("/helpdesk/back/", {"receipt": values["receipt"].upper()})
    assert opened.status_code == 303
    assert "Respuesta sellada" in other.get(opened["Location"]).content.decode()
    assert other.post("/helpdesk/back/", {"receipt": "palabras que no son"}).status_code == 404


def test_another_networks_expert_and_other_people_cannot_open_a_request(client, world, experts):
    sign_in(client, world.users["defender"], world.unlocked["defender"])
    _ask(client)
    request = HelpRequest.objects.get()
    sign_in(client, world.users["supporter"])
    assert client.get(f"/helpdesk/mine/{request.pk}/").status_code == 404
    assert client.get(f"/helpdesk/desk/{request.pk}/").status_code == 403
