"""Screens of the audit trail: the events, the chain's status, checkpoints and the export.

The auditor reads everything here and changes nothing; the manager (or deputy) may also sign a
checkpoint on demand.
"""

from collections import defaultdict
from tempfile import TemporaryFile

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from itaku.audit import chain
from itaku.audit.actions import sign_checkpoints
from itaku.audit.chain import inclusion_in_checkpoint
from itaku.audit.describe import describe
from itaku.audit.events import AuditEvent
from itaku.audit.export import bundle_name, write_bundle
from itaku.audit.forms import EventFilterForm
from itaku.audit.log import record
from itaku.audit.models import Checkpoint, Event, Log
from itaku.audit.signing import KeyFileError, configured_signing_key, trusted_public_key
from itaku.audit.verifier import LogReport, key_id
from itaku.core import params
from itaku.core.dates import fiscal_year
from itaku.people.access import allow, may, require_person
from itaku.people.roles import Role


@allow(Role.MANAGER, Role.DEPUTY, read=(Role.AUDITOR,))
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    """The events, newest first, shown from their stored bytes; filters narrow them down."""
    form = EventFilterForm(request.GET or None)
    found = Event.objects.all()
    if form.is_bound and form.is_valid():
        found = form.filter(found)
    page = Paginator(found.order_by("-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    shown = list(page)
    names = _viewed_names(shown)
    context = {
        "form": form,
        "page": page,
        "rows": [
            (described, [names.get(ref, ref) for ref in _viewed(described.event)])
            for described in describe(shown)
        ],
        "query": query.urlencode(),
    }
    return render(request, "audit/events.html", context)


@allow(Role.MANAGER, Role.DEPUTY, read=(Role.AUDITOR,))
@require_GET
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """One event: its exact stored bytes, its hash, and its proof in the latest checkpoint."""
    shown = get_object_or_404(Event, pk=pk)
    names = _viewed_names([shown])
    context = {
        "event": shown,
        "described": describe([shown])[0],
        "body": bytes(shown.body).decode(errors="replace"),
        "viewed": [names.get(ref, ref) for ref in _viewed(shown)],
        "proof": inclusion_in_checkpoint(shown),
    }
    return render(request, "audit/event.html", context)


def _viewed(event: Event) -> list[str]:
    if event.code != AuditEvent.PERSONAL_DATA_VIEWED:
        return []
    records: list[str] = event.changes.get("records", [])
    return records


def _viewed_names(shown: list[Event]) -> dict[str, str]:
    """Names of the records read events point to, looked up for display only."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in shown:
        for ref in _viewed(event):
            kind, _sep, pk = ref.partition(":")
            wanted[kind].add(pk)
    names = {}
    for kind, pks in wanted.items():
        try:
            model = apps.get_model(kind)
        except (LookupError, ValueError):
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            names[f"{kind}:{obj.pk}"] = str(obj)
    return names


@allow(Role.MANAGER, Role.DEPUTY, read=(Role.AUDITOR,))
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Each log's size, its latest checkpoint and, on request, a full verification."""
    years = sorted(set(Log.objects.values_list("fiscal_year", flat=True)), reverse=True)
    year = _year(request, years)
    latest = {
        row["stream"]: row["last"]
        for row in Checkpoint.objects.filter(fiscal_year=year)
        .values("stream")
        .annotate(last=Max("id"))
    }
    checkpoints = Checkpoint.objects.in_bulk(latest.values())
    verification = chain.verify(year) if request.GET.get("verify") else None
    reports = {r.stream: r for r in verification.reports} if verification else {}
    rows = [
        {
            "log": log,
            "checkpoint": checkpoints.get(latest.get(log.stream, 0)),
            "report": reports.get(log.stream),
            "reason": _reason(reports.get(log.stream)),
        }
        for log in Log.objects.filter(fiscal_year=year).order_by("stream")
    ]
    try:
        public_key = trusted_public_key()
        signing_here = configured_signing_key() is not None
    except KeyFileError as error:
        messages.error(
            request, _("The checkpoint key cannot be read: %(error)s") % {"error": error}
        )
        public_key, signing_here = None, False
    context = {
        "year": year,
        "years": years,
        "rows": rows,
        "verification": verification,
        "key_id": key_id(public_key) if public_key else None,
        "signing_here": signing_here,
        "can_sign": may(request, checkpoint),
    }
    return render(request, "audit/status.html", context)


def _reason(report: LogReport | None) -> str:
    """Why a log failed, in the language of the page."""
    if report is None or report.finding is None:
        return ""
    return report.finding.text(get_language() or "ja")


def _year(request: HttpRequest, known: list[int]) -> int:
    asked = params.fiscal_year(request.GET)  # a year that is no year is a 400 with its reason
    if asked is not None:
        return asked
    return known[0] if known else fiscal_year(timezone.now())


@allow(Role.MANAGER, Role.DEPUTY)
@require_POST
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Sign a checkpoint now, in addition to the scheduled ones."""
    try:
        key = configured_signing_key()
    except KeyFileError as error:
        messages.error(
            request, _("The checkpoint key cannot be read: %(error)s") % {"error": error}
        )
        return redirect("audit:status")
    if key is None:
        messages.error(
            request,
            _(
                "The signing key is not kept on this server. Sign with `itaku audit checkpoint "
                "--key FILE` where the key is kept."
            ),
        )
        return redirect("audit:status")
    signing = sign_checkpoints(key, by=require_person(request))
    for report in signing.refused:
        messages.error(
            request,
            _("%(log)s fails verification and was not signed: %(finding)s")
            % {
                "log": f"{report.stream} {report.fiscal_year}",
                "finding": report.finding.describe(get_language() or "ja")
                if report.finding
                else "",
            },
        )
    if signing.made:
        messages.success(
            request, _("%(count)d checkpoints were signed.") % {"count": len(signing.made)}
        )
    elif not signing.refused:
        messages.success(request, _("Every log is already covered by a checkpoint."))
    return redirect("audit:status")


@allow(Role.MANAGER, Role.DEPUTY, read=(Role.AUDITOR,))
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The bundle of one fiscal year, for the auditor's own verifier."""
    years = sorted(set(Log.objects.values_list("fiscal_year", flat=True)), reverse=True)
    year = _year(request, years)
    try:
        key = trusted_public_key()
    except KeyFileError:
        key = None
    if key is None:
        messages.error(
            request, _("No checkpoint public key is configured (ITAKU_AUDIT_PUBLIC_KEY).")
        )
        return redirect("audit:status")
    # On disk, not in memory: a year of events can be large. FileResponse streams and closes it.
    buffer = TemporaryFile()  # noqa: SIM115
    heads = write_bundle(year, buffer, key)
    with transaction.atomic():
        record(
            AuditEvent.EXPORT_DOWNLOADED,
            actor=require_person(request),
            changes={"fiscal_year": year, "logs": heads},
        )
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=bundle_name(year))
