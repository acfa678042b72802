"""Clients and their cases: the fields a practitioner types, checked one way for the app, the command line and the
import, and the actions that add and correct them.

Each action validates everything first, then writes inside one transaction: input that is refused raises
``ValidationError`` with a one-line message and leaves the database exactly as it was.
"""

from __future__ import annotations

from datetime import date

from db import records as rec
from db.database import Database
from db.transaction import transaction
from vocabulary.dates import (
    BIRTH_DATE,
    GP_REGISTRATION_DATE,
    check_date,
    check_dob,
    parse_date,
)
from vocabulary.identity import (
    ACCOMMODATION,
    ETHNICITIES,
    GENDERS,
    OFFENCE_TYPES,
    REFERRAL_SOURCES,
    RISK_LEVELS,
    ValidationError,
    check_name,
    format_nhs_number,
    nhs_number_problem,
    normalise_nhs_number,
    pick,
)
from vocabulary.text import check_text

PICKLISTS = {
    "gender": (GENDERS, "gender"),
    "ethnicity": (ETHNICITIES, "ethnicity"),
    "referral_source": (REFERRAL_SOURCES, "referral source"),
    "offence_type": (OFFENCE_TYPES, "offence type"),
    "accommodation": (ACCOMMODATION, "accommodation"),
    "risk_level": (RISK_LEVELS, "risk level"),
}
YES_NO_FIELDS = ("gp_registered", "looked_after", "ehc_plan", "pregnancy", "caring", "disability", "armed_forces")


def _yes_no(value: object, field_name: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    v = str(value).strip().lower()
    if v in ("y", "yes", "true", "1"):
        return "yes"
    if v in ("n", "no", "false", "0"):
        return "no"
    if v in ("not known", "unknown", "?"):
        return None
    raise ValidationError(f"{field_name.replace('_', ' ')} {value!r} must be yes or no")


# What each client and case field is called when a refusal names it.
FIELD_LABELS = {
    "nhs_number": "NHS number", "gp_practice": "GP practice", "gp_address": "GP address",
    "gp_registered": "GP registered", "gp_registered_date": "GP registration date", "ro_name": "RO name",
    "ro_contact": "RO contact", "ehc_plan": "EHC plan", "dob": "date of birth",
}
MULTILINE_FIELDS = ("address", "gp_address")


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " "))


SYNTHETIC = "synthetic"  # the setting that marks a database of synthetic people only


def test_numbers_allowed(db: Database) -> bool:
    """Whether this database holds synthetic people only (the demo, the tests' databases), the one kind of
    database that accepts NHS test numbers (999...): a real caseload never holds one."""
    return rec.get_setting(db, SYNTHETIC) == "1"


def mark_synthetic(db: Database) -> None:
    """Record (in the audit trail too) that this database holds synthetic people only: the demo's first step,
    and the tests'."""
    with transaction(db):
        rec.set_setting(db, SYNTHETIC, "1")


def clean_client_fields(fields: dict, today: date, *, partial: bool = False, test_numbers: bool = False) -> dict:
    """Check and normalise a client's and case's fields as typed; raise ValidationError on the first problem.

    Text is refused, naming the field, if it holds anything but text (``vocabulary.text``); ``test_numbers`` lets
    NHS test numbers through (``test_numbers_allowed``).
    """
    out: dict = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = check_text(value, field_label(key), multiline=key in MULTILINE_FIELDS)
            value = " ".join(value.split()) if key not in MULTILINE_FIELDS else value.strip()
        if value == "" or value is None:
            out[key] = None
            continue
        if key == "name":
            out[key] = check_name(value)
        elif key == "dob":
            d = value if isinstance(value, date) else parse_date(value, today, BIRTH_DATE)
            out[key] = check_dob(d, today).isoformat()
        elif key == "nhs_number":
            problem = nhs_number_problem(str(value), test_numbers=test_numbers)
            if problem:
                raise ValidationError(problem)
            out[key] = normalise_nhs_number(str(value))
        elif key in PICKLISTS:
            options, label = PICKLISTS[key]
            out[key] = pick(value, options, label)
        elif key in YES_NO_FIELDS:
            out[key] = _yes_no(value, key)
        elif key == "gp_registered_date":
            d = value if isinstance(value, date) else parse_date(value, today, GP_REGISTRATION_DATE)
            out[key] = check_date(d, today, GP_REGISTRATION_DATE).isoformat()
        elif key == "gp_registered_via_mhtr":
            out[key] = 1 if _yes_no(value, key) == "yes" else 0
        elif key == "postcode":
            out[key] = str(value).upper()
        elif key in rec.CLIENT_FIELDS or key in rec.CASE_FIELDS:
            out[key] = str(value)[:2000]
        else:
            raise ValidationError(f"unknown field {key!r}")
    if not partial:
        if not out.get("name"):
            raise ValidationError("a name is required")
        if not out.get("dob"):
            raise ValidationError("a date of birth is required")
    return out


def add_client(db: Database, fields: dict, today: date) -> str:
    """Create a client and their first case; returns the case reference (e.g. ``MHTR-0007``)."""
    clean = clean_client_fields(fields, today, test_numbers=test_numbers_allowed(db))
    with transaction(db):
        if clean.get("nhs_number"):
            existing = rec.find_client_by_nhs(db, clean["nhs_number"])
            if existing:
                refs = ", ".join(c["ref"] for c in rec.cases_of_client(db, existing["id"]))
                raise ValidationError(
                    f"NHS number {format_nhs_number(clean['nhs_number'])} is already held for {refs}; "
                    "open a new case for that client instead"
                )
        client_id = rec.insert_client(db, {k: v for k, v in clean.items() if k in rec.CLIENT_FIELDS})
        _, ref = rec.insert_case(db, client_id, {k: v for k, v in clean.items() if k in rec.CASE_FIELDS})
    return ref


def new_case_for_client(db: Database, ref: str, fields: dict | None, today: date) -> str:
    """A further case for the client of ``ref`` (a new referral years later); returns its reference."""
    case = require_case(db, ref)
    allowed = test_numbers_allowed(db)
    clean = clean_client_fields(fields or {}, today, partial=True, test_numbers=allowed)
    with transaction(db):
        _, new_ref = rec.insert_case(db, case["id"], {k: v for k, v in clean.items() if k in rec.CASE_FIELDS})
    return new_ref


def update_client(db: Database, ref: str, fields: dict, today: date) -> None:
    """Correct or complete a client's and case's details (the audit trail keeps the old values)."""
    case = require_case(db, ref)
    clean = clean_client_fields(fields, today, partial=True, test_numbers=test_numbers_allowed(db))
    if "name" in fields and not clean.get("name"):
        raise ValidationError("a name is required")
    if "dob" in fields and not clean.get("dob"):
        raise ValidationError("a date of birth is required")
    with transaction(db):
        if clean.get("nhs_number"):
            other = rec.find_client_by_nhs(db, clean["nhs_number"])
            if other and other["id"] != case["id"]:
                raise ValidationError(f"NHS number {format_nhs_number(clean['nhs_number'])} belongs to another client")
        rec.update_client(db, case["id"], clean)
        rec.update_case(db, case["case_id"], clean)


def require_case(db: Database, ref: str) -> dict:
    case = rec.get_case(db, ref or "")
    if case is None:
        raise ValidationError(f"no case {ref!r}")
    return case


def require_not_archived(case: dict) -> None:
    """Refuse recording on an archived case (``case`` as ``require_case`` returns it): its tasks would be made
    out of sight, since Today leaves archived cases out (see ``records.archive``). Unarchive it first."""
    if case.get("case_archived_at"):
        raise ValidationError(
            f"{case['ref']} is archived; nothing can be recorded on it (mhtr-tui client unarchive {case['ref']})"
        )
