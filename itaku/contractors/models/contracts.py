"""2-1, 2-2: the contract, its term, selection method and reporting interval, and the
service levels it guarantees (2-2-c)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itaku.contractors.contract_check import PROVISIONS
from itaku.people.models import Organization, Person
from itaku.retention.models import FiscalRecord

if TYPE_CHECKING:
    from itaku.contractors.models.documents import ContractDocument, ProvisionWaiver
    from itaku.contractors.models.pledges import Pledge
    from itaku.contractors.models.roster import RosterSubmission


class SelectionMethod(models.TextChoices):
    """2-1: how the contractor was chosen."""

    GENERAL_TENDER = "general_tender", _("Open competitive tender")
    DESIGNATED_TENDER = "designated_tender", _("Designated competitive tender")
    NEGOTIATED = "negotiated", _("Negotiated contract")
    PROPOSAL = "proposal", _("Proposal competition")
    COMPREHENSIVE = "comprehensive", _("Comprehensive evaluation tender")


class ContractQuerySet(models.QuerySet["Contract"]):
    def current(self, day: date) -> "ContractQuerySet":
        """Contracts whose term covers `day`."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def visible_to(self, person: Person, contractor_side: bool) -> "ContractQuerySet":
        """The contractor's people see their own contracts only; the city sees all."""
        return self.filter(contractor=person.organization_id) if contractor_side else self


class Contract(FiscalRecord):
    contractor = models.ForeignKey(
        Organization,
        verbose_name=_("contractor"),
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": Organization.Kind.CONTRACTOR},
    )
    title = models.CharField(_("work"), max_length=200)
    starts_on = models.DateField(_("term from"))
    ends_on = models.DateField(_("term until"))
    selection_method = models.CharField(
        _("selection method"), max_length=30, choices=SelectionMethod.choices
    )
    selection_grounds = models.TextField(_("grounds for the selection method"))
    city_responsible = models.ForeignKey(
        Person,
        verbose_name=_("city's responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_place = models.CharField(_("work place"), max_length=200)
    per_person_pledges = models.BooleanField(
        _("the city asks each person for a pledge"),
        default=False,
        help_text=_(
            "5-3: when ticked, every rostered person needs a confirmed pledge of their own."
        ),
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("periodic report every (months)"), default=1
    )
    registered_by = models.ForeignKey(
        Person, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"))

    objects = ContractQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 2-1.
    fiscal_date_field = "ends_on"
    retention_clause = "2-1"

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="contract_term_ordered",
                violation_error_message=_("The end of the term is before its start."),
            ),
            models.CheckConstraint(
                condition=Q(report_interval_months__gte=1, report_interval_months__lte=12),
                name="contract_report_interval_range",
                violation_error_message=_("Reports are due every 1 to 12 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.contractor})"

    # 2-2: the provision check over the current documents, with recorded waivers.
    def provision_status(self) -> dict[str, "ProvisionStatus"]:
        # Read through `all()`, so contracts read with their documents prefetched (the
        # compliance report) ask nothing more.
        documents = [
            document for document in self.documents.all() if document.replaced_by_id is None
        ]
        waivers = {waiver.provision_id: waiver for waiver in self.waivers.all()}
        status = {}
        for provision_id in PROVISIONS:
            found = [
                (document, document.passages(provision_id))
                for document in documents
                if document.has(provision_id)
            ]
            status[provision_id] = ProvisionStatus(
                provision_id=provision_id,
                found_in=found,
                waiver=waivers.get(provision_id),
                checked=bool(documents),
            )
        return status

    def missing_provisions(self) -> list[str]:
        return [pid for pid, status in self.provision_status().items() if not status.ok]

    # 5-1: the roster the entry desk admits is the latest one the manager received.
    def current_roster(self) -> "RosterSubmission | None":
        # The roster's module builds on this one; it is complete by the time this runs.
        from itaku.contractors.models.roster import RosterSubmission

        return (
            self.roster_submissions.filter(state=RosterSubmission.State.RECEIVED)
            .order_by("-version")
            .first()
        )

    def contractor_pledge(self) -> "Pledge | None":
        return self.pledges.filter(person__isnull=True).order_by("-submitted_at").first()

    # 5-10: reporting periods run from the start of the term in steps of the interval.
    def report_periods(self, until: date) -> list[tuple[date, date]]:
        periods = []
        start = self.starts_on
        while start <= min(until, self.ends_on):
            end = min(
                _add_months(start, self.report_interval_months) - timedelta(days=1), self.ends_on
            )
            periods.append((start, end))
            start = end + timedelta(days=1)
        return periods

    def overdue_report_periods(self, day: date) -> list[tuple[date, date]]:
        grace = timedelta(days=settings.ITAKU_REPORT_GRACE_DAYS)
        reported = {report.period_start for report in self.periodic_reports.all()}
        return [
            (start, end)
            for start, end in self.report_periods(day)
            if end + grace < day and start not in reported
        ]


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class ProvisionStatus:
    """One of the 13 provisions for one contract: where it was found, or why it is accepted."""

    provision_id: str
    found_in: list[tuple["ContractDocument", list[dict[str, str]]]]
    waiver: "ProvisionWaiver | None"
    checked: bool

    @property
    def present(self) -> bool:
        return bool(self.found_in)

    @property
    def ok(self) -> bool:
        return self.present or self.waiver is not None


class ServiceLevelItem(FiscalRecord):
    """2-2-c: a service level the contractor guarantees."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="service_levels",
        verbose_name=_("contract"),
    )
    item = models.CharField(_("service-level item"), max_length=200)
    target = models.CharField(_("target"), max_length=200)

    # 3-6: kept by the fiscal year of this date; evidence for 2-2-c.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-2-c"

    class Meta:
        verbose_name = _("service-level item")
        verbose_name_plural = _("service-level items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.target}"
