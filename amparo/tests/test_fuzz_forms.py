"""Hypothesis against every public form (issue 17, "Fuzzing in CI"): the anonymous report at
/r/, her conversation (the receipt, then a message), subscribing, recording an appeal action,
logging in and resetting a password.

Each example is a POST through Django's test client, as a browser sends the rendered form,
with any value in any field (missing, a valid choice, any text, a list where one value is
expected). For every answer:
- never a server error (the test client raises the view's exception);
- a refusal says why on the page (an error list, or the page's alert);
- a refusal stores nothing: Amparo's tables have the same row counts before and after, but
  for the counters and the audit entries that a refusal writes on purpose.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from hypothesis import example, given
from hypothesis import strategies as st

from amparo.accounts.models import User
from amparo.appeals.models import Action, Supporter
from amparo.network import countries
from amparo.registry.models import AnonymousReceipt, Incident, Message
from amparo.registry.services import intake
from amparo.tests.fuzz import SHORT, TEXT, amparo_counts, bounded, changed, form_values, shows_an_error
from conftest import STANDING_PASSWORD

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Rows a refusal may add on purpose: the atomic counters of the throttles and the audit log.
BOOKKEEPING = {"core.Counter", "core.AuditEntry", "core.AuditHead"}


@pytest.fixture
def public(world, vocabulary, settings, fast_password_hashing):
    """The standing world, with the site-wide limits out of the way (their own tests keep
    them; here every example must reach the form)."""
    settings.ANONYMOUS_GLOBAL_PER_MINUTE = 10**9
    settings.APPEAL_ACTIONS_PER_MINUTE = 10**9
    settings.LOGIN_GLOBAL_FAILURES_PER_MINUTE = 10**9
    cache.clear()
    return world


def _refused(response, before, *, allowed=BOOKKEEPING) -> None:
    """A refusal: a page that says why, and nothing stored."""
    html = response.content.decode()
    assert shows_an_error(html), (response.status_code, html[:2000])
    assert not changed(before, amparo_counts(), allowed), changed(before, amparo_counts(), allowed)


COUNTRIES = ["", "HN", "CD", "FR", "XX", "hn"]
REPORT_FIELDS = ["country", "narrative", "when", "where", "targeted", "perpetrator", "safe_now", "help_wanted",
                 "consent_statistics", "consent_public_appeal", "consent_un"]
REPORT_CHOICES = {"country": COUNTRIES, "targeted": ["", "herself", "colleague", "relative", "organisation"],
                  "safe_now": ["", "yes", "no", "unsure"], "consent_statistics": ["on"],
                  "consent_public_appeal": ["on"], "consent_un": ["on"]}


# --- /r/: the anonymous report ----------------------------------------------------------------

@bounded()
@given(fields=form_values(REPORT_FIELDS, REPORT_CHOICES))
def test_the_anonymous_report_stores_one_whole_report_or_says_why(client, public, fields):
    receipt, binding = intake.issue_receipt("en")  # what the page carries in its hidden fields
    before = amparo_counts()
    response = client.post("/r/", {**fields, "receipt": receipt, "binding": binding})
    assert response.status_code in (303, 400, 503), response.status_code
    if response.status_code == 303:  # on to her short-lived page: the report is stored, whole
        assert response["Location"].startswith("/r/v/")
        after = amparo_counts()
        assert after["registry.Incident"] == before["registry.Incident"] + 1
        assert after["registry.AnonymousReceipt"] == before["registry.AnonymousReceipt"] + 1
    else:
        _refused(response, before)


@bounded()
@given(receipt=TEXT, binding=SHORT, narrative=TEXT)
@example(receipt="ñandú", binding="ñ", narrative="x")  # was a 500: compare_digest refused non-ASCII text
def test_a_report_with_words_the_server_never_issued_stores_nothing(client, public, receipt, binding, narrative):
    before = amparo_counts()
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN", "narrative": narrative})
    assert response.status_code in (200, 400), response.status_code
    # Either her answers come back with fresh words and a note, or (nothing she could have
    # typed: no answer at all) a fresh form; never a stored report.
    assert not changed(before, amparo_counts(), BOOKKEEPING)
    if response.status_code == 400:
        assert shows_an_error(response.content.decode())


# --- Her conversation -------------------------------------------------------------------------

@pytest.fixture
def her_report(client, public) -> tuple[str, str]:
    """Her receipt, and the short-lived address her report led to."""
    receipt, binding = intake.issue_receipt("en")
    response = client.post("/r/", {"receipt": receipt, "binding": binding, "country": "HN",
                                   "narrative": "they followed me"})
    assert response.status_code == 303
    return receipt, response["Location"]


@bounded()
@given(typed=st.one_of(TEXT, st.just("")))
def test_coming_back_opens_only_her_report_and_says_so_otherwise(client, her_report, typed):
    her_receipt, _ = her_report
    before = amparo_counts()
    response = client.post("/r/back/", {"receipt": typed})
    assert response.status_code in (303, 400, 404), response.status_code
    if response.status_code == 303:  # on to her conversation's short-lived address
        assert response["Location"].startswith("/r/v/")
        assert intake.vault.normal_receipt(typed) == intake.vault.normal_receipt(her_receipt)
    else:
        _refused(response, before)


@bounded()
@given(own=st.booleans(), text=st.one_of(TEXT, st.just(""), st.just("   ")))
@example(own=True, text="   ")  # said "sent" and stored nothing
def test_writing_to_the_team_stores_her_message_or_says_why(client, her_report, own, text):
    # Her own page's address, or one that never was (or has closed): nothing is stored there.
    address = her_report[1] if own else "/r/v/" + "A" * 43 + "/"
    before = amparo_counts()
    response = client.post(address, {"text": text})
    assert response.status_code in (303, 400, 404), response.status_code
    after = amparo_counts()
    if response.status_code == 303:
        # "Sent" only when something was: a message that holds more than spaces.
        assert after["registry.Message"] == before["registry.Message"] + 1, (repr(text), response.status_code)
        assert text.strip() and own
    elif response.status_code == 404:  # the page has closed: her words wait in the page, not stored
        assert not own and not changed(before, after, BOOKKEEPING)
    else:
        _refused(response, before)


# --- Subscribing --------------------------------------------------------------------------------

SUBSCRIBE_FIELDS = ["email", "name", "kind", "languages", "countries", "themes", "by_email", "by_sms", "phone"]
SUBSCRIBE_CHOICES = {"email": ["ana@example.org", "ANA@example.org", " b@example.org ", "no-at-sign", "a@b"],
                     "kind": ["individual", "organisation"], "languages": ["en", "es", "fr", "pt"],
                     "countries": ["HN", "FR", "XX"], "themes": ["theme.land", "nothing"], "by_email": ["on"],
                     "by_sms": ["on"], "phone": ["+50499999999", "123", ""]}


@bounded()
@given(fields=form_values(SUBSCRIBE_FIELDS, SUBSCRIBE_CHOICES))
def test_subscribing_asks_her_to_confirm_or_says_why(client, public, fields):
    mail.outbox.clear()
    before = amparo_counts()
    response = client.post("/appeals/subscribe/", fields)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200 and "appeals/subscribe_sent.html" in [t.name for t in response.templates]:
        assert amparo_counts()["appeals.Supporter"] - before["appeals.Supporter"] in (0, 1)
    elif not fields:  # a POST without a single field (no browser sends one: the address is always there)
        assert response.status_code == 200 and not changed(before, amparo_counts(), BOOKKEEPING)
    else:
        assert response.status_code == 400
        _refused(response, before)
        assert not mail.outbox


# --- Recording an appeal action -----------------------------------------------------------------

@pytest.fixture
def appeal(public):
    from amparo.appeals.tests.test_appeals import approved

    return approved(public)


@bounded()
@given(fields=form_values(["submission_key", "kind", "country"], {
    "kind": ["letter", "email", "call", "visit", "social", "other"], "country": ["", "FR", "XX", "hn"],
    "submission_key": ["k1", "k2", "a" * 64, "a" * 65]}))
@example(fields={"submission_key": "a" * 65, "kind": "letter"})  # refused without a word on the page
def test_an_action_is_counted_once_or_the_page_says_why(client, appeal, fields):
    before = amparo_counts()
    response = client.post(f"/appeals/p/{appeal.pk}/", fields)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert amparo_counts()["appeals.Action"] - before["appeals.Action"] in (0, 1)  # a double submit counts once
        action = Action.objects.order_by("-pk").first()
        assert action is not None and (action.country == "" or action.country in countries.codes())
    else:
        _refused(response, before)


# --- Logging in and resetting a password --------------------------------------------------------

@pytest.fixture
def passwords(public):
    for user in public.users.values():
        user.set_password(STANDING_PASSWORD)
        user.save(update_fields=["password"])
    return public


@bounded()
@given(username=st.one_of(st.sampled_from(["defender", "documenter_a", "nobody", "DEFENDER"]), SHORT),
       password=st.one_of(st.just(STANDING_PASSWORD), TEXT))
@example(username="defender", password="")  # the page came back without a word of why
def test_logging_in_lets_her_in_or_says_why(client, passwords, username, password):
    client.logout()
    cache.clear()  # the per-account throttle has its own tests; here every try reaches the password
    before = amparo_counts()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert password == STANDING_PASSWORD and username.strip().lower() in ("defender", "documenter_a")
    else:
        _refused(response, before, allowed=BOOKKEEPING | {"accounts.UserSession"})


@bounded()
@given(email=st.one_of(st.sampled_from(["documenter_a@example.org", "nobody@example.org"]), SHORT, TEXT))
def test_asking_for_a_reset_link_answers_the_same_or_says_why(client, public, email):
    before = amparo_counts()
    response = client.post("/accounts/password-reset/", {"email": email})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert response["Location"].endswith("/accounts/password-reset/sent/")
    else:
        _refused(response, before)


@pytest.fixture
def reset_form(client, public) -> str:
    """The page an e-mailed reset link opens, for a documenter with a second factor."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = public.users["documenter_a"]
    user.set_password(STANDING_PASSWORD)
    user.save(update_fields=["password"])
    link = f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}/"
    response = client.get(link)
    assert response.status_code == 302
    return response["Location"]


@bounded()
@given(new=st.one_of(st.just("a brand new long password for her"), TEXT), again=st.booleans(),
       code=st.one_of(st.just(""), st.from_regex(r"\A[0-9]{6}\Z"), SHORT))
def test_a_reset_without_her_second_factor_changes_nothing_and_says_why(client, reset_form, new, again, code):
    user = User.objects.get(username="documenter_a")
    before, password = amparo_counts(), user.password
    response = client.post(reset_form, {"new_password1": new, "new_password2": new if again else new + "x",
                                        "code": code})
    assert response.status_code in (200, 429), response.status_code
    user.refresh_from_db()
    assert user.password == password  # a guessed code never resets it (1 in a million per try aside)
    _refused(response, before)


def test_the_tables_the_checks_name_are_counted(db):
    """A renamed model would make a count check vacuous: fail loudly instead."""
    named = {m._meta.label for m in (Incident, AnonymousReceipt, Message, Supporter, Action)} | BOOKKEEPING
    assert named <= set(amparo_counts())
