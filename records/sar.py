"""Subject access: everything held about one client, as a readable Word document, and nothing about anyone else.

UK GDPR gives a person the right to a copy of their data within one calendar month of the request. The document
shows every field of the client row, every case (archived ones too), every event (corrected ones too, marked),
task, questionnaire with its score, assessment, appointment, document written, and the audit trail of all of
them. Rows are selected by the client's own case ids only, so another person's record cannot appear; where the
client's own free text mentions another person held in the caseload, that entry is listed for redaction review
(the mention is part of this client's record, and a person must decide before release).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import sqlite_utils

from db import subject
from db.connection import current_user
from records.audit_trail import audit_for_client, uk_time
from records.casework import require_case
from records.identity import ValidationError, ascii_digits
from records.stages import EVENT_KINDS, describe_event

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
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items())
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


def _label(column: str) -> str:
    return column.replace("_", " ").capitalize()


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


def third_party_mentions(db: sqlite_utils.Database, client_id: int, texts: list[tuple[str, str]]) -> list[str]:
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


def subject_access(db: sqlite_utils.Database, ref: str, today: date, received: date | None = None) -> dict:
    """Everything held about the client of case ``ref``, gathered for the document."""
    first = require_case(db, ref)
    client_id = first["id"]
    client = subject.client_row(db, client_id)
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
        "received": received,
        "due": due_date(received),
    }


# --- the document -----------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def _table(doc, header: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_clean(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _clean(value if isinstance(value, str) else show(value))


def _fields_table(doc, row: dict) -> None:
    _table(doc, ["Field", "Held"], [[_label(k), show(v)] for k, v in row.items()])


def _section(doc, title: str, rows: list, header: list[str], make) -> None:
    doc.add_heading(f"{title} ({len(rows)})", level=3)
    if rows:
        _table(doc, header, [make(r) for r in rows])
    else:
        doc.add_paragraph("None held.")


def docx_bytes(report: dict) -> bytes:
    """The subject access document (python-docx imported here: only this command pays for it)."""
    import io

    from docx import Document

    client = report["client"]
    doc = Document()
    doc.core_properties.author = "mhtr-tui"
    doc.core_properties.title = "Subject access request"
    doc.core_properties.comments = ""
    doc.add_heading("Subject access request", level=1)
    refs = ", ".join(c["case"]["ref"] for c in report["cases"])
    doc.add_paragraph(_clean(f"Everything held in mhtr-tui about {client['name']} (case {refs})."))
    _table(
        doc,
        ["", ""],
        [
            ["Produced on", show(report["produced"].isoformat())],
            ["Produced by", report["produced_by"]],
            ["Request received", show(report["received"].isoformat())],
            ["Response due by", show(report["due"].isoformat()) + " (one calendar month after the request)"],
        ],
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
        )
        _section(
            doc,
            "Questionnaires",
            c["questionnaires"],
            ["Date", "Questionnaire", "Responses", "Score"],
            lambda q: [
                show(q["date"]),
                f"{q['instrument']} ({q['timepoint']})" + (" (archived)" if q.get("archived_at") else ""),
                show(q["items"]),
                q["score_summary"],
            ],
        )
        _section(
            doc,
            "Assessments",
            c["assessments"],
            ["Date", "Assessment", "Sent"],
            lambda a: [show(a["date"]), show(a["fields"]), show(a.get("sent_at"))],
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
        )
        _section(
            doc,
            "Documents written",
            c["documents"],
            ["Created", "Kind", "File"],
            lambda d: [f"{show(d['created_at'])} by {d['created_by']}", d["kind"], d["path"]],
        )
    doc.add_heading(f"History of changes ({len(report['audit'])})", level=2)
    doc.add_paragraph("Every addition and change to the records above, with who made it and when (UK time).")
    _table(
        doc,
        ["When", "Who", "Record", "What"],
        [[a["when"], a["who"], a["record"], a["summary"]] for a in report["audit"]],
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def default_name(ref: str, today: date) -> str:
    return f"sar-{ref}-{today.isoformat()}.docx"


def write_sar(
    db: sqlite_utils.Database,
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
