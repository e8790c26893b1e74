"""Fixtures reused from the area and audit tests: the deployment tests print, mail and
verify what those apps record."""

from tests.area.conftest import area, city_staff, lead, only_area_rules, worker
from tests.audit.conftest import _checkpoint_key_file, signing_key

__all__ = [
    "_checkpoint_key_file",
    "area",
    "city_staff",
    "lead",
    "only_area_rules",
    "signing_key",
    "worker",
]
