"""2-2: the contract's documents with their provision check (2-2-a … 2-2-m), and the
manager's waivers for a provision missing."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.contract_check import PROVISIONS
from itaku.contractors.models._fields import _at, _by, _capacity
from itaku.contractors.models.contracts import Contract
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    SPECIFICATION = "specification", _("Specification")
    SPECIAL_TERMS = "special_terms", _("Special terms (personal data, security)")


class ContractDocumentQuerySet(models.QuerySet["ContractDocument"]):
    def current(self) -> "ContractDocumentQuerySet":
        """Documents not replaced by an amended text."""
        return self.filter(replaced_by__isnull=True)


class ContractDocument(FiscalRecord):
    """An uploaded contract or specification text with its provision check (2-2-a … 2-2-m)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="documents", verbose_name=_("contract")
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # The check's own JSON: {"provisions": [{"id", "present", "passages": [{"text", "where"}]}]}.
    check_result = models.JSONField(_("provision check"))
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        # 3-6: an amended text is kept as long as the one it replaced refers to it.
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    uploaded_by = models.ForeignKey(
        Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = ContractDocumentQuerySet.as_manager()

    # 3-6: kept by the fiscal year of this date; evidence for 2-1.
    fiscal_date_field = "uploaded_at"
    retention_clause = "2-1"

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename

    def _provision(self, provision_id: str) -> dict[str, Any]:
        for entry in self.check_result.get("provisions", []):
            if entry.get("id") == provision_id:
                return dict(entry)
        return {}

    def has(self, provision_id: str) -> bool:
        return bool(self._provision(provision_id).get("present"))

    def passages(self, provision_id: str) -> list[dict[str, str]]:
        return list(self._provision(provision_id).get("passages", []))

    def missing(self) -> list[str]:
        return [pid for pid in PROVISIONS if not self.has(pid)]


class ProvisionWaiver(FiscalRecord):
    """2-2: why a contract lacking a provision is acceptable all the same, per the manager."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="waivers", verbose_name=_("contract")
    )
    provision_id = models.CharField(_("provision"), max_length=10)
    reason = models.TextField(_("why it is acceptable"))
    waived_by = _by(_("recorded by"))
    waived_capacity = _capacity()
    waived_at = _at(_("recorded at"))

    # 3-6: kept by the fiscal year of this date; evidence for 2-1.
    fiscal_date_field = "contract.ends_on"
    retention_clause = "2-1"

    class Meta:
        verbose_name = _("provision waiver")
        verbose_name_plural = _("provision waivers")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "provision_id"], name="one_waiver_per_provision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.provision_id}"
