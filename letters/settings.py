"""The settings documents read: the service's details, the wording a service may change, and the folders
documents are saved in and taken from.

Letters take their letterhead, signatures and contacts from here, never from code, so a service sets them
once (``mhtr-tui settings set KEY VALUE``; every setting, with its checks, is listed in ``service.settings``).
``letters_dir`` (default a ``letters`` folder beside the database) says where documents go and
``templates_dir`` where a service keeps its own Word templates.
"""

from __future__ import annotations

from pathlib import Path

from db import records as rec
from db.database import Database
from db.documents import database_file
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


# Where documents go and where a service's own templates are (checked as folders when set: ``service.settings``).
LETTER_FOLDERS: dict[str, str] = {
    "letters_dir": "folder documents are saved in (default: 'letters' beside the database)",
    "templates_dir": "folder with the service's own Word templates (any not there come from mhtr-tui)",
}


def service_settings(db: Database) -> dict[str, str]:
    """Every service and document setting: '' where a service setting is not stored (so a letter can always
    ask for any of them), the default wording where a document setting is not."""
    stored = rec.all_settings(db)
    out = {key: stored.get(key) or "" for key in SERVICE_SETTINGS}
    out.update({key: stored.get(key) or DOCUMENT_DEFAULTS[key] for key in DOCUMENT_SETTINGS})
    return out


def default_letters_dir(db: Database) -> Path | None:
    """A ``letters`` folder beside the database (None for a database with no file)."""
    path = database_file(db)
    return path.parent / "letters" if path else None


def letters_dir(db: Database) -> Path:
    """Where documents are saved: the ``letters_dir`` setting, else ``letters`` beside the database."""
    value = rec.get_setting(db, "letters_dir")
    if value:
        return Path(value).expanduser()
    folder = default_letters_dir(db)
    if folder is None:
        raise ValidationError("this database has no folder; set letters_dir or give -o PATH")
    return folder


def templates_dir(db: Database) -> Path | None:
    """The service's own template folder, if one is set."""
    value = rec.get_setting(db, "templates_dir")
    return Path(value).expanduser() if value else None
