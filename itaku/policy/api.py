from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from itaku.people.access import allow
from itaku.policy import compliance_report
from itaku.policy.models import Procedure
from itaku.policy.registry import Status
from itaku.policy.views import DASHBOARD_ROLES

CLAUSE_STATUS_FIELDS: dict[str, serializers.Field] = {  # type: ignore[type-arg]
    "id": serializers.CharField(help_text="Clause ID, e.g. 3-12"),
    "status": serializers.ChoiceField(
        choices=[status.value for status in Status],
        help_text="not_covered: no registered check reads this clause's records yet",
    ),
    "checked": serializers.BooleanField(
        help_text="A registered check covers the clause (or, for 2-2, its items)"
    ),
    "evidence": serializers.IntegerField(
        help_text="Records that show compliance; refusals and rejections are not counted"
    ),
    "findings": serializers.ListField(child=serializers.CharField()),
    "finding_links": serializers.ListField(
        child=serializers.CharField(allow_null=True),
        help_text="For each finding, the path of the record or screen that resolves it",
    ),
    "facts": serializers.ListField(child=serializers.CharField()),
}


@extend_schema(
    summary="Compliance status of every clause",
    responses=inline_serializer(
        "ComplianceReport",
        {
            "procedure": serializers.CharField(),
            "at": serializers.DateTimeField(),
            "clauses": inline_serializer("ClauseStatus", CLAUSE_STATUS_FIELDS, many=True),
        },
    ),
)
@allow(*DASHBOARD_ROLES)
@api_view(["GET"])
def compliance(request: Request) -> Response:
    procedure = Procedure.objects.current()
    if procedure is None:
        raise NotFound("No procedure is loaded.")
    return Response(compliance_report.current(procedure, timezone.now()).as_json())
