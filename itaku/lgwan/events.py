import enum

from django.utils.translation import gettext_lazy as _

from itaku.lgwan.rule_params import changes_in_words


class LgwanEvent(enum.StrEnum):
    TERMINAL_REGISTERED = "lgwan.terminal.registered"
    TERMINAL_VERIFIED = "lgwan.terminal.verified"
    TERMINAL_RETIRED = "lgwan.terminal.retired"
    ACCOUNT_ISSUED = "lgwan.account.issued"
    ACCOUNT_REVOKED = "lgwan.account.revoked"
    SOURCE_REGISTERED = "lgwan.source.registered"
    SOURCE_CHANGED = "lgwan.source.changed"
    LOG_IMPORTED = "lgwan.log.imported"
    APPLICATIONS_IMPORTED = "lgwan.application.imported"
    APPLICATION_ENTERED = "lgwan.application.entered"
    RULE_CHANGED = "lgwan.rule.changed"
    FINDING_CLOSED = "lgwan.finding.closed"
    DAY_SIGNED_OFF = "lgwan.day.signed_off"


# The audit trail screens name each event in words.
LABELS = {
    LgwanEvent.TERMINAL_REGISTERED: _("LGWAN terminal registered"),
    LgwanEvent.TERMINAL_VERIFIED: _("LGWAN terminal measure verified"),
    LgwanEvent.TERMINAL_RETIRED: _("LGWAN terminal taken out of service"),
    LgwanEvent.ACCOUNT_ISSUED: _("LGWAN ID issued"),
    LgwanEvent.ACCOUNT_REVOKED: _("LGWAN ID revoked"),
    LgwanEvent.SOURCE_REGISTERED: _("Lookup log source registered"),
    LgwanEvent.SOURCE_CHANGED: _("Lookup log source changed"),
    LgwanEvent.LOG_IMPORTED: _("Lookup log imported"),
    LgwanEvent.APPLICATIONS_IMPORTED: _("Applications imported"),
    LgwanEvent.APPLICATION_ENTERED: _("Application entered"),
    LgwanEvent.RULE_CHANGED: _("Lookup review rule changed"),
    LgwanEvent.FINDING_CLOSED: _("Lookup finding closed"),
    LgwanEvent.DAY_SIGNED_OFF: _("Lookup review of a day signed off"),
}

# The audit trail screens say these events' details in their own words.
DETAILS = {
    LgwanEvent.RULE_CHANGED: changes_in_words,
}
