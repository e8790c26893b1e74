from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from itaku.area import api as area_api
from itaku.lgwan import api as lgwan_api
from itaku.people.access import allow, public
from itaku.people.roles import ALL_ROLES
from itaku.policy import api as policy_api

api_urlpatterns = [
    path("schema/", allow(*ALL_ROLES)(SpectacularAPIView.as_view()), name="schema"),
    path("v1/compliance/", policy_api.compliance, name="compliance"),
    path("v1/area/passages/", area_api.passages, name="area_passages"),
    path("v1/lgwan/lookups/", lgwan_api.lookups, name="lgwan_lookups"),
]

urlpatterns = [
    path("", include("itaku.policy.urls")),
    path("", include("itaku.people.urls")),
    path("", include("itaku.audit.urls")),
    path("", include("itaku.contractors.urls")),
    path("area/", include("itaku.area.urls")),
    path("incidents/", include("itaku.incidents.urls")),
    path("lgwan/", include("itaku.lgwan.urls")),
    path("", include("itaku.core.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/", include((api_urlpatterns, "api"))),
]

# A query parameter that cannot be used is answered with its reason (itaku.core.params).
handler400 = "itaku.core.params.bad_request"
