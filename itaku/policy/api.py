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
from itaku.policy.views import DASHBOARD_ROLES

CLAUSE_STATUS_FIELDS: dict[str, serializers.Field] = {  # type: ignore[type-arg]
    "id": serializers.CharField(help_text="Clause ID, e.g. 3-12"),
    "status": serializers.ChoiceField(choices=["ok", "attention", "no_evidence"]),
    "evidence": serializers.IntegerField(),
    "findings": serializers.ListField(child=serializers.CharField()),
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
    return Response(compliance_report.build(procedure, timezone.now()).as_json())
