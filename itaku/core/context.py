"""Template context every page needs: the installation's own name."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    # The organisation that runs this installation, shown in the header of every page.
    return {"city_name": settings.ITAKU_CITY_NAME}
