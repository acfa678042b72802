"""The service's details, stored once in the settings table and used by every document.

Letters take their letterhead, signatures and contacts from here, never from code, so a service sets them
once (``mhtr-tui settings set KEY VALUE``). Two more settings say where documents go (``letters_dir``,
default a ``letters`` folder beside the database) and where a service keeps its own Word templates
(``templates_dir``).
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from db import records as rec
from db.documents import database_file
from db.transaction import transaction
from letters.text import clean_text
from vocabulary.identity import ValidationError

SERVICE_SETTINGS: dict[str, str] = {
    "service_name": "service name, the first line of the letterhead",
    "service_address": "service postal address (commas or new lines separate its lines)",
    "service_phone": "service phone number",
    "service_email": "service secure email address",
    "practitioner": "treating practitioner, as signed: 'Name, Role'",
    "clinical_lead": "Clinical Lead / Responsible Clinician: 'Name, Role'",
    "nps_contact": "National Probation Service contact who receives the court report",
}
# Wording a service may change, with the default each document uses when it has not (``DOCUMENT_DEFAULTS``).
DOCUMENT_SETTINGS: dict[str, str] = {
    "session_frequency": "how often sessions are offered, as documents say it ('weekly', 'fortnightly')",
    "retention_statement": "the consent form's 'Retention of information' paragraph (the service's policy)",
    "signposting_crisis": "local crisis and mental health helplines for the client's end-of-treatment letter",
    "signposting_local": "local services and their contact details, for the client's end-of-treatment letter",
    "signposting_resources": "recommended apps, books, websites and public health resources (end of treatment)",
}
DOCUMENT_DEFAULTS: dict[str, str] = {
    "session_frequency": "weekly or fortnightly",
    # The NHS England Records Management Code of Practice (2021) keeps mental health records, psychology
    # included, for 20 years after treatment ends or 10 years after death.
    "retention_statement": (
        "We retain your information on our active case management system from assessment to last treatment "
        "closure. It is then encrypted and stored securely for 20 years after your treatment ends (or 10 years "
        "after death), as the NHS Records Management Code of Practice requires for mental health records, and "
        "then securely destroyed."
    ),
    "signposting_crisis": "",
    "signposting_local": "",
    "signposting_resources": "",
}
FOLDER_SETTINGS: dict[str, str] = {
    "letters_dir": "folder documents are saved in (default: 'letters' beside the database)",
    "templates_dir": "folder with the service's own Word templates (any not there come from mhtr-tui)",
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


def service_settings(db: sqlite_utils.Database) -> dict[str, str]:
    """Every service and document setting: '' where a service setting is not stored (so a letter can always
    ask for any of them), the default wording where a document setting is not."""
    stored = rec.all_settings(db)
    out = {key: stored.get(key) or "" for key in SERVICE_SETTINGS}
    out.update({key: stored.get(key) or DOCUMENT_DEFAULTS[key] for key in DOCUMENT_SETTINGS})
    return out


def settings_view(db: sqlite_utils.Database) -> list[dict]:
    """Every setting a user may set: key, value ('' when not set), what it is for, the value in effect."""
    stored = rec.all_settings(db)
    out = []
    for key, text in KNOWN_SETTINGS.items():
        value = stored.get(key) or ""
        effective = value
        if key == "letters_dir" and not value:
            folder = _default_letters_dir(db)
            effective = str(folder) if folder else ""
        if key in DOCUMENT_DEFAULTS and not value:
            effective = DOCUMENT_DEFAULTS[key]
        out.append({"key": key, "value": value, "about": text, "effective": effective})
    return out


def save_setting(db: sqlite_utils.Database, key: str, value: str | None) -> str:
    """Store one setting after checking it; an empty value clears it. Returns the value stored."""
    return next(iter(save_settings(db, {key: value}).values()))


def save_settings(db: sqlite_utils.Database, values: dict[str, str | None]) -> dict[str, str]:
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


def _default_letters_dir(db: sqlite_utils.Database) -> Path | None:
    path = database_file(db)
    return path.parent / "letters" if path else None


def letters_dir(db: sqlite_utils.Database) -> Path:
    """Where documents are saved: the ``letters_dir`` setting, else ``letters`` beside the database."""
    value = rec.get_setting(db, "letters_dir")
    if value:
        return Path(value).expanduser()
    folder = _default_letters_dir(db)
    if folder is None:
        raise ValidationError("this database has no folder; set letters_dir or give -o PATH")
    return folder


def templates_dir(db: sqlite_utils.Database) -> Path | None:
    """The service's own template folder, if one is set."""
    value = rec.get_setting(db, "templates_dir")
    return Path(value).expanduser() if value else None
