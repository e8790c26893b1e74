from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from itaku.people.access import allow, viewer
from itaku.people.roles import ALL_ROLES, CITY_OVERSIGHT, Role
from itaku.policy import compliance_report
from itaku.policy.models import Procedure
from itaku.policy.registry import Status

DASHBOARD_ROLES = (*CITY_OVERSIGHT, Role.CITY_STAFF)


@allow(*ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """The landing page after login: the dashboard for the city, a menu for everyone else."""
    if viewer(request).roles & set(DASHBOARD_ROLES):
        return redirect("policy:dashboard")
    return render(request, "policy/home.html")


@allow(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every clause of the procedure with its status and the evidence behind it."""
    procedure = Procedure.objects.current()
    if procedure is None:
        raise Http404("No procedure is loaded.")
    report = compliance_report.build(procedure, timezone.now())
    shown = request.GET.get("status", "")
    valid = shown in {status.value for status in Status}
    context = {
        "report": report,
        "rows": report.rows_with_status(Status(shown)) if valid else report.rows,
        "shown": shown if valid else "",
        "procedure": procedure,
        "revisions": procedure.revisions.all(),
        "counts": report.counts(),
    }
    return render(request, "policy/dashboard.html", context)
