"""5-10: the contractor's periodic reports, with the attestations of 5-5, 5-7 and 5-8."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.events import ContractorEvent
from itaku.contractors.models.contracts import Contract
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord


class PeriodicReportQuerySet(models.QuerySet["PeriodicReport"]):
    def reviewed(self) -> "PeriodicReportQuerySet":
        return self.filter(state=PeriodicReport.State.REVIEWED)


class PeriodicReport(FiscalRecord, Decision):
    """5-10: the contractor's regular report, with its attestations (5-5, 5-7, 5-8).

    The manager reviews it, or sends it back (差戻し) with the reason; the contractor corrects
    and submits it again. Each step's note is in the audit trail; the record keeps the latest.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        REVIEWED = "reviewed", _("Reviewed")
        RETURNED = "returned", _("Sent back")

    TRANSITIONS = {
        State.SUBMITTED: {
            State.REVIEWED: Step(ContractorEvent.REPORT_REVIEWED),
            State.RETURNED: Step(ContractorEvent.REPORT_RETURNED),
        },
        # The contractor's own correction: no authority of the city, and the submitter may.
        State.RETURNED: {State.SUBMITTED: Step(ContractorEvent.REPORT_RESUBMITTED, authority=None)},
    }
    PARTY_FIELDS = ("submitted_by",)

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="periodic_reports",
        verbose_name=_("contract"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    no_copying = models.BooleanField(
        _("No information of the city was copied or reproduced (5-7)."), default=False
    )
    no_third_party = models.BooleanField(
        _("No information of the city was provided to a third party (5-8)."), default=False
    )
    policy_obeyed = models.BooleanField(
        _("The lead and workers obeyed the city's security policy (5-5)."), default=False
    )
    text = models.TextField(_("status of the work"))
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )

    objects = PeriodicReportQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 5-10.
    fiscal_date_field = "submitted_at"
    retention_clause = "5-10"

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_start"], name="one_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.title} {self.period_start.isoformat()}"

    @property
    def reviewed(self) -> bool:
        return self.state == self.State.REVIEWED

    @property
    def all_attested(self) -> bool:
        return self.no_copying and self.no_third_party and self.policy_obeyed
