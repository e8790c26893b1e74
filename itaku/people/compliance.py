"""What the people records prove."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy
from itaku.people import authority
from itaku.people.models import RoleAssignment
from itaku.people.roles import Role
from itaku.policy.registry import Evidence, check


@check("3-1")
def manager_and_deputy_designated(at: datetime) -> Evidence:
    """3-1: a manager is designated, and a deputy to act while the manager is absent."""
    current = RoleAssignment.objects.current(timezone.localdate(at)).select_related("person")
    designations = list(current.filter(role__in=[Role.MANAGER, Role.DEPUTY]))
    held = {assignment.role for assignment in designations}
    findings = []
    if Role.MANAGER not in held:
        findings.append(_("No manager is designated."))
    if Role.DEPUTY not in held:
        findings.append(_("No deputy is designated to act while the manager is absent."))
    facts = [
        lazy_message(
            _("%(role)s: %(name)s (since %(since)s)"),
            role=assignment.get_role_display(),
            name=assignment.person.name,
            since=display_date_lazy(assignment.starts_on),
        )
        for assignment in designations
    ]
    if authority.manager_absent(at):
        facts.append(_("The manager is recorded absent now; the deputy acts."))
    return Evidence(count=len(designations), findings=tuple(findings), facts=tuple(facts))
