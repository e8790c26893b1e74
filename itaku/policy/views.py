from dataclasses import replace
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone

from itaku.core import todo
from itaku.core.todo import Kind, TodoItem
from itaku.people.access import allow, may, require_person, viewer
from itaku.people.roles import ALL_ROLES, CITY_OVERSIGHT, Role
from itaku.policy import compliance_report
from itaku.policy.dashboard import lay_out
from itaku.policy.models import Procedure
from itaku.policy.reads import shared_reads
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
    now = timezone.now()
    # The to-do lists and the compliance findings among them share one report's reads.
    with shared_reads(now):
        found = todo.collect(require_person(request), now)
    items = [_openable(request, item) for item in found]
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


@allow(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every clause of the procedure with its status and the evidence behind it."""
    procedure = Procedure.objects.current()
    if procedure is None:
        raise Http404("No procedure is loaded.")
    report = compliance_report.build(procedure, timezone.now())
    shown = request.GET.get("status", "")
    valid = shown in {status.value for status in Status}
    rows = report.rows_with_status(Status(shown)) if valid else report.rows
    context = {
        "report": report,
        "rows": rows,
        "layout": lay_out(rows),
        "shown": shown if valid else "",
        "procedure": procedure,
        "revisions": procedure.revisions.all(),
        "counts": report.counts(),
        "openable": {
            url for row in report.all_rows() for url in row.result.links if _opens(request, url)
        },
    }
    return render(request, "policy/dashboard.html", context)
