"""3-6 and each evidence model's own clause: no record vanished without a disposal.

Every record an action writes is named by an audit event (`object_type`, `object_id`). Per
evidence model, the IDs the trail names, minus those a disposal removed (`DisposedRecord`),
minus the rows still present, are records deleted behind the application: the database owner
dropped the guard, forged a permit, or truncated a table. One query per clause, whatever the
number of records: a UNION of one anti-join per model, which returns only what is missing.
"""

from collections import defaultdict
from datetime import datetime

from django.db import connection, models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itaku.policy.registry import Check, Evidence, check
from itaku.retention import registry
from itaku.retention.models import Disposal, DisposedRecord

SHOWN_IDS = 5


def _missing_sql(model: type[models.Model]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column or "id")
    # SQLite compares the text ID with the integer key numerically, through the key's index;
    # PostgreSQL compares text with text and hashes the table once (an anti-join).
    present = (
        f"t.{pk} = e.object_id" if connection.vendor == "sqlite" else f"t.{pk}::text = e.object_id"
    )
    disposed = DisposedRecord._meta.db_table
    return (
        "SELECT DISTINCT e.object_type, e.object_id FROM audit_event e "  # noqa: S608
        "WHERE e.object_type = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE {present}) "
        f"AND NOT EXISTS (SELECT 1 FROM {disposed} d "
        "WHERE d.object_type = e.object_type AND d.object_id = e.object_id)"
    )


def missing(evidence: list[type[models.Model]]) -> dict[type[models.Model], list[str]]:
    """Per model, the IDs named in the audit trail that are neither present nor disposed of."""
    if not evidence:
        return {}
    by_type = {model._meta.label_lower: model for model in evidence}
    sql = " UNION ALL ".join(_missing_sql(model) for model in evidence)
    found: dict[type[models.Model], list[str]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(by_type))
        for object_type, object_id in cursor.fetchall():
            found[by_type[object_type]].append(object_id)
    return {model: sorted(ids, key=_as_number) for model, ids in found.items()}


def _as_number(pk: str) -> tuple[int, str]:
    return (int(pk), pk) if pk.isdigit() else (0, pk)


def findings(evidence: list[type[models.Model]]) -> tuple[Promise, ...]:
    return tuple(
        format_lazy(
            _(
                "{count} records of {model} ({clause}) named in the audit trail are missing "
                "without a disposal record (IDs {ids})."
            ),
            count=len(ids),
            model=model._meta.verbose_name_plural,
            clause=getattr(model, "retention_clause", "3-6"),
            ids=", ".join(ids[:SHOWN_IDS]) + ("…" if len(ids) > SHOWN_IDS else ""),
        )  # fmt: skip
        for model, ids in missing(evidence).items()
    )


def _clause_check(clause: str, evidence: list[type[models.Model]]) -> Check:
    def no_record_vanished(at: datetime) -> Evidence:
        return Evidence(0, findings(evidence))

    no_record_vanished.__name__ = f"no_record_vanished_{clause.replace('-', '_')}"
    no_record_vanished.__doc__ = f"{clause}: no evidence deleted without a disposal record."
    return no_record_vanished


@check("3-6")
def disposals_recorded(at: datetime) -> Evidence:
    """3-6: every record named in the trail is kept or disposed of; disposals stay recorded."""
    evidence: list[type[models.Model]] = [*registry.evidence_models(), Disposal]
    disposals = Disposal.objects.filter(disposed_at__lte=at).count()
    facts = (format_lazy(_("{count} disposals recorded"), count=disposals),) if disposals else ()
    return Evidence(disposals, findings(evidence), facts)


# Each evidence model's own clause turns to attention as well (5-3 for a pledge, …).
for _clause, _models in registry.by_clause().items():
    if _clause != "3-6":
        check(_clause)(_clause_check(_clause, list(_models)))
