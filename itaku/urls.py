from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from itaku.people.access import allow, public
from itaku.people.roles import ALL_ROLES
from itaku.policy import api as policy_api

api_urlpatterns = [
    path("schema/", allow(*ALL_ROLES)(SpectacularAPIView.as_view()), name="schema"),
    path("v1/compliance/", policy_api.compliance, name="compliance"),
]

urlpatterns = [
    path("", include("itaku.policy.urls")),
    path("", include("itaku.people.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/", include((api_urlpatterns, "api"))),
]
