"""3-4, 3-5: visitors. Each action saves and logs in one transaction."""

import unicodedata
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.actions.common import _require_requestable
from itaku.area.events import AreaEvent
from itaku.area.models import (
    VisitorPermission,
    VisitorRegistration,
    WorkDeclaration,
    is_staff,
)
from itaku.audit.log import record
from itaku.people.actions import register_person
from itaku.people.decisions import decide
from itaku.people.models import Organization, Person
from itaku.people.roles import Role


def _org_key(name: str) -> str:
    """A name as compared: full-width and half-width alike, spaces and case ignored."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _visitor_organization(name: str) -> Organization:
    """3-4: a visitor's organisation is of the visitor kind, never the city or a contractor.

    A typed name that matches the city's or a contractor's organisation is refused: otherwise
    the visitor would be offered as the city's responsible person or on the roster (5-1).
    """
    key = _org_key(name)
    if not key:
        raise ValidationError({"organization": _("Give the visitor's organization.")})
    same = [org for org in Organization.objects.all() if _org_key(org.name) == key]
    staff_side = {Organization.Kind.CITY, Organization.Kind.CONTRACTOR}
    for org in same:
        if org.kind in staff_side:
            raise ValidationError(
                {
                    "organization": _(
                        "%(name)s is the city's or the contractor's organization; a visitor "
                        "is not staff and is registered under their own organization (3-4)."
                    )
                    % {"name": org.name}
                }
            )
    if same:
        return same[0]
    return Organization.objects.create(name=name.strip(), kind=Organization.Kind.VISITOR)


@transaction.atomic
def register_visitor(*, name: str, organization: str, badge_number: str, by: Person) -> Person:
    """A visitor is a person without a staff role; they need a record before a permission."""
    org = _visitor_organization(organization)
    visitor = register_person(
        name=name, name_kana="", organization=org, badge_number=badge_number or None, by=by
    )
    # 3-4, 3-12: the contractor lead may file requests for the visitors they registered.
    VisitorRegistration.objects.create(
        visitor=visitor, registered_by=by, registered_at=timezone.now()
    )
    return visitor


@transaction.atomic
def request_visitor_permission(
    *,
    person: Person,
    purpose: str,
    starts_at: datetime,
    ends_at: datetime,
    monitor: Person,
    works_in_area: bool,
    by: Person,
) -> VisitorPermission:
    now = timezone.now()
    _require_requestable(person, by, timezone.localdate(now), "3-4")
    errors: dict[str, str] = {}
    if is_staff(person, timezone.localdate(starts_at)):
        errors["person"] = _("%(name)s is staff and needs no visitor permission.") % {
            "name": person.name
        }
    if Role.CONTRACTOR_LEAD not in monitor.roles_on(timezone.localdate(starts_at)):
        errors["monitor"] = _("The monitor must be the contractor lead (3-4).")
    if ends_at <= now:
        errors["ends_at"] = _("The window has already ended.")
    if errors:
        raise ValidationError(errors)
    permission = VisitorPermission(
        person=person,
        purpose=purpose,
        starts_at=starts_at,
        ends_at=ends_at,
        monitor=monitor,
        works_in_area=works_in_area,
        requested_by=by,
        requested_at=now,
    )
    permission.full_clean()
    permission.save()
    record(
        AreaEvent.VISITOR_REQUESTED,
        actor=by,
        target=permission,
        changes={
            "person": person.pk,
            "purpose": purpose,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "monitor": monitor.pk,
            "works_in_area": works_in_area,
        },
    )
    return permission


@transaction.atomic
def decide_visitor_permission(
    permission: VisitorPermission, *, approve: bool, note: str, by: Person
) -> VisitorPermission:
    """3-4 with 3-1: the manager, or the deputy while the manager is absent, decides once."""
    if approve and permission.ends_at <= timezone.now():
        raise ValidationError(_("The window has already ended; it cannot be approved."))
    state = VisitorPermission.State.APPROVED if approve else VisitorPermission.State.REJECTED
    return decide(permission, state, by=by, note=note)


@transaction.atomic
def declare_work(permission: VisitorPermission, *, work: str, by: Person) -> WorkDeclaration:
    """3-5: the visitor's work is declared before entry."""
    if not permission.works_in_area:
        raise ValidationError(_("This visitor does not work in the area."))
    if permission.state == VisitorPermission.State.REJECTED:
        raise ValidationError(_("The visitor permission was rejected."))
    if WorkDeclaration.objects.filter(permission=permission).exists():
        raise ValidationError(_("The work is already declared."))
    if not work.strip():
        raise ValidationError({"work": _("Describe the work.")})
    declaration = WorkDeclaration.objects.create(
        permission=permission, work=work, declared_at=timezone.now(), declared_by=by
    )
    record(
        AreaEvent.WORK_DECLARED,
        actor=by,
        target=declaration,
        changes={"permission": permission.pk, "work": work},
    )
    return declaration


@transaction.atomic
def report_work(
    declaration: WorkDeclaration, *, content: str, result: str, by: Person
) -> WorkDeclaration:
    """3-5: after the work, its content and result are reported."""
    errors = {}
    if not content.strip():
        errors["report_content"] = _("Describe the work done.")
    if not result.strip():
        errors["report_result"] = _("Describe the result.")
    if errors:
        raise ValidationError(errors)
    updated = WorkDeclaration.objects.filter(pk=declaration.pk, reported_at__isnull=True).update(
        report_content=content, report_result=result, reported_at=timezone.now(), reported_by=by
    )
    if not updated:
        raise ValidationError(_("The work is already reported."))
    declaration.refresh_from_db()
    record(
        AreaEvent.WORK_REPORTED,
        actor=by,
        target=declaration,
        changes={"content": content, "result": result},
    )
    return declaration
