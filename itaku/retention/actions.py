"""3-6, 2-2-i: the one lawful way evidence leaves the database: a recorded disposal.

A record of fiscal year Y is kept until the 31 March that ends fiscal year
Y + ITAKU_RETENTION_FISCAL_YEARS (`itaku.core.dates.retention_ends`). After that the manager
(or the deputy while the manager is recorded absent, 3-1) disposes of one model's records of one
fiscal year at a time. The disposal is refused while any of them is held (an open inspection,
5-11; later an open incident) or while its date now gives a later fiscal year than the one
stored. The disposal record, the IDs it removes and the audit event are written first; then a
permit lets the database's guard pass the DELETE, and is removed in the same transaction.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.audit.log import record
from itaku.core.dates import display_date, retention_ends
from itaku.people.authority import require_approving_capacity
from itaku.people.models import Person
from itaku.retention import registry
from itaku.retention.events import RetentionEvent
from itaku.retention.guard import PERMIT
from itaku.retention.models import Disposal, DisposedRecord, FiscalRecord


def ids_sha256(object_type: str, ids: list[str]) -> str:
    """SHA-256 over "type:id" lines in ID order: anyone holding the IDs can check the record."""
    lines = "".join(f"{object_type}:{pk}\n" for pk in ids)
    return hashlib.sha256(lines.encode()).hexdigest()


def _evidence_model(model_label: str) -> type[FiscalRecord]:
    model = apps.get_model(model_label)
    if not issubclass(model, FiscalRecord) or model not in registry.evidence_models():
        raise ValidationError(
            _("%(model)s is not evidence kept by fiscal year (3-6).") % {"model": model_label}
        )
    return model


@transaction.atomic
def dispose(model_label: str, fiscal_year: int, *, by: Person, rule: str = "") -> Disposal:
    """Dispose of the records of `model_label` ("area.Passage") of `fiscal_year` (3-6)."""
    model = _evidence_model(model_label)
    now = timezone.now()
    kept_until = retention_ends(fiscal_year)
    if kept_until >= timezone.localdate(now):
        raise ValidationError(
            _("Records of fiscal year %(year)s are kept until %(until)s (3-6).")
            % {"year": fiscal_year, "until": display_date(kept_until)}
        )
    capacity = require_approving_capacity(by, now)
    records = model._default_manager.filter(fiscal_year=fiscal_year)
    for reason, count in registry.held(model, records):
        raise ValidationError(
            _("%(count)s of these records are held: %(reason)s")
            % {"count": count, "reason": reason}
        )
    # A date corrected after saving may have moved a record into a later year: not yet due.
    moved = [row.pk for row in records.iterator() if row.dated_fiscal_year() != fiscal_year]
    if moved:
        raise ValidationError(
            _("%(count)s of these records now date from another fiscal year (3-6).")
            % {"count": len(moved)}
        )
    object_type = model._meta.label_lower
    ids = [str(pk) for pk in sorted(records.values_list("pk", flat=True))]
    if not ids:
        raise ValidationError(_("There is nothing of that fiscal year to dispose of."))
    rule = rule or _("3-6: kept %(years)s fiscal years from the next 1 April") % {
        "years": settings.ITAKU_RETENTION_FISCAL_YEARS
    }
    disposal = Disposal.objects.create(
        model_label=object_type,
        fiscal_year=fiscal_year,
        count=len(ids),
        ids_sha256=ids_sha256(object_type, ids),
        rule=rule,
        kept_until=kept_until,
        disposed_by=by,
        disposed_capacity=capacity,
        disposed_at=now,
    )
    DisposedRecord.objects.bulk_create(
        DisposedRecord(disposal=disposal, object_type=object_type, object_id=pk) for pk in ids
    )
    record(
        RetentionEvent.RECORDS_DISPOSED,
        actor=by,
        capacity=capacity,
        target=disposal,
        changes={
            "model_label": object_type,
            "fiscal_year": fiscal_year,
            "count": len(ids),
            "ids_sha256": disposal.ids_sha256,
            "rule": rule,
            "kept_until": kept_until,
        },
    )
    _delete_under_permit(model, fiscal_year, records)
    return disposal


def _delete_under_permit(
    model: type[FiscalRecord], fiscal_year: int, records: QuerySet[FiscalRecord]
) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PERMIT} (table_name, fiscal_year) VALUES (%s, %s)",  # noqa: S608
            [table, fiscal_year],
        )
        try:
            records.delete()
        except ProtectedError as error:
            # Records of later years (a correction, a corrective action) still refer to these.
            # Raising rolls the whole disposal back, the permit with it.
            raise ValidationError(
                _("%(count)s other records still refer to these; dispose of them first (3-6).")
                % {"count": len(error.protected_objects)}
            ) from error
        cursor.execute(
            f"DELETE FROM {PERMIT} WHERE table_name = %s AND fiscal_year = %s",  # noqa: S608
            [table, fiscal_year],
        )
