from __future__ import annotations

import pyotp
import pytest
from django.utils import timezone

from amparo.accounts import services
from amparo.accounts.models import RecoveryCode, SecondFactor
from amparo.accounts.session_keys import SECOND_FACTOR_OK
from amparo.network.tests.factories import UserFactory
from amparo.vault import services as vault
from conftest import enrol_second_factor

PASSWORD = "a long enough passphrase for tests"


@pytest.fixture
def person(db, fast_password_hashing):
    user = services.create_user(username="marta", password=PASSWORD, email="marta@example.org")
    vault.create_member_key(user, PASSWORD)  # an existing member: no first-login key page
    return user


def _enrolled(user) -> pyotp.TOTP:
    return pyotp.TOTP(enrol_second_factor(user))


def test_it_refuses_a_reused_code(person):
    totp = _enrolled(person)
    code = totp.now()
    assert services.verify_second_factor(person, code)
    assert not services.verify_second_factor(person, code)


def test_it_refuses_an_older_code_after_a_newer_one(person):
    totp = _enrolled(person)
    now = timezone.now().timestamp()
    assert services.verify_second_factor(person, totp.at(now))
    assert not services.verify_second_factor(person, totp.at(now - 30))


def test_it_enrols_with_a_first_code_and_issues_ten_recovery_codes_once_usable(person):
    factor = services.start_second_factor(person)
    assert services.confirm_second_factor(person, "000000") is None
    codes = services.confirm_second_factor(person, pyotp.TOTP(factor.secret).now())
    assert codes is not None and len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=person).values_list("code_hash", flat=True))
    assert not stored & set(codes)  # only hashes are kept
    assert services.verify_second_factor(person, codes[0])
    assert not services.verify_second_factor(person, codes[0])
    assert services.verify_second_factor(person, codes[1].upper())


def test_it_asks_for_the_code_after_the_password(client, person):
    totp = _enrolled(person)
    response = client.post("/accounts/login/", {"username": "marta", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert client.get("/accounts/dashboard/").status_code == 302  # not logged in yet
    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    assert "This code does not work" in wrong.content.decode()
    ok = client.post("/accounts/login/code/", {"code": totp.now()})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/dashboard/"
    assert client.session[SECOND_FACTOR_OK] is True
    assert client.get("/accounts/dashboard/").status_code == 200


def test_it_keeps_staff_on_the_enrolment_page_until_enrolled(client, world):
    person = UserFactory.create(username="new_documenter")
    from amparo.network import services as network
    from amparo.network.models import Role

    network.add_membership("system", user=person, role=Role.DOCUMENTER, network=world.network_a,
                           desk=world.desk_a)
    client.force_login(person)
    for path in ["/accounts/dashboard/", f"/network/desks/{world.desk_a.slug}/", "/accounts/security/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/second-factor/", path
    page = client.get("/accounts/second-factor/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code, inline
    secret = SecondFactor.objects.get(user=person).secret
    confirmed = client.post("/accounts/second-factor/", {"code": pyotp.TOTP(secret).now()})
    assert "Your recovery codes" in confirmed.content.decode()
    assert client.get(f"/network/desks/{world.desk_a.slug}/").status_code == 200


def test_it_offers_but_does_not_force_a_second_factor_on_defenders(client, world):
    client.force_login(world.users["defender"])
    dashboard = client.get("/accounts/dashboard/")
    assert dashboard.status_code == 200
    assert "Add a second factor" in dashboard.content.decode()


def test_it_lets_into_the_admin_only_after_the_second_factor(client, person):
    person.is_staff = person.is_superuser = True
    person.save()
    client.force_login(person)
    # A superuser with no second factor is sent to enrol, not into the admin.
    assert client.get("/admin/")["Location"] == "/accounts/second-factor/"
    totp = _enrolled(person)
    client.logout()
    client.post("/accounts/login/", {"username": "marta", "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": totp.now()})
    assert client.get("/admin/").status_code == 200


def test_it_sends_the_admin_login_to_ours(client, person):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fadmin%2F")


@pytest.mark.django_db(transaction=True)
def test_it_keeps_no_totp_secret_in_clear_in_the_database(person, settings):
    """The secret is sealed with the service key: neither it nor its bytes are in the file."""
    import base64
    from pathlib import Path

    from django.db import connection

    factor = services.start_second_factor(person)
    services.confirm_second_factor(person, pyotp.TOTP(factor.secret).now())
    stored = SecondFactor.objects.get(user=person)
    assert stored.secret == factor.secret and len(stored.secret) == 32
    raw = base64.b32decode(factor.secret)
    if connection.vendor == "sqlite":
        connection.close()
        path = Path(settings.DATABASES["default"]["NAME"])
        dump = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT encode(sealed_secret, 'escape') FROM accounts_secondfactor")
            dump = "".join(r[0] for r in cursor.fetchall()).encode()
    assert factor.secret.encode() not in dump and raw not in dump
    assert factor.secret.encode() not in bytes(stored.sealed_secret)


def test_the_admin_never_sets_another_persons_password(client, person, fast_password_hashing):
    """Her private key is wrapped by her password: a password set in the admin would lock her
    out of her records and let the administrator sign in as her. The page refuses and says how."""
    admin = services.create_user(username="ada", password=PASSWORD, email="ada@example.org")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    vault.create_member_key(admin, PASSWORD)
    totp = _enrolled(admin)
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    client.post("/accounts/login/code/", {"code": totp.now()})
    url = f"/admin/accounts/user/{person.pk}/password/"
    shown = client.get(url, follow=True)
    assert shown.redirect_chain[-1][0] == f"/admin/accounts/user/{person.pk}/change/"
    assert "recovery sheet" in shown.content.decode()
    sent = client.post(url, {"password1": "a brand new passphrase 123", "password2": "a brand new passphrase 123",
                             "usable_password": "true"})
    assert sent.status_code == 302
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert not person.check_password("a brand new passphrase 123")
