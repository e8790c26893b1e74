"""5-3, 5-4: confidentiality pledges, the contractor's and each person's, and their
confirmation by the manager."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.events import ContractorEvent
from itaku.contractors.models.contracts import Contract
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord


class PledgeQuerySet(models.QuerySet["Pledge"]):
    def confirmed(self) -> "PledgeQuerySet":
        return self.filter(state=Pledge.State.CONFIRMED)


class Pledge(FiscalRecord, Decision):
    """5-3: a signed and sealed confidentiality pledge; without a person it is the contractor's.

    5-4: the manager confirms that it was collected.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    TRANSITIONS = {State.SUBMITTED: {State.CONFIRMED: Step(ContractorEvent.PLEDGE_CONFIRMED)}}
    PARTY_FIELDS = ("person", "submitted_by")

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("contract")
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person (empty: the contractor's pledge)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    signed_on = models.DateField(_("signed on"))
    filename = models.CharField(_("file name"), max_length=255)
    scan = models.FileField(_("signed scan"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )

    objects = PledgeQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 5-3.
    fiscal_date_field = "submitted_at"
    retention_clause = "5-3"

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return str(self.person or self.contract.contractor)

    @property
    def confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED
