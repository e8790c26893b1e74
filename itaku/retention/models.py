"""3-6: evidence is kept by fiscal year, and leaves only through a recorded disposal.

The retention rule (DOMAIN.md): a record of fiscal year *Y* is kept until the 31 March that ends
fiscal year *Y + ITAKU_RETENTION_FISCAL_YEARS* (3 by default), counted from 1 April of the next
fiscal year (起算日, `itaku.core.dates.retention_ends`). Every evidence model subclasses
`FiscalRecord`, which stores the fiscal year that starts the record's retention.

The database refuses to delete an evidence row (triggers installed by `itaku.retention.guard`)
unless a `DisposalPermit` for its table and fiscal year exists; only `actions.dispose` writes
one, inside the transaction that records the `Disposal`, and removes it before committing.
"""

from datetime import date, datetime
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.core.dates import fiscal_year
from itaku.people.roles import Capacity


def fiscal_date_of(record: models.Model, path: str) -> date | datetime | None:
    """The date behind `path` ("occurred_at", or "contract.ends_on" for a record that has none
    of its own and is kept as long as what it belongs to)."""
    value: Any = record
    for name in path.split("."):
        try:
            value = getattr(value, name)
        except ObjectDoesNotExist:
            return None
        if value is None:
            return None
    return value  # type: ignore[no-any-return]


class FiscalYearField(models.PositiveSmallIntegerField):  # type: ignore[type-arg]
    """The fiscal year a record's retention counts from, set from its date on every write.

    Set in `pre_save`, so that `save()` and `bulk_create()` both fill it. Stored as a plain
    small integer: the column is the one `area` has always had.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        path = getattr(model_instance, "fiscal_date_field", None)
        moment = fiscal_date_of(model_instance, path) if path else None
        if moment is not None:
            setattr(model_instance, self.attname, fiscal_year(moment))
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveSmallIntegerField", args, kwargs


class FiscalRecord(models.Model):
    """Abstract: evidence kept by fiscal year (3-6); the year follows the record's own date.

    `fiscal_date_field` names the date (a dotted path for records dated by what they belong
    to); `retention_clause` is the clause the record is evidence for, whose status turns to
    attention when a record vanished without a disposal (`itaku.retention.compliance`). Every
    concrete subclass is in the registry and guarded by the database (`tests/retention`).
    """

    fiscal_year = FiscalYearField(_("fiscal year"), editable=False, db_index=True)

    # The field whose date decides the fiscal year.
    fiscal_date_field: ClassVar[str]
    # The clause the record is evidence for, besides 3-6.
    retention_clause: ClassVar[str] = "3-6"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._set_fiscal_year()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.fiscal_date_field.split(".")[0] in update_fields:
            kwargs["update_fields"] = [*update_fields, "fiscal_year"]
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self._set_fiscal_year()
        super().clean_fields(exclude)

    def _set_fiscal_year(self) -> None:
        year = self.dated_fiscal_year()
        if year is not None:
            self.fiscal_year = year

    def dated_fiscal_year(self) -> int | None:
        """The fiscal year the record's date gives now (it may have moved since it was saved)."""
        moment = fiscal_date_of(self, self.fiscal_date_field)
        return fiscal_year(moment) if moment is not None else None


class DisposalPermit(models.Model):
    """A row that lets the guard pass a DELETE on one table for one fiscal year.

    Written and removed by `actions.dispose` inside its own transaction, so no other connection
    ever sees one. An empty fiscal year is `flush`'s permit for the whole table. The table is
    not managed by Django, so `flush` never empties it.
    """

    table_name = models.CharField(max_length=100)
    fiscal_year = models.IntegerField(null=True)

    class Meta:
        managed = False
        db_table = "retention_disposal_permit"

    def __str__(self) -> str:
        return f"{self.table_name} {self.fiscal_year}"


class Disposal(models.Model):
    """3-6, 2-2-i: a lawful disposal: what, of which fiscal year, how many, by whom, under
    which rule. Kept for good; the database refuses to change or delete it."""

    model_label = models.CharField(_("records"), max_length=100)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    count = models.PositiveIntegerField(_("how many"))
    ids_sha256 = models.CharField(_("SHA-256 of the record IDs"), max_length=64)
    rule = models.CharField(_("rule"), max_length=200)
    kept_until = models.DateField(_("kept until"))
    # Named by label: the people's own records (3-1) are evidence, and import this module.
    disposed_by = models.ForeignKey(
        "people.Person", verbose_name=_("disposed by"), on_delete=models.PROTECT, related_name="+"
    )
    disposed_capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, blank=True
    )
    disposed_at = models.DateTimeField(_("disposed at"))

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-disposed_at"]

    def __str__(self) -> str:
        return f"{self.model_label} {self.fiscal_year} × {self.count}"


class DisposedRecord(models.Model):
    """One record a disposal removed, by type and ID, as the audit trail names it."""

    disposal = models.ForeignKey(Disposal, on_delete=models.PROTECT, related_name="records")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"
