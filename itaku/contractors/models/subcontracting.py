"""2-2-h: subcontractors, each working only with the city's approval."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.events import ContractorEvent
from itaku.contractors.models._fields import _by
from itaku.contractors.models.contracts import Contract
from itaku.people.decisions import Decision, Step
from itaku.retention.models import FiscalRecord


class Subcontractor(FiscalRecord, Decision):
    """2-2-h: a subcontractor may work only with the city's approval."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")

    TRANSITIONS = {
        State.REQUESTED: {State.APPROVED: Step(ContractorEvent.SUBCONTRACTOR_APPROVED)},
    }
    PARTY_FIELDS = ("requested_by",)

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="subcontractors",
        verbose_name=_("contract"),
    )
    name = models.CharField(_("subcontractor"), max_length=200)
    work = models.CharField(_("subcontracted work"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED
    )
    requested_by = _by(_("requested by"))

    # 3-6: kept by the fiscal year of this date; evidence for 2-2-h.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-2-h"

    class Meta:
        verbose_name = _("subcontractor")
        verbose_name_plural = _("subcontractors")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def approved(self) -> bool:
        return self.state == self.State.APPROVED
