"""Regenerate the translation catalogs of the web UI and compile them.

The msgids are the Simplified Chinese texts of the source (zh-hans is the default
language and needs no catalog). This script:

1. runs ``makemessages`` for ``zh_Hant`` and ``en`` over ``src/jiangping``;
2. fills every ``zh_Hant`` msgstr by converting its msgid with OpenCC ``s2tw``
   (Traditional characters in the Taiwan standard, without vocabulary changes);
3. compiles both catalogs to ``.mo`` (shipped with the package);
4. lists the English msgids still untranslated (``--check`` exits 1 if any).

English translations are written by hand in ``locale/en/LC_MESSAGES/django.po``;
makemessages keeps them across runs.

Usage: ``.venv/bin/python scripts/i18n.py [--check]``
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "jiangping"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("zh_Hant", "en")


def make_messages() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    os.environ.setdefault("JIANGPING_SECRET_KEY", "i18n-only-" + "x" * 40)
    os.environ.setdefault("JIANGPING_DATA_DIR", str(ROOT / "data"))
    import django
    from django.core.management import call_command

    django.setup()
    os.chdir(PACKAGE)  # makemessages scans the current directory
    call_command("makemessages", locale=list(LANGUAGES), no_location=True, no_obsolete=True,
                 ignore_patterns=["tests/*", "*/tests/*", "static/*"], verbosity=0)


def fill_traditional(po: polib.POFile) -> int:
    convert = opencc.OpenCC("s2tw").convert
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: convert(entry.msgid), 1: convert(entry.msgid_plural)}
        else:
            entry.msgstr = convert(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = None
    return len(po)


def drop_fuzzy(po: polib.POFile) -> None:
    """msgmerge guesses a translation from a similar msgid; a guess is not a translation."""
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
            entry.msgstr = ""
            if entry.msgid_plural:
                entry.msgstr_plural = {0: "", 1: ""}


def untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when English translations are missing")
    options = parser.parse_args()
    make_messages()

    hant_path = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    hant = polib.pofile(str(hant_path))
    hant.metadata["Language"] = "zh_Hant"
    hant.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    print(f"zh_Hant: {fill_traditional(hant)} entries converted with OpenCC s2tw")
    hant.save(str(hant_path))
    hant.save_as_mofile(str(hant_path.with_suffix(".mo")))

    en_path = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    en = polib.pofile(str(en_path))
    en.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    drop_fuzzy(en)
    en.save(str(en_path))
    en.save_as_mofile(str(en_path.with_suffix(".mo")))
    missing = untranslated(en)
    print(f"en: {len(en) - len(missing)}/{len(en)} translated")
    for msgid in missing:
        print(f"  untranslated: {msgid}")
    return 1 if options.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
