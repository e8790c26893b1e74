"""The Japanese fonts every PDF embeds, so that a form prints the same on any machine.

reportlab's built-in CID fonts (HeiseiMin, HeiseiKakuGo) are not embedded: the viewer
substitutes whatever it has, and a printer or a viewer without Japanese fonts shows boxes.
We embed (a subset of) the IPAex fonts instead. Production finds them at the paths in
ITAKU_PDF_FONT_GOTHIC / ITAKU_PDF_FONT_MINCHO, by default where Debian's fonts-ipaexfont-gothic
and fonts-ipaexfont-mincho install them; nothing is fetched at run time (docs/deploy.md).
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"

_SOURCES = {
    GOTHIC: ("ITAKU_PDF_FONT_GOTHIC", "fonts-ipaexfont-gothic"),
    MINCHO: ("ITAKU_PDF_FONT_MINCHO", "fonts-ipaexfont-mincho"),
}


class MissingFont(ImproperlyConfigured):
    pass


def japanese_fonts() -> tuple[str, str]:
    """Register the embedded Japanese fonts once; (gothic, mincho) names for styles."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, (setting, package) in _SOURCES.items():
        if name in registered:
            continue
        path = Path(getattr(settings, setting))
        if not path.is_file():
            raise MissingFont(
                f"The Japanese font for PDFs is missing: {path}. Install the Debian package "
                f"{package} or set {setting} to the font's .ttf file."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return GOTHIC, MINCHO
