"""Every change to chapter 4's records, each audited in the transaction that makes it."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.models import Area
from itaku.audit.log import record
from itaku.lgwan.events import LgwanEvent
from itaku.lgwan.mapping import check_mapping
from itaku.lgwan.models import (
    Account,
    Application,
    DayReview,
    Finding,
    LogSource,
    Measure,
    Rule,
    Terminal,
    Verification,
)
from itaku.lgwan.rule_params import clean_params
from itaku.people.account_models import new_secret, secret_hash
from itaku.people.authority import require_approving_capacity
from itaku.people.decisions import decide
from itaku.people.models import Person


@transaction.atomic
def register_terminal(
    *,
    asset_number: str,
    place: str,
    area: Area,
    media_block_method: str,
    screen_lock_minutes: int,
    verify_every_days: int = 30,
    log_name: str = "",
    by: Person,
) -> Terminal:
    """4-1, 4-3, 4-5: a terminal and the measures it is meant to have."""
    terminal = Terminal(
        asset_number=asset_number.strip(),
        place=place,
        area=area,
        log_name=log_name.strip(),
        media_block_method=media_block_method,
        screen_lock_minutes=screen_lock_minutes,
        verify_every_days=verify_every_days,
        registered_at=timezone.now(),
        registered_by=by,
    )
    if not media_block_method.strip():
        raise ValidationError(
            {"media_block_method": _("Say how external media are blocked (4-3).")}
        )
    if screen_lock_minutes < 1:
        raise ValidationError({"screen_lock_minutes": _("The screen must lock (4-5).")})
    terminal.full_clean()
    terminal.save()
    record(
        LgwanEvent.TERMINAL_REGISTERED,
        actor=by,
        target=terminal,
        changes={
            "asset_number": terminal.asset_number,
            "area": area.pk,
            "media_block_method": media_block_method,
            "screen_lock_minutes": screen_lock_minutes,
        },
    )
    return terminal


@transaction.atomic
def verify_terminal(
    terminal: Terminal,
    *,
    measure: str,
    passed: bool,
    note: str = "",
    by: Person,
    at: datetime | None = None,
) -> Verification:
    """One verification of one measure, appended: who, when, the result (4-1, 4-3, 4-5)."""
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Unknown measure.")})
    if not passed and not note.strip():
        raise ValidationError({"note": _("Say what was wrong.")})
    verification = Verification.objects.create(
        terminal=terminal,
        measure=measure,
        verified_at=at or timezone.now(),
        verified_by=by,
        passed=passed,
        note=note.strip(),
    )
    record(
        LgwanEvent.TERMINAL_VERIFIED,
        actor=by,
        # The verification itself, so that the trail names each one kept (3-6).
        target=verification,
        changes={
            "terminal": terminal.asset_number,
            "measure": measure,
            "passed": passed,
            "note": verification.note,
        },
    )
    return verification


@transaction.atomic
def issue_account(*, account_id: str, person: Person, by: Person) -> Account:
    """4-2: a dedicated ID for one person; an ID is never reissued to anyone else."""
    account_id = account_id.strip()
    if not account_id:
        raise ValidationError({"account_id": _("Give the LGWAN ID.")})
    if Account.objects.filter(account_id=account_id).exists():
        raise ValidationError(
            {"account_id": _("This ID was already issued; an ID belongs to one person (4-2).")}
        )
    if Account.objects.filter(person=person, revoked_at__isnull=True).exists():
        raise ValidationError({"person": _("This person already holds a current ID (4-2).")})
    try:
        with transaction.atomic():
            account = Account.objects.create(
                account_id=account_id, person=person, issued_at=timezone.now(), issued_by=by
            )
    except IntegrityError:  # a concurrent issue of the same ID or to the same person
        raise ValidationError(_("This ID or person was just issued an ID (4-2).")) from None
    record(
        LgwanEvent.ACCOUNT_ISSUED,
        actor=by,
        target=account,
        changes={"account_id": account_id, "person": person.pk},
    )
    return account


@transaction.atomic
def retire_terminal(terminal: Terminal, *, retired_on: date, note: str, by: Person) -> Terminal:
    """4-1, 4-3: a terminal taken out of service: from that day on its checks are no longer
    due, and a lookup from it is a finding (`unknown_terminal`)."""
    if retired_on > timezone.localdate():
        raise ValidationError({"retired_on": _("Record the day once the terminal is out of use.")})
    if retired_on < timezone.localdate(terminal.registered_at):
        raise ValidationError({"retired_on": _("The terminal was registered after that day.")})
    updated = Terminal.objects.filter(pk=terminal.pk, retired_on__isnull=True).update(
        retired_on=retired_on
    )
    if not updated:
        raise ValidationError(_("This terminal is already out of service."))
    terminal.refresh_from_db()
    record(
        LgwanEvent.TERMINAL_RETIRED,
        actor=by,
        target=terminal,
        changes={"retired_on": retired_on.isoformat(), "note": note.strip()},
    )
    return terminal


def revoke_account(account: Account, *, by: Person) -> Account:
    """4-2: the ID ends with the person's work (off the roster, moved, retired)."""
    updated = Account.objects.filter(pk=account.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if not updated:
        raise ValidationError(_("This ID is already revoked."))
    account.refresh_from_db()
    record(
        LgwanEvent.ACCOUNT_REVOKED, actor=by, target=account, changes={"person": account.person_id}
    )
    return account


def _refuse_mapping(mapping: Any) -> None:
    problems = check_mapping(mapping)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def register_source(
    *, name: str, mapping: dict[str, Any], encoding: str = "auto", by: Person | None
) -> tuple[LogSource, str]:
    """A system whose lookup logs are imported, and the token its log shipper pushes with.

    Only the token's hash is kept, as for card readers: the caller shows it once.
    """
    _refuse_mapping(mapping)
    token = new_secret(32)
    source = LogSource(
        name=name.strip(),
        mapping=mapping,
        encoding=encoding,
        token_hash=secret_hash(token),
        token_hint=token[:8],
        registered_at=timezone.now(),
    )
    source.full_clean()
    source.save()
    record(
        LgwanEvent.SOURCE_REGISTERED,
        actor=by,
        target=source,
        changes={"name": source.name, "encoding": encoding, "mapping": mapping},
    )
    return source, token


@transaction.atomic
def change_source(
    source: LogSource, *, name: str, mapping: dict[str, Any], encoding: str, by: Person
) -> LogSource:
    """A source's name, encoding or column mapping changed; files already imported stay as read.

    The audit event keeps each changed value before and after, so the mapping any file was
    read with can be told from the trail.
    """
    _refuse_mapping(mapping)
    # Which column holds the 受付番号 or the ID decides what the review can see (4-4): a
    # decision for the manager, or the deputy while she is away (3-1), as for the rules.
    capacity = require_approving_capacity(by, timezone.now())
    current = LogSource.objects.select_for_update().get(pk=source.pk)
    new = {"name": name.strip(), "encoding": encoding, "mapping": mapping}
    changes = {
        key: [getattr(current, key), value]
        for key, value in new.items()
        if getattr(current, key) != value
    }
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    for key, value in new.items():
        setattr(current, key, value)
    current.full_clean()
    current.save(update_fields=list(changes))
    record(LgwanEvent.SOURCE_CHANGED, actor=by, capacity=capacity, target=current, changes=changes)
    return current


@transaction.atomic
def enter_application(*, receipt_number: str, day: date, by: Person) -> Application:
    """An application being processed, whose 受付番号 justifies lookups that day (4-4)."""
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise ValidationError({"receipt_number": _("Give the receipt number.")})
    application, created = Application.objects.get_or_create(
        receipt_number=receipt_number, day=day, defaults={"recorded_at": timezone.now()}
    )
    if not created:
        raise ValidationError({"receipt_number": _("This application is already recorded.")})
    record(
        LgwanEvent.APPLICATION_ENTERED,
        actor=by,
        target=application,
        changes={"receipt_number": receipt_number, "day": day.isoformat()},
    )
    return application


@transaction.atomic
def set_rule(code: str, *, enabled: bool, params: dict[str, Any], by: Person) -> Rule:
    """Switch a review rule on or off, or change its parameters (4-4).

    The parameters are checked against what the rule takes (`rule_params`); the next review
    pass runs with them. The manager decides, or the deputy while the manager is away (3-1).
    """
    from itaku.lgwan.rules import RULES

    if code not in RULES:
        raise ValidationError(_("Unknown rule."))
    cleaned = clean_params(RULES[code].defaults, params)
    capacity = require_approving_capacity(by, timezone.now())
    rule, _created = Rule.objects.select_for_update().get_or_create(code=code)
    old = {"enabled": rule.enabled, "params": rule.params}
    rule.enabled, rule.params = enabled, cleaned
    rule.save()
    record(
        LgwanEvent.RULE_CHANGED,
        actor=by,
        capacity=capacity,
        target=rule,
        changes={"rule": code, "old": old, "new": {"enabled": enabled, "params": cleaned}},
    )
    return rule


def close_finding(finding: Finding, *, note: str, by: Person) -> Finding:
    """4-4 with 3-1: the manager closes a finding with what was found out; never its subject."""
    if not note.strip():
        raise ValidationError({"note": _("Say what was found out before closing (4-4).")})
    return decide(finding, Finding.State.CLOSED, by=by, note=note.strip())


@transaction.atomic
def close_findings(findings: list[Finding], *, note: str, by: Person) -> list[Finding]:
    """Close several findings with one note (the same lookups checked against the same
    applications): each is a decision of its own on the audit trail, and all are closed or,
    when one cannot be, none."""
    if not findings:
        raise ValidationError({"findings": _("Choose the findings to close.")})
    closed = []
    for finding in findings:
        try:
            closed.append(close_finding(finding, note=note, by=by))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                _("“%(finding)s”: %(reason)s Nothing was closed.")
                % {"finding": finding.detail, "reason": " ".join(error.messages)}
            ) from None
    return closed


@transaction.atomic
def sign_off_day(day: date, *, note: str = "", by: Person) -> DayReview:
    """4-4: the manager signs off a day's review once every finding of it is closed."""
    if day >= timezone.localdate():
        raise ValidationError(_("A day is signed off once it is over (4-4)."))
    from itaku.lgwan.rules import review_day

    review_day(day)
    if Finding.objects.filter(day=day, state=Finding.State.OPEN).exists():
        raise ValidationError(_("Close every finding of the day before signing it off (4-4)."))
    review, _created = DayReview.objects.get_or_create(day=day)
    return decide(
        review, DayReview.State.SIGNED, by=by, note=note, changes={"day": day.isoformat()}
    )
