#!/usr/bin/env python3
"""Compile the translation catalogs (.po -> .mo) with polib, so no GNU gettext is needed to
run weibao; the English catalog is filled with its source strings so both are complete.

    python scripts/compile_messages.py          # fill English, compile both
    python scripts/compile_messages.py --check  # fail if a catalog is incomplete or stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "weibao" / "locale"


def problems(po: polib.POFile, language: str) -> list[str]:
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"{language}: fuzzy: {entry.msgid!r}")
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                found.append(f"{language}: untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"{language}: untranslated: {entry.msgid!r}")
    return found


def _messages(catalog: polib._BaseFile) -> dict[tuple[str, str], str]:
    return {(e.msgctxt or "", e.msgid): e.msgstr or str(e.msgstr_plural)
            for e in catalog if e.msgid and not e.obsolete}


def main() -> int:
    check = "--check" in sys.argv
    errors: list[str] = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        language = po_path.parent.parent.name
        po = polib.pofile(str(po_path))
        if language == "en" and not check:
            for entry in po:
                # The source strings are English: the English catalog is them, always.
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            po.save()
        errors.extend(problems(po, language))
        mo_path = po_path.with_suffix(".mo")
        if check:
            if not mo_path.exists() or _messages(polib.mofile(str(mo_path))) != _messages(po):
                errors.append(f"{language}: {mo_path.name} is stale; run make messages")
        else:
            po.save_as_mofile(str(mo_path))
    for line in errors:
        print(line, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
