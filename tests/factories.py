"""Factories for the records every test needs. Names are plainly fictional."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.people import actions as people_actions
from itaku.people.models import Absence, Organization, Person, RoleAssignment, User
from itaku.people.roles import CONTRACTOR_ROLES, Role


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = "テスト市 市民生活総務課"
    kind = Organization.Kind.CITY


class ContractorFactory(OrganizationFactory):
    name = "株式会社テスト受託"
    kind = Organization.Kind.CONTRACTOR


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"試験 太郎{n}")
    name_kana = factory.Sequence(lambda n: f"しけん たろう{n}")
    organization = factory.SubFactory(OrganizationFactory)
    badge_number = factory.Sequence(lambda n: f"T-{n:04d}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    role = Role.CITY_STAFF
    starts_on = date(2020, 4, 1)
    ends_on = None


def person_with_role(role: Role, *, username: str | None = None, **fields) -> Person:
    """A person holding `role` since 2020; with a login (and TOTP device) when named."""
    if role in CONTRACTOR_ROLES:
        fields.setdefault("organization", ContractorFactory())
    person = PersonFactory(**fields)
    RoleAssignmentFactory(person=person, role=role)
    if username:
        person.user = UserFactory(username=username)
        person.save(update_fields=["user"])
        if role.needs_second_factor:
            TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
    return person


def manager_away(
    manager: Person, *, by: Person | None = None, hours: tuple[int, int] = (-1, 3), reason="出張"
) -> Absence:
    """The manager recorded absent from `hours[0]` to `hours[1]` hours from now: the deputy
    acts for her meanwhile (3-1). Recorded by the manager herself unless `by` says otherwise."""
    now = timezone.now()
    return people_actions.record_absence(
        manager,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        reason=reason,
        by=by or manager,
    )
