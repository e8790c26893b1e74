import enum

from django.utils.translation import gettext_lazy as _


class PolicyEvent(enum.StrEnum):
    CATALOG_LOADED = "policy.catalog.loaded"


# The audit trail screens name each event in words.
LABELS = {
    PolicyEvent.CATALOG_LOADED: _("Procedure catalog loaded"),
}
