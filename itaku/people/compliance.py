"""What the people records prove."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.people.models import RoleAssignment
from itaku.people.roles import Role
from itaku.policy.registry import Evidence, check


@check("3-1")
def manager_and_deputy_designated(at: datetime) -> Evidence:
    """3-1: a manager is designated, and a deputy to act while the manager is absent."""
    current = RoleAssignment.objects.current(timezone.localdate(at))
    managers = current.filter(role=Role.MANAGER).count()
    deputies = current.filter(role=Role.DEPUTY).count()
    findings = []
    if not managers:
        findings.append(_("No manager is designated."))
    if not deputies:
        findings.append(_("No deputy is designated to act while the manager is absent."))
    return Evidence(count=managers + deputies, findings=tuple(findings))
