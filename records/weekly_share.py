"""The weekly share with probation (seed 004, "Administration", Weekly): for one week, every client's
appointments and attendance grouped by Responsible Officer, written as a Word document and a CSV.

Only attendance facts go to probation (date, time, where, session number, outcome in probation's own terms,
the count of unacceptable absences in the order); the clinical notes of a session (risk, summary, plan) stay
in the health record and are never written here. Files are created readable by their owner only. Writing
the share of a week that has begun ticks that week's "weekly.diary" practitioner task, and the sessions of the
week recorded so far have their "share with probation" items (``done_by = share-week``) closed as done by
mhtr-tui; a week still ahead can be shared (the bookings so far) but its task is neither made nor ticked in
advance.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlite_utils

from checklists.engine import recurring_tasks
from checklists.model import SHARE_WEEK
from db import appointments as appdb
from db import records as rec
from db.connection import transaction
from db.files import OutputRefused, output_folder, write_private
from records.app_done import complete_by_app
from records.appointments import diary_rows, from_iso, week_start, when_text
from records.casework import add_task, checklist_for, tick
from records.dates import long_date, uk
from records.identity import ValidationError

DIARY_TASK_KEY = "weekly.diary"
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
MARKING = "OFFICIAL-SENSITIVE: personal data. Send by secure email to the Responsible Officer only."


@dataclass(frozen=True)
class RoGroup:
    ro_name: str
    ro_contact: str
    rows: tuple[dict, ...]


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


def build_share(db: sqlite_utils.Database, day: date, now: datetime | None = None) -> WeekShare:
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
                "ro_name": r["ro_name"] or NO_RO,
                "ro_contact": r["ro_contact"] or "",
                "ref": r["ref"],
                "name": r["name"],
                "date": r["date"],
                "time": r["time"],
                "where": r["where"],
                "session": r["session"],
                "attendance": r["attendance"],
                "unacceptable_absences": _absences_to(events.get(r["case_id"], []), r["date"]),
                "detail": _detail(r, moved_to),
            }
        )
    by_ro: dict[str, list[dict]] = {}
    for r in out_rows:
        by_ro.setdefault(r["ro_name"], []).append(r)
    order = sorted(by_ro, key=lambda name: (name == NO_RO, name.lower()))
    groups = tuple(
        RoGroup(name, next((r["ro_contact"] for r in by_ro[name] if r["ro_contact"]), ""), tuple(by_ro[name]))
        for name in order
    )
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


def csv_text(share: WeekShare) -> str:
    """The CSV: one header row, then one row per appointment or recorded session, grouped by RO."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["Week starting"] + [heading for _, heading in COLUMNS])
    for r in share.rows:
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


def docx_bytes(share: WeekShare) -> bytes:
    """The Word document: title, the week, then one table per Responsible Officer, on A4 landscape."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    doc.add_heading("MHTR attendance for probation", level=1)
    doc.add_paragraph(
        f"Week of {share.week_start:%A} {long_date(share.week_start)} to "
        f"{share.week_end:%A} {long_date(share.week_end)}"
    )
    if share.service or share.prepared_by:
        doc.add_paragraph(", ".join(x for x in (share.prepared_by, share.service) if x))
    doc.add_paragraph(MARKING).runs[0].bold = True
    if share.groups:
        doc.add_paragraph(ABSENCES_NOTE)
    if not share.groups:
        doc.add_paragraph("No appointments or sessions this week.")
    for group in share.groups:
        title = group.ro_name + (f" ({group.ro_contact})" if group.ro_contact else "")
        doc.add_heading(f"Responsible Officer: {title}", level=2)
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
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@dataclass
class ShareResult:
    docx: Path
    csv: Path
    share: WeekShare
    task_id: int | None = None
    ticked: bool = False
    messages: list[str] = field(default_factory=list)
    ahead: bool = False  # the week had not started: its diary task was left alone


def file_stem(share: WeekShare) -> str:
    return f"mhtr-attendance-week-{share.week_start.isoformat()}"


def tick_diary_task(db: sqlite_utils.Database, monday: date) -> tuple[int | None, bool]:
    """Tick the weekly diary task of the week starting ``monday`` (made first if it does not exist yet).

    Returns the task id and whether this call ticked it (False if it was already done).
    """
    iso = monday.isocalendar()
    period = f"{iso.year}-W{iso.week:02d}"
    task = appdb.practitioner_task(db, DIARY_TASK_KEY, period)
    if task is None:
        specs = [
            s
            for s in recurring_tasks(checklist_for(db), monday, monday)
            if s.key == DIARY_TASK_KEY and s.period == period
        ]
        if not specs:  # a service's checklist without the weekly diary item: nothing to tick
            return None, False
        add_task(db, None, specs[0])
        task = appdb.practitioner_task(db, DIARY_TASK_KEY, period)
    if task["status"] == "done":
        return task["id"], False
    tick(db, task["id"])
    return task["id"], True


def share_week(
    db: sqlite_utils.Database,
    out_dir: Path | str,
    week: date | None = None,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> ShareResult:
    """Write the week's share (``.docx`` and ``.csv``) into ``out_dir`` and, once the week has started, tick its
    weekly diary task (a week ahead holds only bookings: sharing it is not that week's share yet).

    ``out_dir`` is read by the rule of every ``-o`` (``db.files.output_folder``): a folder that is missing is made
    owner-only (0700, whatever the umask) if its parent exists, and a path whose parent is missing too is refused
    before anything is written. It used to be made with ``mkdir(parents=True)``, which gave the missing parents
    the umask's mode (0755): folders of attendance records that other accounts could list.
    """
    today = today or date.today()
    try:
        out = output_folder(out_dir)
    except OutputRefused as exc:
        raise ValidationError(str(exc)) from None
    share = build_share(db, week or today, now)
    try:
        stem = file_stem(share)
        docx_path, csv_path = out / f"{stem}.docx", out / f"{stem}.csv"
        write_private(docx_path, docx_bytes(share), overwrite=True)
        write_private(csv_path, csv_text(share).encode("utf-8-sig"), overwrite=True)
    except PermissionError as exc:
        raise ValidationError(f"cannot write the weekly share in {out}: {exc.strerror}") from None
    ahead = share.week_start > today
    task_id, ticked = (None, False) if ahead else tick_diary_task(db, share.week_start)
    complete_shared_sessions(db, share.week_start, share.week_end)
    return ShareResult(docx_path, csv_path, share, task_id, ticked, ahead=ahead)


def complete_shared_sessions(db: sqlite_utils.Database, monday: date, sunday: date) -> list[str]:
    """Close the "share with probation" tasks of the sessions recorded in the shared week (done by mhtr-tui);
    returns their titles. A session recorded after the share keeps its task until the week is shared again."""
    by_case: dict[int, list[int]] = {}
    for e in appdb.session_events_between(db, monday.isoformat(), sunday.isoformat()):
        by_case.setdefault(e["case_id"], []).append(e["id"])
    checklist = checklist_for(db)
    what = f"week of {uk(monday)} shared with probation"
    closed = []
    with transaction(db):
        for case_id, ids in by_case.items():
            closed += complete_by_app(db, checklist, case_id, SHARE_WEEK, what, event_ids=ids)
    return closed
