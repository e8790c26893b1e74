from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from itaku.people.access import public


@public
def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: a Django view that does nothing, through the same middleware."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), path("", include("itaku.urls"))]
