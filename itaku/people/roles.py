"""The roles of DOMAIN.md, plus the system administrator."""

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


class Capacity(models.TextChoices):
    """In which capacity a person approved or confirmed something (3-1)."""

    MANAGER = "manager", _("as manager")
    DEPUTY = "deputy", _("as deputy for the absent manager")
