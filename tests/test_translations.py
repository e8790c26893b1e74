"""Every string a user can see has a Japanese translation, and the compiled catalogs match.

Catalogs live per app (itaku/<app>/locale/ja). `make messages` extracts and compiles them.
"""

import shutil
from pathlib import Path

import polib
import pytest

from scripts.messages import app_dirs, extract

CATALOGS = sorted(Path("itaku").glob("*/locale/ja/LC_MESSAGES/django.po"))


def test_every_app_with_user_facing_strings_has_a_japanese_catalog():
    apps_with_catalogs = {path.parts[1] for path in CATALOGS}
    assert {"core", "people", "policy"} <= apps_with_catalogs


@pytest.mark.parametrize("po_path", CATALOGS, ids=[path.parts[1] for path in CATALOGS])
def test_no_japanese_entry_is_missing_or_fuzzy(po_path):
    catalog = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [], f"{po_path}: translate these, then run make messages"
    assert fuzzy == [], f"{po_path}: check these fuzzy translations"


@pytest.mark.parametrize("po_path", CATALOGS, ids=[path.parts[1] for path in CATALOGS])
def test_compiled_catalog_matches_its_source(po_path):
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(po_path))}
    compiled = {
        entry.msgid: entry.msgstr
        for entry in polib.mofile(str(po_path.with_suffix(".mo")))
        if entry.msgid
    }
    assert compiled == source, f"{po_path}: run make messages to recompile"


@pytest.mark.parametrize("app", app_dirs(), ids=[app.name for app in app_dirs()])
def test_catalog_holds_every_string_the_code_marks(app, tmp_path):
    """Extract afresh from a copy of the app and compare with the committed catalog."""
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__"))
    extract(copy)
    fresh_path = copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    committed_path = app / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    fresh = (
        {entry.msgid for entry in polib.pofile(str(fresh_path))} if fresh_path.exists() else set()
    )
    committed = (
        {entry.msgid for entry in polib.pofile(str(committed_path))}
        if committed_path.exists()
        else set()
    )
    assert fresh - committed == set(), f"{app.name}: run make messages and translate"
    assert committed - fresh == set(), f"{app.name}: run make messages to drop stale entries"
