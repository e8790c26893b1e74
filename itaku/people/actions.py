"""Audited changes to people and roles. Each saves the change and its event in one transaction."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.audit.log import record
from itaku.people.events import PeopleEvent
from itaku.people.models import Absence, Organization, Person, RoleAssignment, User
from itaku.people.roles import Role


@transaction.atomic
def register_person(
    *,
    name: str,
    name_kana: str,
    organization: Organization,
    badge_number: str | None,
    by: Person | None,
) -> Person:
    person = Person(
        name=name, name_kana=name_kana, organization=organization, badge_number=badge_number
    )
    person.full_clean()
    person.save()
    record(
        PeopleEvent.PERSON_REGISTERED,
        actor=by,
        target=person,
        changes={
            "name": name,
            "name_kana": name_kana,
            "organization": organization.pk,
            "badge_number": badge_number,
        },
    )
    return person


@transaction.atomic
def grant_login(
    person: Person, *, username: str, password: str, by: Person | None, email: str = ""
) -> User:
    """Give a person a login. The password itself never reaches the audit trail; the e-mail
    address is where `itaku daily` sends the manager's and deputy's reminders."""
    if person.user is not None:
        raise ValidationError({"username": _("This person already has a login.")})
    user = User(username=username, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    changes = {"username": username} | ({"email": email} if email else {})
    record(PeopleEvent.LOGIN_GRANTED, actor=by, target=person, changes=changes)
    return user


@transaction.atomic
def assign_role(
    person: Person, role: Role, *, starts_on: date, ends_on: date | None, by: Person | None
) -> RoleAssignment:
    assignment = RoleAssignment(person=person, role=role, starts_on=starts_on, ends_on=ends_on)
    assignment.full_clean()
    assignment.save()
    record(
        PeopleEvent.ROLE_ASSIGNED,
        actor=by,
        target=assignment,
        changes={
            "person": person.pk,
            "role": role.value,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return assignment


@transaction.atomic
def end_role(assignment: RoleAssignment, *, on: date, by: Person | None) -> RoleAssignment:
    if on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    old = assignment.ends_on
    assignment.ends_on = on
    assignment.save(update_fields=["ends_on"])
    record(
        PeopleEvent.ROLE_ENDED,
        actor=by,
        target=assignment,
        changes={"ends_on": [old.isoformat() if old else None, on.isoformat()]},
    )
    return assignment


@transaction.atomic
def record_absence(
    person: Person, *, starts_at: datetime, ends_at: datetime, reason: str, by: Person
) -> Absence:
    """3-1: record that the manager is away, so the deputy may act meanwhile."""
    absence = Absence(
        person=person,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    absence.full_clean()
    absence.save()
    record(
        PeopleEvent.ABSENCE_RECORDED,
        actor=by,
        target=absence,
        changes={
            "person": person.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "reason": reason,
        },
    )
    return absence
