"""Messages for the command line, in Japanese and in English.

A city's operator reads Japanese; a log shipper's maintainer may not. Command-line errors and
summaries print both, the Japanese first.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, override


def _render(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


def both(template: str, /, **params: Any) -> str:
    """`template` is marked with gettext_noop at the call site, so makemessages finds it."""
    lines = []
    for language in ("ja", "en"):
        with override(language):
            rendered = {key: _render(value) for key, value in params.items()}
            lines.append(gettext(template) % rendered if rendered else gettext(template))
    return lines[0] if lines[0] == lines[1] else "\n".join(lines)
