"""The weekly share with probation (seed 004, "Administration", Weekly): for one week, each Responsible
Officer's clients' appointments and attendance, as one Word document and one CSV per officer. This module
gathers the week and says what each file holds; ``letters.weekly_share_writer`` writes them and ticks what the
share completes.

Each officer receives only their own clients: a single file holding several officers' clients, marked "send to
the Responsible Officer only", would show whoever receives it other officers' clients. Clients with no officer
recorded get a file of their own that says it is not for sending until one is recorded.

Only attendance facts go to probation (date, time, where, session number, outcome in probation's own terms,
the count of unacceptable absences in the order); the clinical notes of a session (risk, summary, plan) stay
in the health record and are never written here.

An appointment whose time has passed without an outcome would reach probation as "outcome not yet recorded":
``build_share`` lists them (``WeekShare.awaiting``) so the command can show them before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from db import appointments as appdb
from db import records as rec
from db.database import Database
from records.appointments import from_iso, week_start, when_text
from records.diary_views import diary_rows
from vocabulary.dates import long_date, uk

NO_RO = "No Responsible Officer recorded"
# (field in a share row, column heading) in the order both files show them.
COLUMNS = (
    ("ro_name", "Responsible Officer"),
    ("ro_contact", "RO contact"),
    ("ref", "Case"),
    ("name", "Client"),
    ("date", "Date"),
    ("time", "Time"),
    ("where", "Where"),
    ("session", "Session"),
    ("attendance", "Attendance"),
    ("unacceptable_absences", "Unacceptable absences in the order"),
    ("detail", "Detail"),
)
DOC_COLUMNS = ("ref", "name", "date", "time", "where", "session", "attendance", "unacceptable_absences", "detail")
# The Word tables are read on paper or on screen: an A4 landscape page (26.7 cm between the margins) with each
# column as wide as its longest word needs at 9 pt, even in a wide fallback font (DejaVu, where LibreOffice has
# no Calibri), so nothing breaks mid-word ("MHTR-0019", "30/11/2026"); the words that vary go to wide columns.
DOC_WIDTHS_CM = {
    "ref": 2.4,
    "name": 3.3,
    "date": 2.4,
    "time": 1.4,
    "where": 3.0,
    "session": 2.0,
    "attendance": 4.5,
    "unacceptable_absences": 3.1,
    "detail": 4.6,
}
# Short headings that fit their column; the note under the marking says what the absences count.
DOC_HEADINGS = {**dict(COLUMNS), "unacceptable_absences": "Unacceptable absences"}
ABSENCES_NOTE = "Unacceptable absences: how many in the order so far, up to and including that appointment."
MARKING = "OFFICIAL-SENSITIVE: personal data. Send by secure email to {to} only."
NOT_FOR_SENDING = (
    "NOT FOR SENDING: these clients have no Responsible Officer recorded. Record each client's Responsible "
    "Officer, then share the week again."
)


@dataclass(frozen=True)
class RoGroup:
    """One Responsible Officer's clients for the week (``ro_name`` is ``NO_RO`` for those with none)."""

    ro_name: str
    ro_contact: str
    rows: tuple[dict, ...]

    @property
    def recorded(self) -> bool:
        return self.ro_name != NO_RO

    @property
    def addressee(self) -> str:
        return self.ro_name + (f" ({self.ro_contact})" if self.ro_contact else "")

    @property
    def slug(self) -> str:
        """The officer in a file name: ``sam-officer``; ``no-ro-recorded`` for clients with none."""
        if not self.recorded:
            return "no-ro-recorded"
        return re.sub(r"[^a-z0-9]+", "-", self.ro_name.lower()).strip("-") or "ro"


@dataclass(frozen=True)
class WeekShare:
    """One week's share, grouped by Responsible Officer (those with none recorded last)."""

    week_start: date
    week_end: date
    groups: tuple[RoGroup, ...]
    prepared_by: str = ""
    service: str = ""

    @property
    def rows(self) -> list[dict]:
        return [r for g in self.groups for r in g.rows]

    @property
    def awaiting(self) -> list[dict]:
        """Appointments whose time has passed with no outcome recorded: to record before sharing."""
        return [r for r in self.rows if r.get("awaiting_outcome")]

    @property
    def iso_week(self) -> str:
        iso = self.week_start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"


def _detail(row: dict, moved_to: dict[int, dict]) -> str:
    bits = []
    if row["status"] == "moved":
        new = moved_to.get(row.get("moved_to") or 0)
        bits.append(f"moved to {when_text(from_iso(new['starts_at']))}" if new else "moved")
    if row.get("reason"):
        bits.append(row["reason"])
    if row.get("final") and not row.get("extra"):
        bits.append("final session")
    if row.get("extra"):
        bits.append("extra session after completion")
    if row.get("kind") == "session":
        bits.append("recorded without an appointment")
    return "; ".join(bits)


def _absences_to(events: list[dict], day: str) -> int:
    return sum(
        1
        for e in events
        if e["kind"] == "session" and e["data"].get("outcome") == "unacceptable-absence" and e["date"] <= day
    )


def _group_key(row: dict) -> tuple[str, str]:
    """Two officers are one only if name and contact both match: a split costs a second email, a merge would
    show one officer another's clients."""
    return (row["ro_name"].casefold(), row["ro_contact"].casefold())


def build_share(db: Database, day: date, now: datetime) -> WeekShare:
    """The share for the week (Monday to Sunday) containing ``day``."""
    monday = week_start(day)
    sunday = monday + timedelta(days=6)
    rows = diary_rows(db, monday, sunday, now)
    case_ids = sorted({r["case_id"] for r in rows})
    events = rec.events_for_cases(db, case_ids) if case_ids else {}
    moved_to = {}
    for r in rows:
        if r["status"] == "moved" and r.get("moved_to"):
            new = appdb.get_appointment(db, r["moved_to"])
            if new:
                moved_to[r["moved_to"]] = new
    out_rows = []
    for r in rows:
        out_rows.append(
            {
                "ro_name": (r["ro_name"] or "").strip() or NO_RO,
                "ro_contact": (r["ro_contact"] or "").strip(),
                "ref": r["ref"],
                "name": r["name"],
                "date": r["date"],
                "time": r["time"],
                "where": r["where"],
                "session": r["session"],
                "attendance": r["attendance"],
                "unacceptable_absences": _absences_to(events.get(r["case_id"], []), r["date"]),
                "detail": _detail(r, moved_to),
                "awaiting_outcome": bool(r.get("awaiting_outcome")),
                "case_id": r["case_id"],
                "event_id": r.get("event_id"),
            }
        )
    by_ro: dict[tuple[str, str], list[dict]] = {}
    for r in out_rows:
        by_ro.setdefault(_group_key(r) if r["ro_name"] != NO_RO else ("", ""), []).append(r)
    order = sorted(by_ro, key=lambda k: (k == ("", ""), k))
    groups = tuple(RoGroup(by_ro[k][0]["ro_name"], by_ro[k][0]["ro_contact"], tuple(by_ro[k])) for k in order)
    return WeekShare(
        monday,
        sunday,
        groups,
        prepared_by=rec.get_setting(db, "practitioner") or "",
        service=rec.get_setting(db, "service_name") or "",
    )


# --- files ------------------------------------------------------------------------------------------------


def _safe_cell(value) -> str:
    """A cell as text, with a leading = + - @ defused so a spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(share: WeekShare, group: RoGroup) -> str:
    """One officer's CSV: one header row, then one row per appointment or recorded session."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["Week starting"] + [heading for _, heading in COLUMNS])
    for r in group.rows:
        writer.writerow([share.week_start.isoformat()] + [_safe_cell(r[key]) for key, _ in COLUMNS])
    return buf.getvalue()


def _fixed_widths(table, cms: list[float]) -> None:
    """Column widths that both Word (cell widths) and LibreOffice (the table grid) keep, instead of autofit."""
    from docx.shared import Cm

    table.autofit = False  # a fixed layout: Word does not widen a column to its content
    for col, w in zip(table.columns, cms, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, cms, strict=True):
            cell.width = Cm(w)


def _keep_row(row, *, heading: bool = False) -> None:
    """A row is never split across two pages; the heading row repeats at the top of each page."""
    from docx.oxml import OxmlElement

    props = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if heading else ("w:cantSplit",):
        props.append(OxmlElement(tag))


def title_of(share: WeekShare, group: RoGroup) -> str:
    return f"MHTR attendance for {group.ro_name if group.recorded else 'probation'}, week of {uk(share.week_start)}"


def docx_bytes(share: WeekShare, group: RoGroup, now: datetime | None = None) -> bytes:
    """One officer's Word document: title, the officer, the week, the marking, then their clients' table, on
    A4 landscape with page numbers."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from letters.properties import stamp
    from letters.word_parts import page_footer

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    for_whom = group.addressee if group.recorded else "clients with no Responsible Officer recorded (not for sending)"
    page_footer(section.footer, f"MHTR attendance, week of {uk(share.week_start)}, for {for_whom}.")
    doc.add_heading("MHTR attendance for probation", level=1)
    doc.add_paragraph(f"For: {group.addressee}" if group.recorded else f"For: nobody yet ({NO_RO})")
    doc.add_paragraph(
        f"Week of {share.week_start:%A} {long_date(share.week_start)} to "
        f"{share.week_end:%A} {long_date(share.week_end)}"
    )
    if share.service or share.prepared_by:
        doc.add_paragraph(", ".join(x for x in (share.prepared_by, share.service) if x))
    marking = MARKING.format(to=group.ro_name) if group.recorded else NOT_FOR_SENDING
    doc.add_paragraph(marking).runs[0].bold = True
    doc.add_paragraph(ABSENCES_NOTE)
    table = doc.add_table(rows=1, cols=len(DOC_COLUMNS))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, DOC_COLUMNS, strict=True):
        cell.text = DOC_HEADINGS[key]
        cell.paragraphs[0].runs[0].bold = True
    _keep_row(table.rows[0], heading=True)
    for r in group.rows:
        row = table.add_row()
        _keep_row(row)
        for cell, key in zip(row.cells, DOC_COLUMNS, strict=True):
            cell.text = uk(r[key]) if key == "date" else str(r[key])
    _fixed_widths(table, [DOC_WIDTHS_CM[key] for key in DOC_COLUMNS])
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    stamp(doc, title=title_of(share, group), practitioner=share.prepared_by, service=share.service, now=now)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def awaiting_lines(share: WeekShare) -> list[str]:
    """The appointments past their time without an outcome, one line each, to show before writing."""
    return [f"  {r['ref']} {r['name']}: {uk(r['date'])} {r['time']}, no outcome recorded" for r in share.awaiting]


def file_stem(share: WeekShare, group: RoGroup) -> str:
    return f"mhtr-attendance-week-{share.week_start.isoformat()}-{group.slug}"
