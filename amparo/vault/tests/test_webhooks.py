"""The webhook signatures: Twilio's published example, and refusals."""

from __future__ import annotations

from amparo.vault import services as vault

URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
          ("From", "+14158675309"), ("To", "+18005551212")]
PUBLISHED = "RSOYDt4T1cUTdK1PDd93/VVr8B8="  # Twilio's documented example (token "12345")


def test_it_gives_twilios_published_signature_whatever_the_order():
    assert vault.twilio_signature(URL, PARAMS, "12345") == PUBLISHED
    assert vault.twilio_signature(URL, list(reversed(PARAMS)), "12345") == PUBLISHED
    assert vault.twilio_signature_valid(URL, PARAMS, "12345", PUBLISHED)


def test_it_refuses_a_changed_body_token_url_or_empty_signature():
    changed = [(k, "9999" if k == "Digits" else v) for k, v in PARAMS]
    assert not vault.twilio_signature_valid(URL, changed, "12345", PUBLISHED)
    assert not vault.twilio_signature_valid(URL, PARAMS, "54321", PUBLISHED)
    assert not vault.twilio_signature_valid(URL + "&x=1", PARAMS, "12345", PUBLISHED)
    assert not vault.twilio_signature_valid(URL, PARAMS, "12345", "")
    assert not vault.twilio_signature_valid(URL, PARAMS, "", PUBLISHED)


def test_a_shared_secret_matches_only_itself():
    assert vault.secret_matches("a long shared secret", "a long shared secret")
    assert not vault.secret_matches("a long shared secret", "a long shared secreT")
    assert not vault.secret_matches("", "")
