"""A password policy check Django does not ship: words from Itaku's own context.

OWASP ASVS 5.0 asks for a documented list of context-specific words (the product, the
organisation, roles, system names) that may not be used in passwords; NIST SP 800-63B lists
them among what to check. The list is ITAKU_PASSWORD_CONTEXT_WORDS (docs/security.md).
"""

import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class ContextWordsValidator:
    def validate(self, password: str, user: Any = None) -> None:
        folded = _folded(password)
        for word in settings.ITAKU_PASSWORD_CONTEXT_WORDS:
            if _folded(word) in folded:
                raise ValidationError(
                    _("The password contains “%(word)s”, a word too close to this system.")
                    % {"word": word},
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return _("Your password may not contain the name of this system, the city or a role.")
