"""Date filters for templates: era dates in Japanese, plain dates in English."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from itaku.core import dates

register = template.Library()


@register.filter
def jdate(value: date | datetime | None) -> str:
    """令和7年4月1日 in Japanese; 1 April 2025 in English."""
    return "" if value is None else dates.display_date(value)


@register.filter
def jdatetime(value: datetime | None) -> str:
    """令和7年4月1日 9:05 in Japanese; 1 April 2025 09:05 in English."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{jdate(local)} {local:%H:%M}"


@register.filter
def fiscal_year_label(year: int) -> str:
    if (get_language() or "ja").startswith("ja"):
        return dates.wareki_year(year)
    return f"FY{year}"
