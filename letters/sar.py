"""Subject access: everything held about one client, as a readable Word document, and nothing about anyone else.

UK GDPR gives a person the right to a copy of their data within one calendar month of the request. The document
shows every field of the client row, every case (archived ones too), every event (corrected ones too, marked),
task, questionnaire with its score, assessment, appointment, document written, and the audit trail of all of
them. Rows are selected by the client's own case ids only, so another person's record cannot appear; where the
client's own free text mentions another person held in the caseload, that entry is listed for redaction review
(the mention is part of this client's record, and a person must decide before release).

The document is for the person themselves, so it reads as a document, not a database dump: A4 with page
numbers, UK dates and times, every field under the name a person would use ("NHS number", "Sentenced on the
day", never ``nhs_number``), columns wide enough that no word is broken inside a cell, and a document written
for the client named by its file name only (the folder it sits in on this computer is no part of their record).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

from db import records as rec
from db import subject
from db.connection import current_user
from db.database import Database
from records.audit_trail import audit_for_client, uk_time
from records.clients import require_case
from vocabulary.event_kinds import EVENT_KINDS, describe_event
from vocabulary.identity import ValidationError, ascii_digits, format_nhs_number

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def due_date(received: date) -> date:
    """One calendar month after the request; the month's last day when that date does not exist (31 Jan -> 28 Feb)."""
    year, month = (received.year + 1, 1) if received.month == 12 else (received.year, received.month + 1)
    return date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


def show(value) -> str:
    """A stored value as the document shows it: UK dates and times, lists and mappings spelled out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {held_text(k, v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list | tuple):
        return ", ".join("-" if v is None else show(v) for v in value)
    text = str(value)
    if _ISO_DAY.match(text):
        try:
            return date.fromisoformat(text).strftime("%d/%m/%Y")
        except ValueError:
            return text
    if _ISO_STAMP.match(text):
        return uk_time(text)
    return text


# Field names as a person reads them; anything not here is spelled out from its name ("offence_type" ->
# "Offence type"), so a new field is never shown as a bare identifier.
FIELD_LABELS = {
    "id": "Record number",
    "client_id": "Client record number",
    "case_id": "Case record number",
    "event_id": "Event record number",
    "ref": "Case reference",
    "name": "Name",
    "dob": "Date of birth",
    "nhs_number": "NHS number",
    "gp_practice": "GP practice",
    "gp_address": "GP practice address",
    "gp_registered": "Registered with a GP",
    "gp_registered_date": "Date registered with a GP",
    "gp_registered_via_mhtr": "Registered with a GP through the MHTR",
    "looked_after": "Looked-after child or care leaver",
    "ehc_plan": "Education, health and care plan",
    "caring": "Caring responsibilities",
    "armed_forces": "Armed forces",
    "ro_name": "Responsible Officer",
    "ro_contact": "Responsible Officer's contact",
    "risk_level": "Probation risk level",
    "created_at": "Record created",
    "archived_at": "Archived",
    "opened_at": "Case opened",
    "recorded_at": "Recorded",
    "recorded_by": "Recorded by",
    "updated_at": "Last changed",
    "closed_at": "Closed",
    "created_by": "Written by",
    "sent_at": "Sent",
    "starts_at": "Starts",
    "duration_min": "Length (minutes)",
    "cancelled_by": "Cancelled by",
    "corrects": "Corrects entry",
    "sentenced_on_day": "Sentenced on the day",
    "length_months": "Length of order (months)",
    "sessions": "Planned sessions",
    "combined": "Combined with",
    "mhtr_related": "Related to the MHTR",
    "extra": "Extra session after completion",
    "final": "Final session",
    "number": "Session number",
    "months": "Follow-up (months)",
    "sha256": "Checksum (SHA-256)",
    "path": "File",
    "kind": "Kind",
    "tbl": "Record",
    "items": "Responses",
    "timepoint": "Timepoint",
    "instrument": "Questionnaire",
}


def field_label(column: str) -> str:
    """A field's name as a person reads it (``FIELD_LABELS``, else its words with a capital)."""
    return FIELD_LABELS.get(column) or column.replace("_", " ").capitalize()


def held_text(column: str, value) -> str:
    """A stored value as the document shows it; a file is named, its folder on this computer is not; a
    checksum is split into groups of eight so that it wraps between them rather than inside a word."""
    if column == "path" and value:
        return Path(str(value)).name
    if column == "nhs_number" and value:
        return format_nhs_number(str(value))
    if column == "sha256" and value:
        text = str(value)
        return " ".join(text[i : i + 8] for i in range(0, len(text), 8))
    return show(value)


def _score(instrument: str, items) -> str:
    import questionnaires

    try:
        return questionnaires.summary_line(questionnaires.score(instrument, items))
    except Exception as exc:  # a stored administration the current rules cannot score is still shown raw
        return f"(not scored: {exc})"


def _strings(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}, {k}")
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v, where)


def third_party_mentions(db: Database, client_id: int, texts: list[tuple[str, str]]) -> list[str]:
    """Where the client's records mention another client held here (name or NHS number), without naming them."""
    others = subject.other_clients(db, client_id)
    found: list[str] = []
    for where, text in texts:
        folded = text.casefold()
        digits = ascii_digits(text)  # the number however it was typed (spaces, dashes, digits of any script)
        for o in others:
            name = (o["name"] or "").casefold().strip()
            nhs = o["nhs_number"] or ""
            if (len(name) >= 3 and name in folded) or (nhs and nhs in digits):
                if where not in found:
                    found.append(where)
                break
    return found


def subject_access(db: Database, ref: str, today: date, received: date | None = None) -> dict:
    """Everything held about the client of case ``ref``, gathered for the document."""
    first = require_case(db, ref)
    client_id = first["id"]
    client = subject.client_row(db, client_id)
    if client is None:  # a case always has its client; the database has been damaged otherwise
        raise ValidationError(f"{ref}: its client's record is missing")
    cases = []
    texts: list[tuple[str, str]] = []
    for c in subject.case_rows(db, client_id):
        rows = {t: subject.rows_of_case(db, t, c["id"]) for t in subject.CASE_TABLES}
        corrected = {e["corrects"] for e in rows["events"] if e.get("corrects")}
        for e in rows["events"]:
            e["label"] = EVENT_KINDS.get(e["kind"], e["kind"])
            e["summary"] = describe_event(e["kind"], e["data"] if isinstance(e["data"], dict) else {})
            e["replaced"] = e["id"] in corrected
            texts += _strings(e["data"], f"{c['ref']} event {e['id']} ({e['label']}, {show(e['date'])})")
        for q in rows["questionnaires"]:
            q["score_summary"] = _score(q["instrument"], q["items"])
        for a in rows["assessments"]:
            texts += _strings(a["fields"], f"{c['ref']} assessment {a['id']}")
        for p in rows["appointments"]:
            texts += _strings([p.get("note"), p.get("reason"), p.get("place")], f"{c['ref']} appointment {p['id']}")
        for t in rows["tasks"]:
            texts += _strings(t.get("reason"), f"{c['ref']} task {t['id']}")
        texts += _strings({k: v for k, v in c.items() if isinstance(v, str)}, f"{c['ref']} case details")
        cases.append({"case": c, **rows})
    texts += _strings({k: v for k, v in client.items() if k not in ("name", "nhs_number")}, "personal details")
    received = received or today
    if received > today:
        raise ValidationError(f"the request date {received:%d/%m/%Y} is in the future")
    return {
        "ref": first["ref"],
        "client": client,
        "cases": cases,
        "audit": audit_for_client(db, client_id),
        "review": third_party_mentions(db, client_id, texts),
        "produced": today,
        "produced_by": current_user(),
        "practitioner": rec.get_setting(db, "practitioner") or "",
        "service": rec.get_setting(db, "service_name") or "",
        "received": received,
        "due": due_date(received),
    }


