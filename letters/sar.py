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
import contextlib
import json
import re
from datetime import date, datetime
from pathlib import Path

from db import records as rec
from db import subject
from db.connection import current_user
from db.database import Database
from records.audit_trail import audit_for_client, uk_time
from records.casework import require_case
from records.questionnaire_records import timepoint_label
from vocabulary.event_kinds import EVENT_KINDS, describe_event
from vocabulary.identity import ValidationError, ascii_digits, format_nhs_number

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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
        return "; ".join(f"{_label(k)}: {_held(k, v)}" for k, v in value.items() if v not in (None, ""))
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


def _label(column: str) -> str:
    """A field's name as a person reads it (``FIELD_LABELS``, else its words with a capital)."""
    return FIELD_LABELS.get(column) or column.replace("_", " ").capitalize()


def _held(column: str, value) -> str:
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


# --- the document -----------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


# Column widths (cm) of each table on an A4 page with 2 cm margins (17 cm between them), each column wide
# enough for its longest word at 9 pt, even in the wider font LibreOffice falls back to, so no word breaks.
FIELDS_CM = [5.0, 12.0]
TABLE_FONT_PT = 9


def _table(doc, header: list[str] | None, rows: list[list], cms: list[float]) -> None:
    """A table with a bold heading row (repeated on each page), its rows, fixed column widths and 9 pt text."""
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    cols = len(cms)
    table = doc.add_table(rows=1 if header else 0, cols=cols)
    table.style = "Table Grid"
    table.autofit = False
    if header:
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_clean(text)).bold = True
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _clean(value if isinstance(value, str) else show(value))
    for col, w in zip(table.columns, cms, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, cms, strict=True):
            cell.width = Cm(w)
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(0)
                for run in p.runs:
                    run.font.size = Pt(TABLE_FONT_PT)


def _fields_table(doc, row: dict) -> None:
    _table(doc, ["Field", "Held"], [[_label(k), _held(k, v)] for k, v in row.items()], FIELDS_CM)


def _section(doc, title: str, rows: list, header: list[str], make, cms: list[float]) -> None:
    doc.add_heading(f"{title} ({len(rows)})", level=3)
    if rows:
        _table(doc, header, [make(r) for r in rows], cms)
    else:
        doc.add_paragraph("None held.")


def _change(field: str, value) -> str:
    """A value from the history of changes, shown as the record above shows it (JSON text read first)."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    return "(empty)" if value is None or value == "" else _held(field, value)


def history_text(entry: dict) -> str:
    """One entry of the audit trail in words: ``changed: Status: open -> done`` or ``added: Name: ...``."""
    shown = [c for c in entry["changes"] if c["field"] != "id" and not c["field"].endswith("_id")]
    if entry["action"] == "update":
        return "changed: " + ("; ".join(
            f"{_label(c['field'])}: {_change(c['field'], c['old'])} -> {_change(c['field'], c['new'])}"
            for c in shown
        ) or "nothing")
    return f"{entry['action_label']}: " + "; ".join(
        f"{_label(c['field'])}: {_change(c['field'], c['new'] if c['new'] is not None else c['old'])}"
        for c in shown
    )


def docx_bytes(report: dict, now: datetime | None = None) -> bytes:
    """The subject access document (python-docx imported here: only this command pays for it)."""
    import io

    from docx import Document
    from docx.shared import Cm

    from letters.properties import stamp
    from letters.word_parts import page_footer

    client = report["client"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, not python-docx's US Letter
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    page_footer(section.footer, f"Subject access request, {report['ref']}. Confidential.")
    doc.add_heading("Subject access request", level=1)
    refs = ", ".join(c["case"]["ref"] for c in report["cases"])
    doc.add_paragraph(_clean(f"Everything held in mhtr-tui about {client['name']} (case {refs})."))
    _table(
        doc,
        None,
        [
            ["Produced on", show(report["produced"].isoformat())],
            ["Produced by", report["produced_by"]],
            ["Request received", show(report["received"].isoformat())],
            ["Response due by", show(report["due"].isoformat()) + " (one calendar month after the request)"],
        ],
        FIELDS_CM,
    )
    if report["review"]:
        doc.add_heading("For review before release", level=2)
        doc.add_paragraph(
            "These entries in this person's own record mention someone else held in this caseload. Decide whether "
            "to redact that information before the document is released."
        )
        for where in report["review"]:
            doc.add_paragraph(_clean(where), style="List Bullet")
    doc.add_heading("Personal details", level=2)
    _fields_table(doc, client)
    for c in report["cases"]:
        case = c["case"]
        doc.add_heading(f"Case {case['ref']}" + (" (archived)" if case.get("archived_at") else ""), level=2)
        _fields_table(doc, case)
        _section(
            doc,
            "Events",
            c["events"],
            ["Date", "What", "Details", "Recorded"],
            lambda e: [
                show(e["date"]),
                e["label"] + (" (replaced by a correction)" if e["replaced"] else ""),
                "; ".join(
                    x
                    for x in (
                        e["summary"],
                        show(e["data"]),
                        f"corrects entry {e['corrects']}" if e.get("corrects") else "",
                    )
                    if x
                ),
                f"{show(e['recorded_at'])} by {e['recorded_by']} (entry {e['id']})",
            ],
            [2.4, 3.6, 7.0, 4.0],
        )
        _section(
            doc,
            "Tasks",
            c["tasks"],
            ["Due", "Task", "Status", "Notes"],
            lambda t: [
                show(t["due"]),
                t["title"],
                t["status"],
                "; ".join(show(x) for x in (t.get("reason"), t.get("closed_at")) if x),
            ],
            [2.4, 8.0, 2.2, 4.4],
        )
        _section(
            doc,
            "Questionnaires",
            c["questionnaires"],
            ["Date", "Questionnaire", "Responses", "Score"],
            lambda q: [
                show(q["date"]),
                f"{q['instrument']} ({timepoint_label(q['timepoint'])})"
                + (" (archived)" if q.get("archived_at") else ""),
                show(q["items"]),
                q["score_summary"],
            ],
            [2.4, 3.6, 4.4, 6.6],
        )
        _section(
            doc,
            "Assessments",
            c["assessments"],
            ["Date", "Assessment", "Sent"],
            lambda a: [show(a["date"]), show(a["fields"]), show(a.get("sent_at"))],
            [2.4, 11.6, 3.0],
        )
        _section(
            doc,
            "Appointments",
            c["appointments"],
            ["When", "Where", "Status", "Notes"],
            lambda p: [
                show(p["starts_at"]) + f" ({p['duration_min']} min)",
                "; ".join(show(x) for x in (p.get("mode"), p.get("place")) if x),
                p["status"],
                "; ".join(show(p.get(k)) for k in ("cancelled_by", "reason", "note") if p.get(k)),
            ],
            [4.4, 3.6, 2.4, 6.6],
        )
        _section(
            doc,
            "Documents written",
            c["documents"],
            ["Created", "Kind", "File"],
            lambda d: [f"{show(d['created_at'])} by {d['created_by']}", d["kind"], _held("path", d["path"])],
            [4.4, 3.6, 9.0],
        )
    doc.add_heading(f"History of changes ({len(report['audit'])})", level=2)
    doc.add_paragraph("Every addition and change to the records above, with who made it and when (UK time).")
    _table(
        doc,
        ["When", "Who", "Record", "What"],
        [[a["when"], a["who"], a["record"], history_text(a)] for a in report["audit"]],
        [2.6, 2.4, 3.6, 8.4],
    )
    stamp(doc, title=f"Subject access request, {report['ref']}", practitioner=report.get("practitioner") or "",
          service=report.get("service") or "", now=now)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def default_name(ref: str, today: date) -> str:
    return f"sar-{ref}-{today.isoformat()}.docx"


def write_sar(
    db: Database,
    ref: str,
    path: Path | str | None,
    today: date,
    received: date | None = None,
    *,
    overwrite: bool = False,
) -> tuple[Path, dict]:
    """Write the subject access document (owner-only, whole or not at all); returns its path and the report.

    ``path`` is a file name, or a folder (one that exists, or typed ending in ``/``) for ``sar-REF-DATE.docx``;
    the shared rule for ``-o`` (``db.files.resolve_output``).
    """
    from db.files import OutputRefused, resolve_output, write_private

    report = subject_access(db, ref, today, received)
    try:
        # ``-o ~/sar/`` is a folder even before it exists (made owner-only if its parent exists), never a file.
        target = resolve_output(path, default_name(report["ref"], today))
    except OutputRefused as exc:
        raise ValidationError(str(exc)) from None
    data = docx_bytes(report)
    try:
        write_private(target, data, overwrite=overwrite)
    except FileExistsError:
        raise ValidationError(f"{target} already exists; give another name or --overwrite") from None
    except OSError as exc:
        raise ValidationError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target, report
