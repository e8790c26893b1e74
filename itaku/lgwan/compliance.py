"""What chapter 4's records prove: 4-1 … 4-5.

A terminal's measure needs a passed verification within its schedule; an ID needs its owner on
the current roster; the lookup log needs each past business day signed off and its findings
closed. Findings need attention; facts say what the evidence is.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itaku.audit.models import Event
from itaku.contractors.compliance import rostered_people
from itaku.core.dates import display_date_lazy, fiscal_year
from itaku.lgwan.events import LgwanEvent
from itaku.lgwan.models import (
    Account,
    DayReview,
    Finding,
    Lookup,
    Measure,
    RejectedLine,
    Rule,
    Terminal,
    Verification,
    is_business_day,
)
from itaku.lgwan.rule_params import PARAMS, value_text
from itaku.lgwan.rules import RULES
from itaku.people.compliance import roles_on
from itaku.people.roles import CONTRACTOR_ROLES
from itaku.policy.reads import attach, fetch, memo, read, source, totals
from itaku.policy.registry import Evidence, check
from itaku.policy.registry import Finding as ComplianceFinding
from itaku.retention.models import Disposal, FiscalRecord
from itaku.retention.registry import Shortfalls, counted

PROBLEMS = {
    "never": _("{terminal}: {measure} never verified."),
    "failed": _("{terminal}: {measure} failed its latest verification."),
    "overdue": _("{terminal}: {measure} verification is overdue."),
}
# 4-4: unsigned days are looked for this far back, so a long-past gap is not shown forever.
SIGN_OFF_LOOKBACK_DAYS = 60


@source("lgwan.terminals")
def _registered_terminals(at: datetime) -> QuerySet[Terminal]:
    return Terminal.objects.filter(registered_at__lte=at)


@source("lgwan.verifications")
def _verifications(at: datetime) -> QuerySet[Verification]:
    registered = Terminal.objects.filter(registered_at__lte=at)
    return Verification.objects.filter(terminal__in=registered).select_related("verified_by")


def _terminals(at: datetime) -> list[Terminal]:
    """The terminals in service at `at`, with their verifications, read with the report."""

    def in_service() -> list[Terminal]:
        day = timezone.localdate(at)
        terminals: list[Terminal] = read("lgwan.terminals", at)
        attach(terminals, read("lgwan.verifications", at), Verification, "terminal")
        return [t for t in terminals if t.retired_on is None or t.retired_on > day]

    return memo(("lgwan.terminals", at), in_service)


def _measure_evidence(measure: Measure, at: datetime) -> Evidence:
    terminals = _terminals(at)
    findings: list[Promise] = []
    facts: list[Promise] = []
    for terminal in terminals:
        problem = terminal.verification_problem(measure, at)
        if problem is not None:
            findings.append(
                format_lazy(PROBLEMS[problem], terminal=terminal, measure=measure.label)
            )
        else:
            latest = terminal.latest_verification(measure)
            assert latest is not None  # noqa: S101 - no problem means a passed verification
            facts.append(
                format_lazy(
                    _("{terminal}: verified on {day} by {person}"),
                    terminal=terminal,
                    day=display_date_lazy(latest.verified_at),
                    person=latest.verified_by,
                )
            )
    return Evidence(len(terminals), tuple(findings), tuple(facts))


@source("lgwan.open_findings")
def _open_finding_counts(at: datetime) -> QuerySet[Any]:
    open_ = Finding.objects.filter(state=Finding.State.OPEN).values_list("clause_id")
    return open_.annotate(n=Count("pk"), first=Min("day")).order_by()


def _open_findings(clause_id: str, at: datetime) -> tuple[ComplianceFinding, ...]:
    rows = read("lgwan.open_findings", at)
    found = {clause: (n, first) for clause, n, first in rows}.get(clause_id)
    if found is None:
        return ()
    count, first = found
    text = format_lazy(_("{count} open lookup findings to review."), count=count)
    return (ComplianceFinding(text, review_url(first)),)


@source("lgwan.rule_settings")
def _rule_settings(at: datetime) -> QuerySet[Any]:
    return Rule.objects.values_list("code", "enabled", "params").order_by("code")


def _rules_as_set(clause_id: str, at: datetime) -> Evidence:
    """The clause's review rules as they are set: one switched off is a finding (what it looks
    for is looked for by no one, so the clause cannot show green on the rules that are left),
    thresholds moved from their defaults are a fact the auditor reads. Either change is on the
    audit trail as lgwan.rule.changed."""
    findings: list[ComplianceFinding] = []
    facts: list[Promise] = []
    for code, enabled, params in read("lgwan.rule_settings", at):
        spec = RULES.get(code)
        if spec is None or spec.clause_id != clause_id:
            continue
        if not enabled:
            findings.append(
                ComplianceFinding(
                    format_lazy(
                        _(
                            "The review rule “{rule}” is switched off: what it finds is not "
                            "looked for."
                        ),
                        rule=spec.label,
                    ),
                    reverse("lgwan:rule", args=[code]),
                )
            )
        moved = [
            format_lazy("{} {} → {}", PARAMS[name].label, value_text(default), value_text(value))
            for name, default in spec.defaults.items()
            if name in PARAMS and (value := (params or {}).get(name, default)) != default
        ]
        if moved:
            facts.append(
                format_lazy(
                    _(
                        "The review rule “{rule}” runs with thresholds moved from the defaults: "
                        "{moved}"
                    ),
                    rule=spec.label,
                    moved=format_lazy("; ".join("{}" for _moved in moved), *moved),
                )
            )
    return Evidence(0, tuple(findings), tuple(facts))


@check("4-1")
def no_data_on_terminals(at: datetime) -> Evidence:
    """4-1: each terminal verified, on schedule, to keep no personal data; and no lookup from a
    terminal the register does not have in service."""
    evidence = _measure_evidence(Measure.NO_LOCAL_DATA, at)
    rules = _rules_as_set("4-1", at)
    findings = evidence.findings + _open_findings("4-1", at) + rules.findings
    return Evidence(evidence.count, findings, evidence.facts + rules.facts)


@check("4-3")
def media_blocked(at: datetime) -> Evidence:
    """4-3: each terminal's external-media block verified on schedule."""
    evidence = _measure_evidence(Measure.MEDIA_BLOCKED, at)
    methods = tuple(
        format_lazy(_("{terminal}: {method}"), terminal=t, method=t.media_block_method)
        for t in _terminals(at)
    )
    return Evidence(evidence.count, evidence.findings, evidence.facts + methods)


@check("4-5")
def back_to_login(at: datetime) -> Evidence:
    """4-5: screen lock verified on schedule, and no session left open in the lookup log."""
    evidence = _measure_evidence(Measure.SCREEN_LOCK, at)
    rules = _rules_as_set("4-5", at)
    findings = evidence.findings + _open_findings("4-5", at) + rules.findings
    return Evidence(evidence.count, findings, evidence.facts + rules.facts)


@source("lgwan.accounts")
def _accounts(at: datetime) -> QuerySet[Account]:
    return Account.objects.active(at).select_related("person")


@check("4-2")
def dedicated_ids(at: datetime) -> Evidence:
    """4-2: one ID per person; a contractor's ID ends with the roster; sharing is reviewed."""
    accounts: list[Account] = read("lgwan.accounts", at)
    findings: list[Promise] = []
    day = timezone.localdate(at)
    roles = roles_on(day)
    rostered = rostered_people(at)
    for account in accounts:
        person = account.person
        if roles.get(person.pk, set()) & CONTRACTOR_ROLES and person.pk not in rostered:
            findings.append(
                format_lazy(
                    _("{person} is no longer on the current roster but still holds ID {id}."),
                    person=person,
                    id=account.account_id,
                )
            )
    facts = (format_lazy(_("{count} current LGWAN IDs"), count=len(accounts)),)
    rules = _rules_as_set("4-2", at)
    return Evidence(
        len(accounts),
        tuple(findings) + _open_findings("4-2", at) + rules.findings,
        facts + rules.facts,
    )


def days_to_sign_off(at: datetime, first: datetime | None = None) -> tuple[list[date], int]:
    """4-4: the past business days not yet signed off, and how many days are signed off.

    From the first imported lookup (`first`, read when not given), at most
    `SIGN_OFF_LOOKBACK_DAYS` back.
    """
    if first is None:
        first = Lookup.objects.filter(occurred_at__lte=at).aggregate(first=Min("occurred_at"))[
            "first"
        ]
    if first is None:
        return [], 0
    found = first
    return memo(("lgwan.days_to_sign_off", at, first), lambda: _days_to_sign_off(at, found))


def _days_to_sign_off(at: datetime, first: datetime) -> tuple[list[date], int]:
    today = timezone.localdate(at)
    start = max(timezone.localdate(first), today - timedelta(days=SIGN_OFF_LOOKBACK_DAYS))
    signed = set(
        DayReview.objects.filter(
            state=DayReview.State.SIGNED, day__gte=start, day__lt=today
        ).values_list("day", flat=True)
    )
    days = []
    day = start
    while day < today:
        if is_business_day(day) and day not in signed:
            days.append(day)
        day += timedelta(days=1)
    return days, len(signed)


def review_url(day: date) -> str:
    return f"{reverse('lgwan:review')}?day={day.isoformat()}"


@source("lgwan.imported")
def _imported(at: datetime) -> QuerySet[Lookup]:
    lookups = Lookup.objects.filter(occurred_at__lte=at)
    return totals(lookups, first=Min("occurred_at"), count=Count("pk"))


@check("4-4")
def lookups_reviewed(at: datetime) -> Evidence:
    """4-4: lookups are imported; every past business day since the first is signed off."""
    imported = read("lgwan.imported", at)[0]
    count = imported["count"]
    if not count:
        return Evidence(0)
    days, signed = days_to_sign_off(at, imported["first"])
    findings = [
        ComplianceFinding(
            format_lazy(
                _("The lookup review of {day} is not signed off."), day=display_date_lazy(day)
            ),
            review_url(day),
        )
        for day in days
    ]
    facts = (
        format_lazy(_("{count} lookups imported"), count=count),
        format_lazy(_("{count} days signed off"), count=signed),
    )
    rules = _rules_as_set("4-4", at)
    return Evidence(
        count, tuple(findings) + _open_findings("4-4", at) + rules.findings, facts + rules.facts
    )


@counted
def lookup_logs_kept() -> Shortfalls:
    """3-6, 4-4: each imported file's lookups (by fiscal year) and rejected lines, against the
    counts its audit event keeps; a fiscal year disposed of is not counted. Grouped counts in
    one statement, whatever the number of lines and files."""
    found = fetch(
        {
            "disposed": Disposal.objects.filter(
                model_label__in=["lgwan.lookup", "lgwan.rejectedline"]
            ).values_list("model_label", "fiscal_year"),
            "lookups": Lookup.objects.order_by()
            .values_list("file_id", "fiscal_year")
            .annotate(n=Count("pk")),
            "rejected": RejectedLine.objects.order_by()
            .values_list("file_id")
            .annotate(n=Count("pk")),
            "events": Event.objects.filter(code=LgwanEvent.LOG_IMPORTED).only(
                "object_id", "body", "occurred_at"
            ),
        }
    )
    disposed = set(found["disposed"])
    lookups = {(file_id, year): n for file_id, year, n in found["lookups"]}
    rejected = dict(found["rejected"])
    short: Shortfalls = {Lookup: [], RejectedLine: []}
    for event in found["events"]:
        file_id, changes = int(event.object_id), event.changes
        expected: list[tuple[type[FiscalRecord], str, int, int, int]] = [
            (Lookup, "lgwan.lookup", int(year), n, lookups.get((file_id, int(year)), 0))
            for year, n in changes.get("lookups_by_fiscal_year", {}).items()
        ]
        expected.append(
            (
                RejectedLine,
                "lgwan.rejectedline",
                fiscal_year(event.occurred_at),
                changes.get("rejected", 0),
                rejected.get(file_id, 0),
            )
        )
        for model, label, year, count, present in expected:
            if present < count and (label, year) not in disposed:
                where = format_lazy(
                    _("file {file}, fiscal year {year}: {missing} of {count}"),
                    file=file_id,
                    year=year,
                    missing=count - present,
                    count=count,
                )
                short[model].append((str(where), count - present))
    return {model: found for model, found in short.items() if found}
