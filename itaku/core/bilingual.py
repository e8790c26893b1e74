"""Messages for the command line, in Japanese and in English.

A city's operator reads Japanese; a log shipper's maintainer may not. Command-line errors and
summaries print both, the Japanese first.
"""

from typing import Any, cast

from django.utils.functional import Promise, lazy
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


def _format(template: Promise | str, params: dict[str, Any]) -> str:
    return str(template) % {key: _render(value) for key, value in params.items()}


_lazy_format = lazy(_format, str)


def lazy_message(template: Promise | str, /, **params: Any) -> Promise:
    """A lazily translated message with %-parameters, rendered in the language active when shown.

    `gettext_lazy("… %(x)s") % {...}` would translate at once, in whatever language is active
    when the error is raised; this keeps it lazy so `both()` can render it in each language.
    """
    # lazy() is typed as returning the result type; at run time it is a Promise proxy.
    return cast(Promise, _lazy_format(template, params))
