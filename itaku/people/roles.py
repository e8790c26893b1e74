"""The roles of DOMAIN.md, plus the system administrator, and the named sets of roles.

Every set of roles a rule talks about is defined here once and imported where it is used:
apps and tests never spell out their own copy of a set.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    DEPUTY = "deputy", _("Deputy")
    SUPERIOR = "superior", _("Superior")
    CITY_STAFF = "city_staff", _("City staff")
    CONTRACTOR_LEAD = "contractor_lead", _("Contractor lead")
    CONTRACTOR_WORKER = "contractor_worker", _("Contractor worker")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("System administrator")

    @property
    def read_only(self) -> bool:
        """The auditor reads everything and changes nothing."""
        return self is Role.AUDITOR

    @property
    def needs_second_factor(self) -> bool:
        return self in {Role.MANAGER, Role.DEPUTY, Role.AUDITOR, Role.ADMIN}


ALL_ROLES = frozenset(Role)
# Everyone on the city's side who oversees the work; the auditor reads what they read.
CITY_OVERSIGHT = frozenset({Role.MANAGER, Role.DEPUTY, Role.SUPERIOR, Role.AUDITOR, Role.ADMIN})

# 3-3: 職員等 — city staff and the contractor's personnel. Anyone else is a visitor (3-4).
STAFF_ROLES = frozenset(
    {
        Role.MANAGER,
        Role.DEPUTY,
        Role.SUPERIOR,
        Role.CITY_STAFF,
        Role.CONTRACTOR_LEAD,
        Role.CONTRACTOR_WORKER,
    }
)

# The contractor's personnel (2-2, 3-3).
CONTRACTOR_ROLES = frozenset({Role.CONTRACTOR_LEAD, Role.CONTRACTOR_WORKER})

# 3-1: the manager and the deputy are the city's own staff (their organisation is the city).
CITY_ONLY_ROLES = frozenset({Role.MANAGER, Role.DEPUTY})

# 3-1: one manager and one deputy at a time; two current holders would make "who decides"
# ambiguous and let the deputy's authority hang on only one of them being away.
SINGLE_HOLDER_ROLES = frozenset({Role.MANAGER, Role.DEPUTY})

# 3-1: granting or ending these takes two people: one proposes, the other confirms. They are
# the roles that decide, confirm, administer or watch; the superior is among them because the
# superior is the one who confirms. Other roles are granted by the administrator alone.
TWO_PERSON_ROLES = frozenset({Role.MANAGER, Role.DEPUTY, Role.SUPERIOR, Role.AUDITOR, Role.ADMIN})

# Who may propose a two-person role change, and who may confirm it: the administrator and the
# superior, each confirming what the other proposed (never their own proposal).
ROLE_CHANGE_PROPOSERS = frozenset({Role.ADMIN, Role.SUPERIOR})

# The two-person roles a brand-new installation may create once each without a confirmation
# (`itaku add-person`, demo data): until both exist, no one could confirm anything.
BOOTSTRAP_ROLES = frozenset({Role.ADMIN, Role.SUPERIOR})

# A person holds at most one of these at a time: the two-person control means nothing if one
# login is both the proposer and the confirmer, or both the manager and the one who records her
# absence, or the auditor of their own work.
SEPARATED_ROLES = TWO_PERSON_ROLES


class Capacity(models.TextChoices):
    """In which capacity a person approved or confirmed something (3-1)."""

    MANAGER = "manager", _("as manager")
    DEPUTY = "deputy", _("as deputy for the absent manager")


class OversightCapacity(models.TextChoices):
    """In which capacity a person confirmed a role change or recorded the manager's absence.

    Kept apart from `Capacity` so that the approvals of 3-1 (manager, deputy) keep their own
    closed list of choices.
    """

    SUPERIOR = "superior", _("as superior")
    ADMIN = "admin", _("as system administrator")
