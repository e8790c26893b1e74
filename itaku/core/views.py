"""The one page-less endpoint every screen shares: "stay logged in" before the idle logout (4-5)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from itaku.people.access import signed_in


# Like logging out, this acts on the caller's own session, not on any record: the auditor too.
@signed_in
@require_POST
def ping(request: HttpRequest) -> HttpResponse:
    """A deliberate request, so the session's end moves forward like on any page the person opens.

    The warning's button posts here without leaving the page, keeping what is typed in it. The
    request is active on purpose (no X-Itaku-Passive header): only a person's click extends the
    session, never a screen refreshing by itself (itaku/core/sessions.py).
    """
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return HttpResponse(status=204)
