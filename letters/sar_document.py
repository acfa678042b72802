"""The subject access document: what ``letters.sar.subject_access`` gathered about one client, written as a Word
document a person reads (A4, page numbers, UK dates, every field under the name a person would use, columns wide
enough that no word breaks), owner-only, whole or not at all."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime
from pathlib import Path

from db.database import Database
from letters.sar import XML_ILLEGAL, field_label, held_text, show, subject_access
from records.questionnaire_records import timepoint_label
from vocabulary.identity import ValidationError


def _clean(text: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", text)


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
    _table(doc, ["Field", "Held"], [[field_label(k), held_text(k, v)] for k, v in row.items()], FIELDS_CM)


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
    return "(empty)" if value is None or value == "" else held_text(field, value)


def history_text(entry: dict) -> str:
    """One entry of the audit trail in words: ``changed: Status: open -> done`` or ``added: Name: ...``."""
    shown = [c for c in entry["changes"] if c["field"] != "id" and not c["field"].endswith("_id")]
    if entry["action"] == "update":
        return "changed: " + ("; ".join(
            f"{field_label(c['field'])}: {_change(c['field'], c['old'])} -> {_change(c['field'], c['new'])}"
            for c in shown
        ) or "nothing")
    return f"{entry['action_label']}: " + "; ".join(
        f"{field_label(c['field'])}: {_change(c['field'], c['new'] if c['new'] is not None else c['old'])}"
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
            lambda d: [f"{show(d['created_at'])} by {d['created_by']}", d["kind"], held_text("path", d["path"])],
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
