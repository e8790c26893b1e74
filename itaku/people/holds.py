"""3-6 for the records of 3-1: what is still in effect is not disposed of.

A designation is dated by its start (`RoleAssignment.fiscal_date_field`), but it proves who held
the role until it ends: one still held, or ended within the retention period, is kept whatever
its start's fiscal year. A role change still awaiting its decision is kept as well. Registered
with `itaku.retention.registry.hold`, which the disposal action asks first.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.core.dates import fiscal_year, fiscal_year_bounds
from itaku.people.models import RoleAssignment, RoleChange
from itaku.retention.models import FiscalRecord
from itaku.retention.registry import hold


@hold(_("the role is still held, or ended within the retention period (3-1)."))
def held_while_the_role_is_held(
    model: type[FiscalRecord], records: "models.QuerySet[FiscalRecord]"
) -> "models.QuerySet[FiscalRecord] | None":
    if model is not RoleAssignment:
        return None
    oldest_kept = fiscal_year(timezone.localdate()) - settings.ITAKU_RETENTION_FISCAL_YEARS
    ended_since = fiscal_year_bounds(oldest_kept)[0]
    return records.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=ended_since))


@hold(_("the role change is still awaiting its decision (3-1)."))
def held_until_decided(
    model: type[FiscalRecord], records: "models.QuerySet[FiscalRecord]"
) -> "models.QuerySet[FiscalRecord] | None":
    if model is not RoleChange:
        return None
    return records.filter(pk__in=RoleChange.objects.pending().values("pk"))
