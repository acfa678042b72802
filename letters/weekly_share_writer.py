"""Writing the weekly share with probation (``letters.weekly_share`` gathers it): one Word document and one CSV per
Responsible Officer, created readable by their owner only, then what the share completes.

While an appointment past its time awaits its outcome, the week's "weekly.diary" task is not ticked. Writing the
share of a week that has begun, with every outcome recorded, ticks it, and the sessions of the week recorded so
far whose client has a Responsible Officer have their "share with probation" items (``done_by = share-week``)
closed as done by mhtr-tui (a client with none has shared nothing yet). A week still ahead can be shared (the
bookings so far) but its task is neither made nor ticked in advance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from checklists.engine import recurring_tasks
from checklists.model import SHARE_WEEK, Checklist
from db import appointments as appdb
from db.database import Database
from db.files import OutputRefused, output_folder, write_private
from db.transaction import transaction
from letters.weekly_share import WeekShare, build_share, csv_text, docx_bytes, file_stem
from records.app_done import complete_by_app
from records.task_actions import add_task, tick
from vocabulary.dates import uk
from vocabulary.identity import ValidationError

DIARY_TASK_KEY = "weekly.diary"


@dataclass(frozen=True)
class RoFiles:
    """The two files written for one officer."""

    ro_name: str
    recorded: bool
    docx: Path
    csv: Path
    rows: int


@dataclass
class ShareResult:
    folder: Path
    share: WeekShare
    files: list[RoFiles] = field(default_factory=list)
    task_id: int | None = None
    ticked: bool = False
    ahead: bool = False  # the week had not started: its diary task was left alone

    @property
    def awaiting(self) -> list[dict]:
        return self.share.awaiting

    def lines(self) -> list[str]:
        """What was done, as the command line and the Diary say it."""
        share = self.share
        out = [
            f"week of {share.week_start:%d/%m/%Y}: {len(share.rows)} row(s) for "
            f"{sum(1 for g in share.groups if g.recorded)} Responsible Officer(s)"
        ]
        if not self.files:
            out.append("  no appointments or sessions this week: nothing to send")
        for f in self.files:
            note = "" if f.recorded else "  (not for sending: record their Responsible Officer)"
            out.append(f"  {f.ro_name}: {f.docx.name} and .csv ({f.rows} row(s)){note}")
        if self.ticked:
            out.append("  ✓ weekly diary task done")
        elif self.ahead:
            out.append("  the week has not started: its diary task is ticked when it is shared from its Monday on")
        elif self.awaiting:
            out.append(f"  weekly diary task left open: {len(self.awaiting)} appointment(s) with no outcome recorded")
        return out


def tick_diary_task(db: Database, monday: date, checklist: Checklist) -> tuple[int | None, bool]:
    """Tick the weekly diary task of the week starting ``monday`` (made first if it does not exist yet).

    Returns the task id and whether this call ticked it (False if it was already done).
    """
    iso = monday.isocalendar()
    period = f"{iso.year}-W{iso.week:02d}"
    task = appdb.practitioner_task(db, DIARY_TASK_KEY, period)
    if task is None:
        specs = [
            s
            for s in recurring_tasks(checklist, monday, monday)
            if s.key == DIARY_TASK_KEY and s.period == period
        ]
        if not specs:  # a service's checklist without the weekly diary item: nothing to tick
            return None, False
        add_task(db, None, specs[0])
        task = appdb.practitioner_task(db, DIARY_TASK_KEY, period)
    if task is None:  # not stored (the same task is already there): nothing to tick
        return None, False
    if task["status"] == "done":
        return task["id"], False
    tick(db, task["id"])
    return task["id"], True


def write_share(
    db: Database,
    share: WeekShare,
    out_dir: Path | str,
    *,
    today: date,
    now: datetime,
    checklist: Checklist,
) -> ShareResult:
    """Write ``share`` (one ``.docx`` and one ``.csv`` per Responsible Officer) into ``out_dir`` and, once the
    week has started and no appointment awaits its outcome, tick its weekly diary task.

    ``out_dir`` is read by the rule of every ``-o`` (``db.files.output_folder``): a folder that is missing is made
    owner-only (0700, whatever the umask) if its parent exists, and a path whose parent is missing too is refused
    before anything is written.
    """
    try:
        out = output_folder(out_dir)
    except OutputRefused as exc:
        raise ValidationError(str(exc)) from None
    files = []
    try:
        for group in share.groups:
            stem = file_stem(share, group)
            docx_path, csv_path = out / f"{stem}.docx", out / f"{stem}.csv"
            write_private(docx_path, docx_bytes(share, group, now), overwrite=True)
            write_private(csv_path, csv_text(share, group).encode("utf-8-sig"), overwrite=True)
            files.append(RoFiles(group.ro_name, group.recorded, docx_path, csv_path, len(group.rows)))
    except PermissionError as exc:
        raise ValidationError(f"cannot write the weekly share in {out}: {exc.strerror}") from None
    ahead = share.week_start > today
    task_id, ticked = (None, False) if ahead or share.awaiting else tick_diary_task(db, share.week_start, checklist)
    sent = {r["case_id"] for g in share.groups if g.recorded for r in g.rows}
    complete_shared_sessions(db, share.week_start, share.week_end, sent, checklist)
    return ShareResult(out, share, files, task_id, ticked, ahead=ahead)


def complete_shared_sessions(
    db: Database, monday: date, sunday: date, cases: set[int], checklist: Checklist
) -> list[str]:
    """Close the "share with probation" tasks of the sessions recorded in the shared week for ``cases`` (those
    whose officer has a file to send), done by mhtr-tui; returns their titles. A session recorded after the
    share keeps its task until the week is shared again."""
    by_case: dict[int, list[int]] = {}
    for e in appdb.session_events_between(db, monday.isoformat(), sunday.isoformat()):
        if e["case_id"] in cases:
            by_case.setdefault(e["case_id"], []).append(e["id"])
    what = f"week of {uk(monday)} shared with probation"
    closed = []
    with transaction(db):
        for case_id, ids in by_case.items():
            closed += complete_by_app(db, checklist, case_id, SHARE_WEEK, what, event_ids=ids)
    return closed


def share_week(
    db: Database,
    out_dir: Path | str,
    week: date | None = None,
    *,
    today: date,
    now: datetime,
    checklist: Checklist,
) -> ShareResult:
    """Build and write the share of the week containing ``week`` (default: this week); see ``write_share``."""
    share = build_share(db, week or today, now)
    return write_share(db, share, out_dir, today=today, now=now, checklist=checklist)
