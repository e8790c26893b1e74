"""Extract each app's strings into its own catalog, then compile the catalogs with polib.

Each app owns `itaku/<app>/locale/ja/LC_MESSAGES/django.po`, so work on one app never touches
another's catalog. Compiling with polib instead of GNU msgfmt means a fresh machine needs no
gettext tools to run Itaku; extraction (xgettext) is for developers and the test suite.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "itaku"
# English is the msgid language: only Japanese needs a catalog.
LANGUAGES = ["ja"]


def app_dirs() -> list[Path]:
    return sorted(path.parent for path in APPS.glob("*/apps.py"))


def extract(app: Path) -> None:
    (app / "locale").mkdir(exist_ok=True)
    args = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--no-location"]
    args += [f"--locale={language}" for language in LANGUAGES]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(args, cwd=app, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


HEADER = {
    "Language": "ja",
    "Content-Type": "text/plain; charset=UTF-8",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def compile_catalog(po_path: Path) -> None:
    """Fill the header makemessages leaves as a template, then write the .mo beside the .po."""
    catalog = polib.pofile(str(po_path))
    if catalog.metadata_is_fuzzy or catalog.metadata.get("Language") != HEADER["Language"]:
        catalog.metadata.update(HEADER)
        catalog.metadata_is_fuzzy = False
        catalog.save(str(po_path))
    catalog.save_as_mofile(str(po_path.with_suffix(".mo")))


def main(only: list[str]) -> None:
    """All apps, or only those named: `python scripts/messages.py area`."""
    for app in app_dirs():
        if only and app.name not in only:
            continue
        extract(app)
        for po_path in app.glob("locale/*/LC_MESSAGES/django.po"):
            compile_catalog(po_path)
            untranslated = [
                entry.msgid
                for entry in polib.pofile(str(po_path))
                if po_path.parts[-3] == "ja" and (not entry.translated() or entry.fuzzy)
            ]
            for msgid in untranslated:
                print(f"{po_path.relative_to(ROOT)}: untranslated: {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
