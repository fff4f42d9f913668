"""The appeals' models, by subject: appeals and their words (`appeals`), supporters
(`supporters`), and the deliveries table that is circulation's queue (`circulation`)."""

from .appeals import (
    LANGUAGE_CODES,
    LANGUAGES,
    Action,
    Addressee,
    Appeal,
    AppealText,
    AppealUpdate,
    ReferenceCounter,
    Response,
    SealedWords,
    UpdateText,
)
from .circulation import Delivery
from .supporters import Confirmation, Supporter, SupporterCountry, SupporterQuerySet

__all__ = [
    "LANGUAGES", "LANGUAGE_CODES", "Action", "Addressee", "Appeal", "AppealText", "AppealUpdate", "Confirmation",
    "Delivery", "ReferenceCounter", "Response", "SealedWords", "Supporter", "SupporterCountry", "SupporterQuerySet",
    "UpdateText",
]
