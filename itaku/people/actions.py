"""Audited changes to people and roles. Each saves the change and its event in one transaction."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.audit.log import record
from itaku.people import authority
from itaku.people.decisions import decide
from itaku.people.events import PeopleEvent
from itaku.people.models import (
    Absence,
    Organization,
    Person,
    RoleAssignment,
    RoleChange,
    User,
)
from itaku.people.roles import TWO_PERSON_ROLES, Capacity, OversightCapacity, Role


def _refuse_two_person_role(role: Role) -> None:
    if role in TWO_PERSON_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "%(role)s is granted and ended by two people: propose the change and "
                    "have it confirmed (3-1)."
                )
                % {"role": role.label}
            }
        )


def _require_admin(by: Person | None) -> None:
    if by is not None and Role.ADMIN not in by.roles_on(timezone.localdate()):
        raise ValidationError(_("Only the system administrator assigns and ends roles (3-1)."))


def _refuse_own_role(person: Person, by: Person | None) -> None:
    if by is not None and by.pk == person.pk:
        raise ValidationError(_("No one changes their own roles (3-1)."))


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
    """Give a person a login. The password itself never reaches the audit trail.

    The administrator chose the password, so its owner must change it at first login. The
    e-mail address is where `itaku daily` sends the manager's and deputy's reminders.
    """
    if person.user is not None:
        raise ValidationError({"username": _("This person already has a login.")})
    user = User(username=username, email=email, must_change_password=True, password_set_by=by)
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
    """Grant a role that one person may grant: city staff, contractor lead and worker.

    The roles of `TWO_PERSON_ROLES` go through `propose_role_grant` and its confirmation.
    `by=None` is the system itself (demo data); a person must be the system administrator.
    """
    _refuse_two_person_role(role)
    _refuse_own_role(person, by)
    _require_admin(by)
    return _create_assignment(person, role, starts_on=starts_on, ends_on=ends_on, by=by)


def _create_assignment(
    person: Person,
    role: Role,
    *,
    starts_on: date,
    ends_on: date | None,
    by: Person | None,
    capacity: str = "",
    via: RoleChange | None = None,
    initial: bool = False,
) -> RoleAssignment:
    """Create the assignment and its event: after a confirmation (`via`), for a one-step role,
    or as the initial setup of a new installation (`initial`, see the add-person command)."""
    assignment = RoleAssignment(person=person, role=role, starts_on=starts_on, ends_on=ends_on)
    assignment.full_clean()
    assignment.save()
    changes: dict[str, object] = {
        "person": person.pk,
        "role": role.value,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat() if ends_on else None,
    }
    if via is not None:
        changes["role_change"] = via.pk
    if initial:
        changes["initial"] = True
    record(
        PeopleEvent.ROLE_ASSIGNED, actor=by, capacity=capacity, target=assignment, changes=changes
    )
    return assignment


@transaction.atomic
def end_role(assignment: RoleAssignment, *, on: date, by: Person | None) -> RoleAssignment:
    """End a role that one person may end; the roles of `TWO_PERSON_ROLES` take two (3-1)."""
    _refuse_two_person_role(Role(assignment.role))
    _refuse_own_role(assignment.person, by)
    _require_admin(by)
    return _end_assignment(assignment, on=on, by=by)


def _refuse_end(assignment: RoleAssignment, on: date) -> None:
    if on < assignment.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    # Ending is never extending: a later end could overlap the next manager's designation.
    if assignment.ends_on is not None and on > assignment.ends_on:
        raise ValidationError({"ends_on": _("This role already ends earlier.")})


def _end_assignment(
    assignment: RoleAssignment,
    *,
    on: date,
    by: Person | None,
    capacity: str = "",
    via: RoleChange | None = None,
) -> RoleAssignment:
    _refuse_end(assignment, on)
    old = assignment.ends_on
    assignment.ends_on = on
    assignment.save(update_fields=["ends_on"])
    changes: dict[str, object] = {"ends_on": [old.isoformat() if old else None, on.isoformat()]}
    if via is not None:
        changes["role_change"] = via.pk
    record(PeopleEvent.ROLE_ENDED, actor=by, capacity=capacity, target=assignment, changes=changes)
    return assignment


@transaction.atomic
def record_absence(
    person: Person, *, starts_at: datetime, ends_at: datetime, reason: str, by: Person
) -> Absence:
    """3-1: record that the manager is away, so the deputy may act meanwhile.

    The manager records her own planned absence; the superior records an unplanned one. Both
    give a reason. The deputy cannot: the absence is what gives her authority
    (`Absence.recorder_refusal`).
    """
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
        capacity=Capacity.MANAGER if absence.planned else OversightCapacity.SUPERIOR,
        target=absence,
        changes={
            "person": person.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "reason": reason,
        },
    )
    return absence


@transaction.atomic
def acknowledge_absence(absence: Absence, *, by: Person) -> Absence:
    """3-1: back from an absence, the manager acknowledges the deputy's decisions taken in it.

    The event names every decision she was shown, so the trail proves what she was told.
    """
    if by.pk != absence.person_id:
        raise ValidationError(
            _("Only the manager herself acknowledges what the deputy decided in her absence (3-1).")
        )
    now = timezone.now()
    if absence.ends_at > now:
        raise ValidationError(_("The absence has not ended yet."))
    updated = Absence.objects.filter(pk=absence.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now
    )
    if not updated:
        raise ValidationError(_("This absence is already acknowledged."))
    absence.refresh_from_db()
    shown = authority.deputy_decisions_during([absence])
    record(
        PeopleEvent.ABSENCE_ACKNOWLEDGED,
        actor=by,
        capacity=Capacity.MANAGER,
        target=absence,
        changes={"decisions": [event.pk for event in shown]},
    )
    return absence


def _require_two_person_role(role: Role) -> None:
    if role not in TWO_PERSON_ROLES:
        raise ValidationError(
            {
                "role": _(
                    "%(role)s is granted by the system administrator alone; no proposal is "
                    "needed (3-1)."
                )
                % {"role": role.label}
            }
        )


def _refuse_pending(person: Person, role: Role) -> None:
    if RoleChange.objects.pending().filter(person=person, role=role).exists():
        raise ValidationError(
            _("A change of this role for this person is already waiting for confirmation (3-1).")
        )


@transaction.atomic
def propose_role_grant(
    person: Person,
    role: Role,
    *,
    starts_on: date,
    ends_on: date | None,
    reason: str = "",
    by: Person,
) -> RoleChange:
    """3-1: propose granting a two-person role; it takes effect when another person confirms.

    The designation is checked now (city staff, one manager at a time, …) so a proposal that
    could never be confirmed is refused at once; it is checked again on confirmation.
    """
    _require_two_person_role(role)
    now = timezone.now()
    capacity = authority.require_role_proposer(by, now)
    if by.pk == person.pk:
        raise ValidationError(_("No one proposes a role for themselves (3-1)."))
    _refuse_pending(person, role)
    RoleAssignment(person=person, role=role, starts_on=starts_on, ends_on=ends_on).full_clean()
    change = RoleChange(
        kind=RoleChange.Kind.GRANT,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        proposed_by=by,
        proposed_capacity=capacity,
        proposed_at=now,
    )
    change.full_clean()
    change.save()
    record(
        PeopleEvent.ROLE_CHANGE_PROPOSED,
        actor=by,
        capacity=capacity,
        target=change,
        changes={
            "kind": change.kind,
            "person": person.pk,
            "role": role.value,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "reason": reason,
        },
    )
    return change


@transaction.atomic
def propose_role_end(
    assignment: RoleAssignment, *, on: date, reason: str = "", by: Person
) -> RoleChange:
    """3-1: propose ending a two-person role (the auditor's, the manager's, …) on `on`."""
    role = Role(assignment.role)
    _require_two_person_role(role)
    now = timezone.now()
    capacity = authority.require_role_proposer(by, now)
    if by.pk == assignment.person_id:
        raise ValidationError(_("No one proposes a change of their own role (3-1)."))
    _refuse_end(assignment, on)
    _refuse_pending(assignment.person, role)
    change = RoleChange(
        kind=RoleChange.Kind.END,
        person=assignment.person,
        role=role,
        ends_on=on,
        assignment=assignment,
        reason=reason,
        proposed_by=by,
        proposed_capacity=capacity,
        proposed_at=now,
    )
    change.full_clean()
    change.save()
    record(
        PeopleEvent.ROLE_CHANGE_PROPOSED,
        actor=by,
        capacity=capacity,
        target=change,
        changes={
            "kind": change.kind,
            "person": assignment.person_id,
            "role": role.value,
            "assignment": assignment.pk,
            "ends_on": on.isoformat(),
            "reason": reason,
        },
    )
    return change


def may_decide_role_change(change: RoleChange, person: Person) -> bool:
    """Whether `person` may confirm or reject `change` now: to offer them the buttons."""
    if person.pk in change.parties() or not change.can_move_to(RoleChange.State.CONFIRMED):
        return False
    try:
        _refuse_same_side(change, person)
    except ValidationError:
        return False
    return True


def _refuse_same_side(change: RoleChange, by: Person) -> None:
    """3-1: the administrator's proposal is confirmed by the superior, and the reverse."""
    capacity = authority.require_role_confirmer(by, timezone.now())
    if capacity == change.proposed_capacity:
        raise ValidationError(
            _(
                "A proposal of the system administrator is confirmed by the superior, and the "
                "superior's by the system administrator (3-1)."
            )
        )


@transaction.atomic
def confirm_role_change(change: RoleChange, *, note: str = "", by: Person) -> RoleChange:
    """3-1: the second person confirms; the role assignment changes in the same transaction."""
    _refuse_same_side(change, by)
    decided = decide(change, RoleChange.State.CONFIRMED, by=by, note=note)
    if decided.kind == RoleChange.Kind.GRANT:
        assert decided.starts_on is not None  # noqa: S101 - a grant has a start (constraint)
        _create_assignment(
            decided.person,
            Role(decided.role),
            starts_on=decided.starts_on,
            ends_on=decided.ends_on,
            by=by,
            capacity=decided.decided_capacity,
            via=decided,
        )
    else:
        assert decided.assignment is not None and decided.ends_on is not None  # noqa: S101
        _end_assignment(
            decided.assignment,
            on=decided.ends_on,
            by=by,
            capacity=decided.decided_capacity,
            via=decided,
        )
    return decided


@transaction.atomic
def reject_role_change(change: RoleChange, *, note: str = "", by: Person) -> RoleChange:
    """3-1: the second person refuses the proposal; nothing changes in the roles."""
    _refuse_same_side(change, by)
    return decide(change, RoleChange.State.REJECTED, by=by, note=note)
