import hashlib
from dataclasses import replace
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import get_language

from itaku.core.todo import Kind, TodoItem
from itaku.people.access import allow, may, require_person, viewer
from itaku.people.roles import ALL_ROLES, CITY_OVERSIGHT, Role
from itaku.policy import compliance_report, kept_todo
from itaku.policy.compliance_report import Report
from itaku.policy.dashboard import lay_out
from itaku.policy.models import Procedure
from itaku.policy.registry import Status

DASHBOARD_ROLES = (*CITY_OVERSIGHT, Role.CITY_STAFF)


@allow(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login: what awaits this person, each item linked to its screen.

    The auditor only reads: their home is the dashboard.
    """
    who = viewer(request)
    if who.roles == {Role.AUDITOR}:
        return redirect("policy:dashboard")
    items = kept_todo.current(
        require_person(request),
        request.user.pk,
        who.roles,
        timezone.now(),
        lambda item: _openable(request, item),
    )
    sections = [
        {"kind": kind, "label": kind.label, "items": found}
        for kind in Kind
        if (found := [item for item in items if item.kind is kind])
    ]
    context = {
        "sections": sections,
        "overdue": sum(1 for item in items if item.overdue),
        "to_decide": sum(1 for item in items if item.kind is Kind.DECIDE),
        "can_see_dashboard": bool(who.roles & set(DASHBOARD_ROLES)),
    }
    return render(request, "policy/home.html", context)


def _openable(request: HttpRequest, item: TodoItem) -> TodoItem:
    """The item, without its link if the page would not open for this person."""
    return item if _opens(request, item.url) else replace(item, url="")


def _opens(request: HttpRequest, url: str) -> bool:
    """Whether the page at `url` opens for the viewer: a link that would answer 403 is not shown."""
    if not url:
        return False
    try:
        view = resolve(urlsplit(url).path).func
    except Resolver404:
        return False
    return may(request, view, "GET")


def _clauses_key(report: Report, shown: str, openable: set[str]) -> str:
    """What the dashboard's clauses are rendered from: the kept report (`current`), the status
    shown, the language and the links this viewer may open. Their HTML is kept under it."""
    parts = [report.kept_as, shown, get_language(), *sorted(openable)]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


@allow(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every clause of the procedure with its status and the evidence behind it."""
    procedure = Procedure.objects.current()
    if procedure is None:
        raise Http404("No procedure is loaded.")
    report = compliance_report.current(procedure, timezone.now())
    shown = request.GET.get("status", "")
    valid = shown in {status.value for status in Status}
    rows = report.rows_with_status(Status(shown)) if valid else report.rows
    openable = {
        url for row in report.all_rows() for url in row.result.links if _opens(request, url)
    }
    context = {
        "report": report,
        "rows": rows,
        "layout": lay_out(rows),
        "shown": shown if valid else "",
        "procedure": procedure,
        "revisions": procedure.revisions.all(),
        "counts": report.counts(),
        "openable": openable,
        "clauses_key": _clauses_key(report, shown if valid else "", openable),
    }
    return render(request, "policy/dashboard.html", context)
