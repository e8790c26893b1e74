"""The card-reader API: a reader or gate posts an entry or exit for a badge number.

A reader authenticates with its own device token (`Authorization: Device <token>`), not with a
person's login; only the token's hash is stored. The same rules as the entry desk apply
(`itaku.area.admission`), and the server's clock decides, never the reader's.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from itaku.area import actions
from itaku.area.admission import EntryAnswers
from itaku.area.models import CardReader, CarryInRequest, Passage
from itaku.audit.context import source
from itaku.people.models import Person
from itaku.people.tokens import DeviceTokenAuthentication


class ReaderTokenAuthentication(DeviceTokenAuthentication):
    def devices(self) -> QuerySet[CardReader]:
        return CardReader.objects.select_related("area").filter(revoked_at__isnull=True)


class ReaderTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = ReaderTokenAuthentication
    name = "deviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A card reader's token: `Device <token>`, issued at /area/readers/.",
        }


class IsCardReader(BasePermission):
    """Only a registered reader; a person's login or token is refused here."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, CardReader)


class PassageInput(serializers.Serializer):  # type: ignore[type-arg]
    badge_number = serializers.CharField(max_length=40, help_text="The badge as read, e.g. K-0102")
    direction = serializers.ChoiceField(choices=Passage.Direction.choices)
    badge_worn = serializers.BooleanField(
        required=False,
        help_text=(
            "3-7: whether the badge was seen worn; required for an entry. A reader that cannot "
            "tell sends false (the entry is refused): a badge is never assumed worn"
        ),
    )
    only_valuables = serializers.BooleanField(
        required=False, help_text="5-9: confirmed at the gate; required for an entry"
    )
    prohibited_device = serializers.BooleanField(
        required=False, help_text="3-11: confirmed at the gate; required for an entry"
    )
    carry_in = serializers.PrimaryKeyRelatedField(
        queryset=CarryInRequest.objects.all(),
        required=False,
        allow_null=True,
        help_text="3-12: the approved carry-in request covering a prohibited device",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["direction"] == Passage.Direction.ENTRY:
            missing = {
                name: _("Required for an entry.")
                for name in ("badge_worn", "only_valuables", "prohibited_device")
                if name not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


PASSAGE_OUTPUT = inline_serializer(
    "PassageResult",
    {
        "id": serializers.IntegerField(),
        "direction": serializers.ChoiceField(choices=Passage.Direction.choices),
        "outcome": serializers.ChoiceField(choices=Passage.Outcome.choices),
        "occurred_at": serializers.DateTimeField(),
        "person": serializers.CharField(allow_null=True),
        "refusals": inline_serializer(
            "Refusal",
            {"clause_id": serializers.CharField(), "reason": serializers.CharField()},
            many=True,
        ),
    },
)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    """The action's refusal, keyed by the API's field names (the action speaks of `person`)."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    return {
        "badge_number" if name == "person" else name: messages
        for name, messages in error.message_dict.items()
    }


def _result(passage: Passage) -> dict[str, Any]:
    return {
        "id": passage.pk,
        "direction": passage.direction,
        "outcome": passage.outcome,
        "occurred_at": passage.occurred_at.isoformat(),
        "person": passage.person.name if passage.person else None,
        "refusals": [
            {"clause_id": cid, "reason": reason} for cid, reason in passage.refusal_reasons()
        ],
    }


@extend_schema(
    summary="Record an entry or exit read by a card reader",
    description=(
        "The same rules as the entry desk (3-3, 3-4, 3-5, 3-7, 3-11, 3-12, 5-9). A refused "
        "entry is recorded too and answered with outcome `refused` and the reasons, each "
        "naming its clause; the gate stays shut. An entry outside the area's hours needs an "
        "approved after-hours permission (3-3); a monitor's exit is refused while their "
        "visitor is inside (3-4). The server's time is the time of the record."
    ),
    request=PassageInput,
    responses={201: PASSAGE_OUTPUT, 400: None, 403: None},
)
@api_view(["POST"])
@authentication_classes([ReaderTokenAuthentication])
@permission_classes([IsCardReader])
def passages(request: Request) -> Response:
    reader = request.auth
    assert isinstance(reader, CardReader)  # noqa: S101 - IsCardReader let only readers in
    data = PassageInput(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    badge = fields["badge_number"].strip()
    person = Person.objects.filter(badge_number__iexact=badge).first()
    with source(f"reader:{reader.name}"):
        try:
            if person is None:
                if fields["direction"] == Passage.Direction.EXIT:
                    raise ValidationError({"badge_number": _("No one holds this badge number.")})
                passage = actions.record_unknown_badge(reader.area, badge, reader=reader)
            elif fields["direction"] == Passage.Direction.EXIT:
                passage = actions.record_exit(person, reader.area, by=None, reader=reader)
            else:
                answers = EntryAnswers(
                    badge_worn=fields["badge_worn"],
                    only_valuables=fields["only_valuables"],
                    prohibited_device=fields["prohibited_device"],
                    carry_in=fields.get("carry_in"),
                )
                passage = actions.record_entry(
                    person, reader.area, answers, by=None, reader=reader
                ).passage
        except ValidationError as error:
            return Response(_errors(error), status=status.HTTP_400_BAD_REQUEST)
    return Response(_result(passage), status=status.HTTP_201_CREATED)
