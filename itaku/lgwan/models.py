"""LGWAN terminals, the IDs on them and the lookups made with those IDs: chapter 4.

A terminal carries its measures (4-1 no personal data kept on it, 4-3 external media blocked,
4-5 screen lock); each measure is proven by verifications, appended and never edited. An ID
belongs to one person (4-2). Lookups come from the terminals' own logs (4-4); the subject of a
lookup is kept only as a keyed hash, so the database can match it but never read it.
"""

from datetime import date, datetime, timedelta
from typing import ClassVar

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.area.models import Area
from itaku.core import business_days, dates
from itaku.lgwan.events import LgwanEvent
from itaku.people.decisions import Decision, Step
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord, FiscalYearField


class Measure(models.TextChoices):
    """What a verification of a terminal checks, with the clause it proves."""

    NO_LOCAL_DATA = "no_local_data", _("No personal data stored on the terminal (4-1)")
    MEDIA_BLOCKED = "media_blocked", _("External media blocked (4-3)")
    SCREEN_LOCK = "screen_lock", _("Screen lock and return to the login screen (4-5)")


class Terminal(models.Model):
    """An LGWAN terminal at the counter, with the measures the procedure asks of it."""

    asset_number = models.CharField(_("asset number"), max_length=40, unique=True)
    place = models.CharField(_("place"), max_length=200)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="lgwan_terminals"
    )
    # How the terminal appears in the lookup logs; the asset number when left blank.
    log_name = models.CharField(_("name in the lookup logs"), max_length=40, blank=True)
    media_block_method = models.CharField(
        _("how external media are blocked"),
        max_length=200,
        help_text=_("4-3: e.g. USB storage disabled by device control policy."),
    )
    screen_lock_minutes = models.PositiveSmallIntegerField(
        _("screen lock after (minutes)"),
        help_text=_("4-5: the terminal returns to the login screen after this idle time."),
    )
    verify_every_days = models.PositiveSmallIntegerField(_("verify every (days)"), default=30)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        Person, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("LGWAN terminal")
        verbose_name_plural = _("LGWAN terminals")
        ordering = ["asset_number"]

    def __str__(self) -> str:
        return self.asset_number

    @property
    def name_in_logs(self) -> str:
        return self.log_name or self.asset_number

    def latest_verification(
        self, measure: str, at: datetime | None = None
    ) -> "Verification | None":
        """The latest verification of `measure` (up to `at`), read through `all()` so that
        terminals read with their verifications prefetched ask nothing more."""
        found = [
            verification
            for verification in self.verifications.all()
            if verification.measure == measure and (at is None or verification.verified_at <= at)
        ]
        return max(found, key=lambda v: (v.verified_at, v.pk), default=None)

    def verification_problem(self, measure: str, at: datetime) -> str | None:
        """Why `measure` is not proven at `at` (never verified, failed, overdue), or None."""
        found = self.latest_verification(measure, at)
        if found is None:
            return "never"
        if not found.passed:
            return "failed"
        if found.verified_at < at - timedelta(days=self.verify_every_days):
            return "overdue"
        return None


class Verification(FiscalRecord):
    """One check of one measure on a terminal: who, when, the result. Appended, never edited."""

    fiscal_date_field = "verified_at"
    retention_clause = "4-1"

    terminal = models.ForeignKey(
        Terminal, verbose_name=_("terminal"), on_delete=models.PROTECT, related_name="verifications"
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(
        Person, verbose_name=_("verified by"), on_delete=models.PROTECT, related_name="+"
    )
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("terminal verification")
        verbose_name_plural = _("terminal verifications")
        ordering = ["-verified_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.terminal} {self.measure} {self.verified_at:%Y-%m-%d}"


class AccountQuerySet(models.QuerySet["Account"]):
    def active(self, at: datetime | None = None) -> "AccountQuerySet":
        at = at or timezone.now()
        return self.filter(issued_at__lte=at).filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=at)
        )


class Account(FiscalRecord):
    """4-2: an LGWAN user ID, issued to exactly one person. Data about a person, not a login."""

    fiscal_date_field = "issued_at"
    retention_clause = "4-2"

    account_id = models.CharField(_("LGWAN ID"), max_length=40)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="lgwan_accounts"
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        Person, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Person,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("LGWAN ID")
        verbose_name_plural = _("LGWAN IDs")
        ordering = ["account_id"]
        constraints = [
            # 4-2: never two people on one ID — an ID, once issued, is never issued again.
            models.UniqueConstraint(fields=["account_id"], name="lgwan_account_id_once"),
            # 4-2: one current ID per person.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="lgwan_one_current_id_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.account_id


class LogSource(models.Model):
    """A system whose terminals export lookup logs, with its column mapping as data.

    `mapping` says how the exported file is written (delimiter, quoting, whether its first line
    is a header) and, for each field Itaku needs, its column: the header's name, or the position
    in a file without a header line; see docs/lgwan-import.md. A log shipper pushing lines
    authenticates with the source's token.
    """

    class Encoding(models.TextChoices):
        AUTO = "auto", _("UTF-8 or Shift_JIS (detected)")
        UTF8 = "utf-8", "UTF-8"
        CP932 = "cp932", "Shift_JIS (CP932)"

    name = models.CharField(_("name"), max_length=60, unique=True)
    encoding = models.CharField(
        _("encoding"), max_length=10, choices=Encoding.choices, default=Encoding.AUTO
    )
    mapping = models.JSONField(_("column mapping"))
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    token_hint = models.CharField(_("token begins with"), max_length=8, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("lookup log source")
        verbose_name_plural = _("lookup log sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LogFile(FiscalRecord):
    """One imported file (or pushed batch): its hash makes a second import of it a no-op."""

    fiscal_date_field = "imported_at"
    retention_clause = "4-4"

    source = models.ForeignKey(
        LogSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="files"
    )
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    lines_root = models.CharField(_("Merkle root of the lines"), max_length=64)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    stored = models.PositiveIntegerField(_("lookups stored"), default=0)
    duplicates = models.PositiveIntegerField(_("lines already stored"), default=0)
    rejected = models.PositiveIntegerField(_("lines rejected"), default=0)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        Person,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("imported lookup log")
        verbose_name_plural = _("imported lookup logs")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="lgwan_file_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RowId(models.BigAutoField[int, int]):
    """On SQLite, an ID given as the table's greatest plus one, without AUTOINCREMENT: its
    bookkeeping (a write to `sqlite_sequence` for every row) cost the import a third of the
    database's time. An ID could be given again only after the table's latest rows were deleted;
    lookups are evidence the database keeps (3-6), and a finding naming one holds it by a
    foreign key. PostgreSQL keeps its identity column."""

    def db_type_suffix(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return super().db_type_suffix(connection)


class Lookup(FiscalRecord):
    """One line of a lookup log: a lookup, a login or a logout on a terminal (4-4).

    Terminal and ID are kept as the log wrote them and linked when known: an ID the city never
    issued is itself a finding. The subject is a keyed hash only (privacy by design). Kept by the
    fiscal year of its time; the import writes that year with each row, as `FiscalRecord` would.
    """

    fiscal_date_field = "occurred_at"
    retention_clause = "4-4"

    id = RowId(primary_key=True, serialize=False)

    class Action(models.TextChoices):
        LOOKUP = "lookup", _("Lookup")
        LOGIN = "login", _("Login")
        LOGOUT = "logout", _("Logout")

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Resident registry (本人確認情報)")
        KOSEKI = "koseki", _("Family register (戸籍情報連携)")
        OTHER = "other", _("Other")

    # Every index slows the import down: the review reads a day's lines through the unique
    # key (time first) and the rules need no index by ID; terminals are read by their name.
    # Nor does the database check the links row by row (a deferred check per link and line
    # cost the import more than the insert): the import sets them itself, from its own source
    # and file and the terminals and IDs it read in the same transaction; files and IDs are
    # evidence the database keeps (3-6), and Django refuses to delete a terminal or a source
    # that lookups name (PROTECT).
    source = models.ForeignKey(
        LogSource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    file = models.ForeignKey(
        LogFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="lookups",
        db_index=False,
        db_constraint=False,
    )
    line_number = models.PositiveIntegerField(_("line"))
    line_key = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(_("time"))
    terminal_name = models.CharField(_("terminal in the log"), max_length=40)
    terminal = models.ForeignKey(
        Terminal,
        verbose_name=_("terminal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lookups",
        db_index=False,
        db_constraint=False,
    )
    account_name = models.CharField(_("ID in the log"), max_length=40)
    account = models.ForeignKey(
        Account,
        verbose_name=_("LGWAN ID"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lookups",
        db_index=False,
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    subject_hash = models.CharField(_("subject (keyed hash)"), max_length=64, blank=True)
    # Nor by fiscal year or by file: a disposal reads a year's lookups once a year, and the
    # import counts a file's lookups within the times its lines span (through the unique key).
    fiscal_year = FiscalYearField(_("fiscal year"), editable=False)

    class Meta:
        verbose_name = _("lookup")
        verbose_name_plural = _("lookups")
        ordering = ["occurred_at", "pk"]
        constraints = [
            # A line stored once per source, whatever file brought it (idempotent import). The
            # key hashes the line's time, so one key never comes with two times: led by the
            # time, the constraint is the same, a file's lines go to the end of the index in
            # order rather than to random places, and it is the index the day's reads use.
            models.UniqueConstraint(
                fields=["occurred_at", "source", "line_key"], name="lgwan_lookup_once"
            ),
        ]
        indexes = [
            # The line before a terminal's first of the day (idle past the screen lock).
            models.Index(fields=["terminal_name", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_name}@{self.terminal_name} {self.occurred_at:%Y-%m-%d %H:%M}"


class DayCount(models.Model):
    """How many lookups an ID made on a day: the volume rule's baseline, kept so that a day's
    review reads a few rows per ID and day instead of four weeks of lookups.

    Derived data, not evidence: worked out from the lookups when first needed, and forgotten
    for the days a newly imported file touches. The row with an empty ID marks a day as
    counted (a day without lookups has no other row).
    """

    account_name = models.CharField(max_length=40, blank=True)
    day = models.DateField()
    lookups = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "account_name"], name="lgwan_day_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.account_name}: {self.lookups}"


class RejectedLine(FiscalRecord):
    """A line that could not be stored, with its number and the reason (4-4).

    The line itself stays in the source file (identified by its hash on the file record): it may
    hold a subject's name in clear, which the database never keeps.
    """

    fiscal_date_field = "file.imported_at"
    retention_clause = "4-4"

    file = models.ForeignKey(
        LogFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="rejected_lines"
    )
    line_number = models.PositiveIntegerField(_("line"))
    line_sha256 = models.CharField(_("SHA-256 of the line"), max_length=64)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("rejected line")
        verbose_name_plural = _("rejected lines")
        ordering = ["file", "line_number"]

    def __str__(self) -> str:
        return f"{self.file}:{self.line_number}"


class Application(FiscalRecord):
    """A passport application being processed: its 受付番号 justifies the lookups for it."""

    fiscal_date_field = "day"
    retention_clause = "4-4"

    receipt_number = models.CharField(_("receipt number"), max_length=40)
    day = models.DateField(_("day"))
    subject_hash = models.CharField(_("applicant (keyed hash)"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-day", "receipt_number"]
        constraints = [
            models.UniqueConstraint(fields=["day", "receipt_number"], name="lgwan_application_once")
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} ({self.day})"


class Rule(models.Model):
    """A review rule switched on and parameterised as data; its logic is in `rules.py`."""

    code = models.CharField(_("rule"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("review rule")
        verbose_name_plural = _("review rules")
        ordering = ["code"]

    def __str__(self) -> str:
        # The rule's name, as the rules screen and the audit trail name it.
        from itaku.lgwan.rules import RULES  # the rules module imports this one

        spec = RULES.get(self.code)
        return str(spec.label) if spec else self.code


class Finding(FiscalRecord, Decision):
    """What a review rule found on a day; the manager closes it with a note (4-4).

    The owner of the ID concerned is a party: no one closes a finding about their own lookups.
    """

    fiscal_date_field = "day"
    retention_clause = "4-4"

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    rule = models.CharField(_("rule"), max_length=40)
    clause_id = models.CharField(_("clause"), max_length=10)
    day = models.DateField(_("day"))
    key = models.CharField(max_length=120, unique=True)
    lookup = models.ForeignKey(
        Lookup,
        verbose_name=_("lookup"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("LGWAN ID"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner of the ID"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=300)
    found_at = models.DateTimeField(_("found at"))

    TRANSITIONS: ClassVar = {
        State.OPEN: {State.CLOSED: Step(LgwanEvent.FINDING_CLOSED)},
    }
    PARTY_FIELDS = ("owner",)

    class Meta:
        verbose_name = _("lookup finding")
        verbose_name_plural = _("lookup findings")
        ordering = ["day", "rule", "pk"]
        indexes = [models.Index(fields=["day", "state"])]

    def __str__(self) -> str:
        # The rule's name, not its code, and the day as every screen writes it.
        from itaku.lgwan.rules import RULES  # the rules module imports this one

        spec = RULES.get(self.rule)
        return f"{dates.display_date(self.day)} {spec.label if spec else self.rule}: {self.detail}"


class DayReview(FiscalRecord, Decision):
    """The manager's sign-off of one business day's lookup review (4-4)."""

    fiscal_date_field = "day"
    retention_clause = "4-4"

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SIGNED = "signed", _("Signed off")

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    day = models.DateField(_("day"), unique=True)

    TRANSITIONS: ClassVar = {
        State.PENDING: {State.SIGNED: Step(LgwanEvent.DAY_SIGNED_OFF)},
    }

    class Meta:
        verbose_name = _("day review")
        verbose_name_plural = _("day reviews")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


def is_business_day(day: date) -> bool:
    """Weekdays less Japanese public holidays and the city's closing days (core calendar)."""
    return business_days.is_business_day(day)
