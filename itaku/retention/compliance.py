"""3-6 and each evidence model's own clause: no record vanished without a disposal.

Every record an action writes is named by an audit event (`object_type`, `object_id`). Per
evidence model, the IDs the trail names, minus those a disposal removed (`DisposedRecord`),
minus the rows still present, are records deleted behind the application: the database owner
dropped the guard or forged a permit. One query per clause, whatever the
number of records, returning only what is missing. Records the trail counts rather than names
(a lookup log's lines, `registry.counted`) are compared with their counts.
"""

from collections import defaultdict
from datetime import datetime

from django.db import connection, models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itaku.policy.reads import memo
from itaku.policy.registry import Check, Evidence, check
from itaku.retention import registry
from itaku.retention.models import Disposal, DisposedRecord

SHOWN_IDS = 5


def _table_and_key(model: type[models.Model]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.pk.column or "id")


_NOT_DISPOSED = (
    f"NOT EXISTS (SELECT 1 FROM {DisposedRecord._meta.db_table} d "  # noqa: S608
    "WHERE d.object_type = e.object_type AND d.object_id = e.object_id)"
)


def _postgresql_sql(evidence: list[type[models.Model]]) -> str:
    """One anti-join per model over the trail's (object_type, object_id) index, text against
    text, so PostgreSQL hashes each table once."""
    parts = []
    for model in evidence:
        table, pk = _table_and_key(model)
        parts.append(
            "SELECT DISTINCT e.object_type, e.object_id FROM audit_event e "  # noqa: S608
            f"WHERE e.object_type = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {table} t WHERE t.{pk}::text = e.object_id) AND {_NOT_DISPOSED}"
        )
    return " UNION ALL ".join(parts)


def _sqlite_sql(evidence: list[type[models.Model]]) -> str:
    """One pass over the trail (SQLite keeps no index on the object, to keep writes cheap);
    each event looks up its own table by primary key, the text ID compared as a number."""
    present = []
    for model in evidence:
        table, pk = _table_and_key(model)
        present.append(
            f"(e.object_type = %s AND EXISTS (SELECT 1 FROM {table} t WHERE t.{pk} = e.object_id))"  # noqa: S608
        )
    types = ", ".join(["%s"] * len(evidence))
    return (
        "SELECT DISTINCT e.object_type, e.object_id FROM audit_event e "  # noqa: S608
        f"WHERE e.object_type IN ({types}) AND NOT ({' OR '.join(present)}) AND {_NOT_DISPOSED}"
    )


def missing(evidence: list[type[models.Model]]) -> dict[type[models.Model], list[str]]:
    """Per model, the IDs named in the audit trail that are neither present nor disposed of."""
    if not evidence:
        return {}
    by_type = {model._meta.label_lower: model for model in evidence}
    if connection.vendor == "sqlite":
        sql, params = _sqlite_sql(evidence), [*by_type, *by_type]
    else:
        sql, params = _postgresql_sql(evidence), list(by_type)
    found: dict[type[models.Model], list[str]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for object_type, object_id in cursor.fetchall():
            found[by_type[object_type]].append(object_id)
    return {model: sorted(ids, key=_as_number) for model, ids in found.items()}


def _as_number(pk: str) -> tuple[int, str]:
    return (int(pk), pk) if pk.isdigit() else (0, pk)


def _all_evidence() -> list[type[models.Model]]:
    return [*registry.evidence_models(), Disposal]


def _missing_in(evidence: list[type[models.Model]]) -> dict[type[models.Model], list[str]]:
    """What `missing` finds for `evidence`, from one query over every evidence model a report
    shares among its clauses."""
    everything = memo("retention.missing", lambda: missing(_all_evidence()))
    return {model: everything[model] for model in evidence if model in everything}


def findings(evidence: list[type[models.Model]]) -> tuple[Promise, ...]:
    named = tuple(
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
        for model, ids in _missing_in(evidence).items()
    )
    return named + tuple(
        format_lazy(
            _(
                "{count} records of {model} ({clause}) counted in the audit trail are missing "
                "without a disposal record ({where})."
            ),
            count=sum(count for _where, count in short),
            model=model._meta.verbose_name_plural,
            clause=getattr(model, "retention_clause", "3-6"),
            where="; ".join(where for where, _count in short[:SHOWN_IDS])
            + ("…" if len(short) > SHOWN_IDS else ""),
        )  # fmt: skip
        for model, short in memo("retention.shortfalls", registry.shortfalls).items()
        if model in evidence
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
    evidence = _all_evidence()
    disposals = Disposal.objects.filter(disposed_at__lte=at).count()
    facts = (format_lazy(_("{count} disposals recorded"), count=disposals),) if disposals else ()
    return Evidence(disposals, findings(evidence), facts)


# Each evidence model's own clause turns to attention as well (5-3 for a pledge, …).
for _clause, _models in registry.by_clause().items():
    if _clause != "3-6":
        check(_clause)(_clause_check(_clause, list(_models)))
