"""The log shipper's API: a source's system pushes lookup-log lines with its device token.

The same authentication pattern as the card readers (`Authorization: Device <token>`, only the
token's hash stored), and the same import as a file: the body is a chunk of the log written as
the source's mapping says (delimiter, quoting, its header line first unless the source's files
have none), in the source's encoding. A chunk pushed twice adds nothing.
"""

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
)
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from itaku.audit.context import source as audit_source
from itaku.lgwan.importer import import_log
from itaku.lgwan.models import LogSource
from itaku.lgwan.rules import review_past_days
from itaku.people.tokens import DeviceTokenAuthentication


class SourceTokenAuthentication(DeviceTokenAuthentication):
    def devices(self) -> QuerySet[LogSource]:
        return LogSource.objects.exclude(token_hash="")


class SourceTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = SourceTokenAuthentication
    name = "logSourceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A lookup-log source's token: `Device <token>`.",
        }


class IsLogSource(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, LogSource)


class ChunkTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "chunk_too_large"


class RawParser(BaseParser):
    """The body as bytes: the log's own CSV or TSV, in its own encoding. Read no further than
    the largest upload Itaku takes (ITAKU_UPLOAD_MAX_BYTES): a shipper sends a long log in
    chunks, and a body of any size would otherwise be held whole in memory."""

    media_type = "*/*"

    def parse(  # type: ignore[override]
        self, stream: Any, media_type: Any = None, parser_context: Any = None
    ) -> bytes:
        if stream is None:
            return b""
        limit = settings.ITAKU_UPLOAD_MAX_BYTES
        body = bytes(stream.read(limit + 1))
        if len(body) > limit:
            raise ChunkTooLarge(
                _("Send the log in chunks of at most %(limit)d bytes.") % {"limit": limit}
            )
        return body


@extend_schema(
    summary="Push lookup-log lines (4-4)",
    description=(
        "The body is a chunk of the source's log as its mapping says it is written (CSV, TSV or "
        "another delimiter), header line first unless the source's files have none. Lines "
        "already stored are not stored again; bad lines are set aside and answered with their "
        "numbers."
    ),
    request={"text/csv": OpenApiTypes.BINARY},
    responses={
        201: OpenApiTypes.OBJECT,
        200: OpenApiTypes.OBJECT,
        400: OpenApiTypes.OBJECT,
        413: OpenApiTypes.OBJECT,
    },
)
@api_view(["POST"])
@authentication_classes([SourceTokenAuthentication])
@permission_classes([IsLogSource])
@parser_classes([RawParser])
def lookups(request: Request) -> Response:
    log_source = request.auth
    assert isinstance(log_source, LogSource)  # noqa: S101 - IsLogSource let only sources in
    body = request.data if isinstance(request.data, bytes) else b""
    name = f"push {timezone.now().isoformat()}"
    with audit_source(f"log-shipper:{log_source.name}"):
        try:
            result = import_log(log_source, io.BytesIO(body), name=name, by=None)
        except ValidationError as error:
            return Response({"errors": error.messages}, status=status.HTTP_400_BAD_REQUEST)
    if not result.already_imported:
        review_past_days(result.days())  # as for a file: a day already over is reviewed now
    answer = {
        "file": result.file.pk,
        "already_imported": result.already_imported,
        "stored": result.file.stored,
        "duplicates": result.file.duplicates,
        "rejected": [{"line": n, "reason": reason} for n, reason in result.rejected],
    }
    code = status.HTTP_200_OK if result.already_imported else status.HTTP_201_CREATED
    return Response(answer, status=code)
