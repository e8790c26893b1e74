"""The area's fixtures, reused: the deployment tests print and mail what the area records."""

from tests.area.conftest import area, city_staff, lead, only_area_rules, worker

__all__ = ["area", "city_staff", "lead", "only_area_rules", "worker"]
