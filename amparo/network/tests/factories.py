from __future__ import annotations

import factory

from amparo.accounts.models import User
from amparo.network.models import Desk, Membership, Network, Organisation, Role


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    password = "!unusable"  # tests log in with force_login; hashing is tested on its own


class NetworkFactory(factory.django.DjangoModelFactory[Network]):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    kind = Network.Kind.NATIONAL


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")


class DeskFactory(factory.django.DjangoModelFactory[Desk]):
    class Meta:
        model = Desk
        django_get_or_create = ("slug",)

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Desk {n}")
    slug = factory.Sequence(lambda n: f"desk-{n}")
    countries = factory.LazyFunction(lambda: ["HN"])


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SUPPORTER
    network = factory.SubFactory(NetworkFactory)
