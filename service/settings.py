"""Every setting a service may set, what each is for, and the checks a value passes before it is stored.

The one list behind ``mhtr-tui settings`` and the app's settings form. What a setting means is kept by the
package that reads it: the service's details, the documents' wording and the letters' folders in
``letters.settings``, the scoring conventions in ``questionnaires.options``, the checklist file in
``service.core``, the return's threshold and folder in ``exports``.
"""

from __future__ import annotations

from pathlib import Path

from db import records as rec
from db.database import Database
from db.transaction import transaction
from letters.settings import DOCUMENT_DEFAULTS, DOCUMENT_SETTINGS, LETTER_FOLDERS, SERVICE_SETTINGS, default_letters_dir
from letters.text import clean_text
from vocabulary.identity import ValidationError

FOLDER_SETTINGS: dict[str, str] = {
    **LETTER_FOLDERS,
    "export_folder": "folder the monthly return is written to (default ~/mhtr-returns)",
}
OTHER_SETTINGS: dict[str, str] = {
    "checklist_file": "the service's own checklist file (TOML); default: the bundled C&P checklist",
    "suppress_below": "monthly return: counts from 1 to below this are hidden (0 turns it off; default 5)",
}
# The scoring conventions SCORING.md grades L, stored under their own names (questionnaires.options).
SCORING_SETTINGS: dict[str, str] = {
    "scoring.risk_threshold": "lowest response that counts as endorsing a risk item (1-3; default 1)",
    "scoring.k10_max_missing": "K10 items that may be missing and prorated (0-5; default 2)",
    "scoring.core_om_non_risk_max_missing": "CORE-OM non-risk items that may be missing (0-3; default 3)",
    "scoring.reliable_change_strict": "reliable change must exceed the threshold, not equal it (true/false)",
}
KNOWN_SETTINGS: dict[str, str] = {
    **SERVICE_SETTINGS,
    **DOCUMENT_SETTINGS,
    **FOLDER_SETTINGS,
    **OTHER_SETTINGS,
    **SCORING_SETTINGS,
}
MAX_SETTING = 500
MAX_LONG_SETTING = 4000  # a paragraph or a list of local services
LONG_SETTINGS = frozenset({"retention_statement", "signposting_crisis", "signposting_local", "signposting_resources"})


def settings_view(db: Database) -> list[dict]:
    """Every setting a user may set: key, value ('' when not set), what it is for, the value in effect."""
    stored = rec.all_settings(db)
    out = []
    for key, text in KNOWN_SETTINGS.items():
        value = stored.get(key) or ""
        effective = value
        if key == "letters_dir" and not value:
            folder = default_letters_dir(db)
            effective = str(folder) if folder else ""
        if key in DOCUMENT_DEFAULTS and not value:
            effective = DOCUMENT_DEFAULTS[key]
        out.append({"key": key, "value": value, "about": text, "effective": effective})
    return out


def save_setting(db: Database, key: str, value: str | None) -> str:
    """Store one setting after checking it; an empty value clears it. Returns the value stored."""
    return next(iter(save_settings(db, {key: value}).values()))


def save_settings(db: Database, values: dict[str, str | None]) -> dict[str, str]:
    """Check every setting given, then store them all in one transaction (or none, with the first problem).

    Returns ``{key: value stored}`` ('' for a cleared one), keys as stored.
    """
    stored = rec.all_settings(db)
    checked: dict[str, str] = {}
    for key, value in values.items():
        key, text = _check_setting(key, value, {**stored, **checked})
        checked[key] = text
    with transaction(db):
        for key, text in checked.items():
            rec.set_setting(db, key, text or None)
    return checked


def _check_setting(key: str, value: str | None, pending: dict[str, str]) -> tuple[str, str]:
    key = (key or "").strip().lower().replace("-", "_")
    if key not in KNOWN_SETTINGS:
        raise ValidationError(f"unknown setting {key!r}; settings are: {', '.join(KNOWN_SETTINGS)}")
    text = clean_text(value)
    if (key in SERVICE_SETTINGS and key != "service_address") or key in ("session_frequency",):
        text = " ".join(text.split())
    limit = MAX_LONG_SETTING if key in LONG_SETTINGS else MAX_SETTING
    if len(text) > limit:
        raise ValidationError(f"{key} is longer than {limit:,} characters")
    if text and key in FOLDER_SETTINGS:
        folder = Path(text).expanduser()
        if folder.exists() and not folder.is_dir():
            raise ValidationError(f"{key}: {folder} is a file, not a folder")
        if key == "templates_dir" and not folder.is_dir():
            raise ValidationError(f"templates_dir: there is no folder {folder}")
        text = str(folder.resolve())
    if text and key == "suppress_below":
        if not text.isdigit() or int(text) > 100:
            raise ValidationError(f"suppress_below is a whole number from 0 to 100, not {text!r}")
        text = str(int(text))
    if text and key == "checklist_file":
        from checklists.model import load

        path = Path(text).expanduser()
        if not path.is_file():
            raise ValidationError(f"checklist_file: there is no file {path}")
        load(path)  # refuses a checklist that does not parse, naming the line
        text = str(path.resolve())
    if key in SCORING_SETTINGS:
        from questionnaires.options import options_from_settings

        try:
            options_from_settings({**pending, key: text})
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
    return key, text


