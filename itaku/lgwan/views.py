"""The LGWAN pages: terminals and their verifications, IDs, log import, the daily review, the
log sources' column mappings and the review rules."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from itaku.audit.log import record_view
from itaku.core.forms import add_refusal, errors_to_messages, run_action
from itaku.core.params import record_id
from itaku.lgwan import actions, mapping
from itaku.lgwan.forms import (
    AccountForm,
    ApplicationsForm,
    CloseFindingsForm,
    DayForm,
    ImportForm,
    PreviewForm,
    RetireTerminalForm,
    RuleForm,
    SignOffForm,
    SourceForm,
    TerminalForm,
    VerificationForm,
)
from itaku.lgwan.importer import import_applications, import_log
from itaku.lgwan.mapping import to_fields as mapping_fields
from itaku.lgwan.models import (
    Account,
    Application,
    DayReview,
    Finding,
    LogFile,
    LogSource,
    Lookup,
    Measure,
    Terminal,
)
from itaku.lgwan.preview import preview
from itaku.lgwan.rule_params import NOTES, PARAMS, value_text
from itaku.lgwan.rules import RULES, RuleSpec, parameters, review_day, review_past_days
from itaku.lgwan.sample import SAMPLE_MAPPING
from itaku.people.access import allow, may, require_person
from itaku.people.roles import Role

DECIDERS = (Role.MANAGER, Role.DEPUTY)
# Lookups are about residents and about who looked them up: oversight reads, contractors do not.
WATCH = (Role.SUPERIOR, Role.AUDITOR)


@allow(*DECIDERS, read=(Role.CITY_STAFF, *WATCH, Role.ADMIN))
@require_http_methods(["GET", "POST"])
def terminals(request: HttpRequest) -> HttpResponse:
    form = TerminalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            terminal = actions.register_terminal(**form.cleaned_data, by=require_person(request))
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request, _("The terminal %(name)s was registered.") % {"name": terminal}
            )
            return redirect("lgwan:terminal", pk=terminal.pk)
    now = timezone.now()
    rows = [
        (terminal, [(m, terminal.verification_problem(m, now)) for m in Measure])
        for terminal in Terminal.objects.select_related("area")
    ]
    context = {"form": form, "rows": rows, "can_write": may(request, terminals)}
    return render(request, "lgwan/terminals.html", context)


@allow(*DECIDERS, read=(Role.CITY_STAFF, *WATCH, Role.ADMIN))
@require_http_methods(["GET", "POST"])
def terminal(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Terminal.objects.select_related("area"), pk=pk)
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.verify_terminal(found, **form.cleaned_data, by=require_person(request)),
        _("The verification was recorded."),
    ):
        return redirect("lgwan:terminal", pk=pk)
    return _terminal_page(request, found, form=form)


@allow(*DECIDERS)
@require_POST
def terminal_retire(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Terminal.objects.select_related("area"), pk=pk)
    form = RetireTerminalForm(request.POST, prefix="retire")
    if run_action(
        request,
        form,
        lambda: actions.retire_terminal(found, **form.cleaned_data, by=require_person(request)),
        _("The terminal is recorded as out of service."),
    ):
        return redirect("lgwan:terminal", pk=pk)
    return _terminal_page(request, found, retire_form=form)


def _terminal_page(
    request: HttpRequest,
    found: Terminal,
    *,
    form: VerificationForm | None = None,
    retire_form: RetireTerminalForm | None = None,
) -> HttpResponse:
    now = timezone.now()
    context = {
        "terminal": found,
        "form": form or VerificationForm(),
        "retire_form": retire_form
        or RetireTerminalForm(prefix="retire", initial={"retired_on": timezone.localdate(now)}),
        "status": [(m, found.verification_problem(m, now)) for m in Measure],
        "verifications": found.verifications.select_related("verified_by"),
        "can_write": may(request, terminal),
    }
    return render(request, "lgwan/terminal.html", context)


@allow(*DECIDERS, read=WATCH)
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest) -> HttpResponse:
    person = require_person(request)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = actions.issue_account(**form.cleaned_data, by=person)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The ID %(id)s was issued.") % {"id": account})
            return redirect("lgwan:accounts")
    shown = list(Account.objects.select_related("person", "issued_by", "revoked_by"))
    record_view([a.person for a in shown], actor=person, page="lgwan:accounts")
    context = {"form": form, "accounts": shown, "can_write": may(request, accounts)}
    return render(request, "lgwan/accounts.html", context)


@allow(*DECIDERS)
@require_POST
def account_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    try:
        actions.revoke_account(account, by=require_person(request))
        messages.success(request, _("The ID was revoked."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("lgwan:accounts")


@allow(*DECIDERS, read=WATCH)
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    chosen = record_id(request.GET, "source")  # "import a file of this source"
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"source": chosen} if chosen else {}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_log(
                form.cleaned_data["source"],
                upload,
                name=upload.name,
                by=require_person(request),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if result.already_imported:
                messages.warning(request, _("This file was already imported; nothing was added."))
            else:
                review_past_days(result.days())
                messages.success(
                    request,
                    _(
                        "%(stored)d lookups stored, %(duplicates)d already stored, "
                        "%(rejected)d lines rejected."
                    )
                    % {
                        "stored": result.file.stored,
                        "duplicates": result.file.duplicates,
                        "rejected": result.file.rejected,
                    },
                )
            return redirect("lgwan:import_detail", pk=result.file.pk)
    context = {
        "form": form,
        "applications_form": ApplicationsForm(),
        "files": LogFile.objects.select_related("source", "imported_by")[:50],
        # The days the applications cover, so a missing day's file shows before its lookups
        # are all found to match no application.
        "application_days": Application.objects.values("day")
        .annotate(n=Count("pk"))
        .order_by("-day")[:14],
        "can_write": may(request, imports),
    }
    return render(request, "lgwan/imports.html", context)


@allow(*DECIDERS, read=WATCH)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log_file = get_object_or_404(LogFile.objects.select_related("source", "imported_by"), pk=pk)
    context = {"file": log_file, "rejected": log_file.rejected_lines.all()[:500]}
    return render(request, "lgwan/import_detail.html", context)


@allow(*DECIDERS)
@require_POST
def applications(request: HttpRequest) -> HttpResponse:
    form = ApplicationsForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_applications(upload, name=upload.name, by=require_person(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)d applications added.") % {"count": result.added})
            # Each reason names its line already.
            for _number, reason in result.refused:
                messages.warning(request, reason)
            more = result.rejected - len(result.refused)
            if more:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d more line was set aside; the audit event lists every one.",
                        "%(count)d more lines were set aside; the audit event lists every one.",
                        more,
                    )
                    % {"count": more},
                )
    else:
        messages.error(request, _("Choose a file."))
    return redirect("lgwan:imports")


def _day(request: HttpRequest) -> tuple[date, DayForm]:
    """The day asked for, or yesterday, with the form to show: the asked day's own form when it
    could not be read, so the page says why."""
    asked = DayForm(request.GET or None)
    if asked.is_valid():
        day: date = asked.cleaned_data["day"]
        return day, DayForm(initial={"day": day})
    yesterday = timezone.localdate() - timedelta(days=1)
    return yesterday, asked if asked.is_bound else DayForm(initial={"day": yesterday})


@allow(*DECIDERS, read=WATCH)
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    person = require_person(request)
    day, day_form = _day(request)
    if request.method == "POST":
        added = review_day(day)
        messages.success(request, _("%(count)d new findings.") % {"count": added})
        return redirect(f"{reverse('lgwan:review')}?day={day.isoformat()}")
    findings = list(
        Finding.objects.filter(day=day).select_related("account", "owner", "lookup", "decided_by")
    )
    record_view([f for f in findings if f.owner_id], actor=person, page="lgwan:review")
    labels = {code: spec.label for code, spec in RULES.items()}
    day_review = DayReview.objects.filter(day=day).select_related("decided_by").first()
    totals = Lookup.objects.filter(occurred_at__date=day).aggregate(
        n=Count("pk"), lookups=Count("pk", filter=Q(action=Lookup.Action.LOOKUP))
    )
    context = {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "day_form": day_form,
        "rows": [(finding, labels.get(finding.rule, finding.rule)) for finding in findings],
        "open_count": sum(1 for f in findings if f.state == Finding.State.OPEN),
        "close_form": CloseFindingsForm(initial={"day": day}),
        "sign_form": SignOffForm(initial={"day": day}),
        "day_review": day_review,
        "totals": totals,
        "rule_rows": _rule_rows(),
        "can_write": may(request, review),
        "is_past": day < timezone.localdate(),
    }
    return render(request, "lgwan/review.html", context)


@allow(*DECIDERS)
@require_POST
def findings_close(request: HttpRequest) -> HttpResponse:
    form = CloseFindingsForm(request.POST)
    chosen = list(form.cleaned_data["findings"]) if form.is_valid() else []
    if not run_action(
        request,
        form,
        lambda: actions.close_findings(
            chosen, note=form.cleaned_data["note"], by=require_person(request)
        ),
        ngettext("%(count)d finding was closed.", "%(count)d findings were closed.", len(chosen))
        % {"count": len(chosen)},
    ):
        errors_to_messages(request, form)
    day = form.cleaned_data.get("day")
    return redirect(reverse("lgwan:review") + (f"?day={day.isoformat()}" if day else ""))


@allow(*DECIDERS)
@require_POST
def sign_off(request: HttpRequest) -> HttpResponse:
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day."))
        return redirect("lgwan:review")
    day = form.cleaned_data["day"]
    try:
        actions.sign_off_day(day, note=form.cleaned_data["note"], by=require_person(request))
        messages.success(request, _("The day was signed off."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('lgwan:review')}?day={day.isoformat()}")


# Lookup log sources and their column mappings -------------------------------------------------


@allow(*DECIDERS, read=WATCH)
def sources(request: HttpRequest) -> HttpResponse:
    rows = LogSource.objects.annotate(file_count=Count("files"), last=Max("files__imported_at"))
    context = {"sources": rows, "can_write": may(request, source_new)}
    return render(request, "lgwan/sources.html", context)


@allow(*DECIDERS)
@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"encoding": LogSource.Encoding.AUTO, **mapping_fields({})}
    if request.GET.get("sample"):
        initial.update(mapping_fields(SAMPLE_MAPPING))
    return _source_form(request, None, initial)


@allow(*DECIDERS, read=WATCH)
@require_http_methods(["GET", "POST"])
def source(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(LogSource, pk=pk)
    initial = {"name": found.name, "encoding": found.encoding, **mapping_fields(found.mapping)}
    return _source_form(request, found, initial)


def _source_form(
    request: HttpRequest, found: LogSource | None, initial: dict[str, Any]
) -> HttpResponse:
    """The mapping form of a new or a registered source: save it, or try it on a file."""
    form = SourceForm(request.POST or None, initial=initial)
    trial_form = PreviewForm(request.POST or None, request.FILES or None)
    trial = token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            upload = trial_form.cleaned_data.get("file") if trial_form.is_valid() else None
            if upload is None:
                trial_form.add_error("file", _("Choose a file to try the mapping on."))
            else:
                unsaved = LogSource(
                    pk=found.pk if found else None,
                    name=data["name"],
                    encoding=data["encoding"],
                    mapping=form.mapping,
                )
                trial = preview(unsaved, upload)
        else:
            try:
                if found is None:
                    found, token = actions.register_source(
                        name=data["name"],
                        mapping=form.mapping,
                        encoding=data["encoding"],
                        by=require_person(request),
                    )
                else:
                    actions.change_source(
                        found,
                        name=data["name"],
                        mapping=form.mapping,
                        encoding=data["encoding"],
                        by=require_person(request),
                    )
            except ValidationError as error:
                add_refusal(form, error)
            else:
                if token is None:
                    messages.success(request, _("The source was changed."))
                    return redirect("lgwan:source", pk=found.pk)
                messages.success(request, _("The source was registered."))
                form = SourceForm(initial=initial | {"name": found.name})
    context = {
        "source": found,
        "form": form,
        "trial_form": trial_form,
        "trial": trial,
        "token": token,
        "can_write": may(request, source_new),
        "mapping": _mapping_rows(found) if found else [],
        "layout": _layout_rows(found) if found else [],
        "files": found.files.select_related("imported_by")[:10] if found else [],
    }
    return render(request, "lgwan/source.html", context)


def _mapping_rows(found: LogSource) -> list[tuple[str, str]]:
    """The mapping's columns, words and times, for those who read it without editing it."""
    form = SourceForm()
    values = mapping_fields(found.mapping)
    layout = {part.key for part in mapping.LAYOUT}
    return [
        (str(form.fields[name].label), values[name].replace("\n", "、"))
        for name in form.fields
        if name in values and values[name] and name not in layout
    ]


def _layout_rows(found: LogSource) -> list[tuple[Any, str]]:
    """How the source's files are cut into fields, in words."""
    layout = mapping.FileFormat.of(found.mapping)
    if layout.delimiter:
        delimiter = mapping.delimiter_label(layout.delimiter)
    else:
        delimiter = str(dict(mapping.DELIMITER_CHOICES)["auto"])
    first_line = dict(mapping.FIRST_LINE_CHOICES)["header" if layout.header else "data"]
    return [
        (mapping.FIRST_LINE.label, str(first_line)),
        (mapping.DELIMITER.label, delimiter),
        (mapping.QUOTE.label, mapping.quote_label(layout.quote)),
    ]


# The review rules --------------------------------------------------------------------------


@allow(*DECIDERS, read=WATCH)
def rules(request: HttpRequest) -> HttpResponse:
    return render(
        request, "lgwan/rules.html", {"rule_rows": _rule_rows(), "can_write": may(request, rule)}
    )


def _rule_rows() -> list[tuple[RuleSpec, bool, list[tuple[str, str]], Promise | None]]:
    """Each rule with whether it is on and its thresholds in words, as the rules screen and the
    day's review show them."""
    rows = []
    for code, (enabled, params) in parameters().items():
        shown = [(_param_label(name), value_text(value)) for name, value in params.items()]
        rows.append((RULES[code], enabled, shown, NOTES.get(code)))
    return rows


def _param_label(name: str) -> str:
    param = PARAMS.get(name)
    return str(param.label) if param else name


@allow(*DECIDERS, read=WATCH)
@require_http_methods(["GET", "POST"])
def rule(request: HttpRequest, code: str) -> HttpResponse:
    spec = RULES.get(code)
    if spec is None:
        raise Http404
    enabled, params = parameters()[code]
    form = RuleForm(
        request.POST if request.method == "POST" else None,  # a switch alone may post nothing
        defaults=spec.defaults,
        initial={"enabled": enabled, **params},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_rule(
                code,
                enabled=form.cleaned_data["enabled"],
                params=form.params,
                by=require_person(request),
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The rule was changed; the next review pass runs with it."))
            return redirect("lgwan:rules")
    context = {
        "spec": spec,
        "enabled": enabled,
        "params": [(_param_label(name), value_text(value)) for name, value in params.items()],
        "defaults": [
            (_param_label(name), value_text(value)) for name, value in spec.defaults.items()
        ],
        "note": NOTES.get(code),
        "form": form,
        "can_write": may(request, rule),
    }
    return render(request, "lgwan/rule.html", context)
