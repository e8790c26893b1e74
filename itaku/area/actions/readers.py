"""Card readers. Each action saves and logs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.events import AreaEvent
from itaku.area.models import (
    Area,
    CardReader,
)
from itaku.audit.log import record
from itaku.people.models import Person


@transaction.atomic
def register_reader(*, area: Area, name: str, by: Person) -> tuple[CardReader, str]:
    """A new card reader and its token; the token is shown once and only its hash is kept."""
    reader = CardReader(area=area, name=name, registered_by=by, registered_at=timezone.now())
    token = reader.issue_token()
    reader.full_clean()
    reader.save()
    record(
        AreaEvent.READER_REGISTERED,
        actor=by,
        target=reader,
        changes={"area": area.pk, "name": name, "token_hint": reader.token_hint},
    )
    return reader, token


@transaction.atomic
def revoke_reader(reader: CardReader, *, by: Person) -> CardReader:
    if reader.revoked_at is not None:
        raise ValidationError(_("This card reader is already revoked."))
    reader.revoked_at = timezone.now()
    reader.save(update_fields=["revoked_at"])
    record(AreaEvent.READER_REVOKED, actor=by, target=reader, changes={})
    return reader
