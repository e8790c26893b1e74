"""Query parameters read by hand: a wrong value gets a clear 400, never a server error.

Forms read most parameters; the few a view reads itself go through here. A parameter that is
absent gives `None` so the view can choose its default; one that is present but unusable is
refused with `BadParameter`, which `bad_request` shows as a page that says what was wrong.
"""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

# The range of fiscal years the application can name: an era date (1900 is in Meiji) and a
# fiscal year's end (31 March of the next year) must both exist.
EARLIEST_FISCAL_YEAR = 1900
LATEST_FISCAL_YEAR = 9998


class BadParameter(BadRequest):
    """A query parameter that cannot be used; the message says which and why."""


def plain_int(raw: str | None) -> int | None:
    """The integer written in ASCII digits, or None. `str.isdigit()` accepts "²" and "١",
    which `int()` then refuses or reads as another number."""
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    return int(raw)


def record_id(query: QueryDict, name: str) -> int | None:
    """An optional record number from the address; anything else is treated as absent."""
    return plain_int(query.get(name))


def fiscal_year(query: QueryDict, name: str = "fiscal_year") -> int | None:
    """The fiscal year asked for, None when none is given; BadParameter when it is no year."""
    raw = query.get(name, "")
    if raw == "":
        return None
    year = plain_int(raw)
    if year is None or not EARLIEST_FISCAL_YEAR <= year <= LATEST_FISCAL_YEAR:
        raise BadParameter(
            _("%(value)s is not a fiscal year: give a year such as 2025 (%(low)d–%(high)d).")
            % {"value": raw[:20], "low": EARLIEST_FISCAL_YEAR, "high": LATEST_FISCAL_YEAR}
        )
    return year


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (handler400): the reason when it is ours, a plain one otherwise.

    A request refused for its Host header cannot render the site's pages (they build links
    from that host), so anything but our own refusal gets plain text.
    """
    if not isinstance(exception, BadParameter):
        return HttpResponseBadRequest(
            "リクエストを処理できません。 / Bad request.", content_type="text/plain; charset=utf-8"
        )
    return render(request, "400.html", {"message": str(exception)}, status=400)
