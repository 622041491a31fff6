"""The shipped translation catalogs are complete and compiled from their sources."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "src" / "jiangping" / "locale"


@pytest.mark.parametrize("language", ["en", "zh_Hant"])
def test_catalog_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries()
    compiled = {e.msgid: e.msgstr or e.msgstr_plural.get(0) for e in mo}
    for entry in po.translated_entries():
        shown = entry.msgstr or entry.msgstr_plural.get(0)
        assert compiled.get(entry.msgid) == shown, (
            f"{language}: {entry.msgid!r} not compiled: run scripts/i18n.py"
        )
