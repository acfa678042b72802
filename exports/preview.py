"""What the Month screen shows and does: the month it offers, a preview of the return, and writing the files.

The screen only presents: the month it proposes (last month, since the return for a month is sent in the
second week of the next), the headline figures exactly as the return will show them (suppressed), what is
incomplete, and, on request, the return and the caseload data written side by side into one folder. The folder
is remembered (setting ``export_folder``) so next month's files land beside this month's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from checklists.model import Checklist
from db import records as rec
from db.database import Database
from db.exports import case_count
from db.files import OutputRefused, names_folder, output_folder
from exports.gaps import Gap, gaps
from exports.monthly import (
    FILE_SUFFIXES,
    ExportResult,
    check_recorded,
    choose_format,
    export_caseload,
    export_month,
    load_facts,
    return_facts,
    suppress_below,
)
from exports.periods import month_end, month_over, parse_month, return_periods
from exports.returns import MonthlyReturn, build_return
from exports.sheets import ABOUT, MONTHS, Sheet, return_sheets
from exports.suppression import Value
from records.clocks import sentence_deadlines
from records.questionnaire_records import scoring_options
from vocabulary.dates import add_months
from vocabulary.identity import ValidationError

FOLDER_SETTING = "export_folder"
DEFAULT_FOLDER = "~/mhtr-returns"

# (measure key, label) of the figures the screen shows before writing: one line each of pre-sentence,
# sentence, post-sentence and completion, so the practitioner can see at a glance that the month looks right.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("screened", "Screened at court"),
    ("assessed", "Assessed"),
    ("cl_approved", "Approved by the Clinical Lead"),
    ("court_accepted", "MHTRs made by the court"),
    ("first_sessions", "First treatment sessions"),
    ("breaches", "Breaches"),
    ("completed", "Completed"),
    ("active", "Active at the month end"),
)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Preview:
    """The month's return as it will be written: headline rows (label, month, rolling 12 months), gaps, and the
    figure tables themselves (suppressed, as in the file; the About sheet is left to the file)."""

    month: date
    threshold: int
    cases: int
    headlines: tuple[tuple[str, Value, Value], ...]
    gaps: tuple[Gap, ...] = field(default=())
    sheets: tuple[Sheet, ...] = field(default=())
    part_month: bool = False  # the month is not over: what is written now is a part-month return


@dataclass(frozen=True)
class MonthFiles:
    """What writing the month produced: the return (to send) and the caseload data (kept in the service)."""

    ret: ExportResult
    caseload: ExportResult
    headlines: tuple[tuple[str, Value, Value], ...]
    sheets: tuple[Sheet, ...] = ()


def default_month(today: date) -> str:
    """The month a practitioner usually exports: the one before ``today``'s month, as YYYY-MM."""
    return f"{add_months(today.replace(day=1), -1):%Y-%m}"


def default_folder(db: Database) -> str:
    """The folder the files were last written to, else ``~/mhtr-returns``."""
    return rec.get_setting(db, FOLDER_SETTING) or DEFAULT_FOLDER


def check_folder(text: str | None) -> Path:
    """The folder to write into; refused if empty, if it names a file (the screen writes two exports), or if it
    is missing and so is its parent (the rule of every ``-o``, ``db.files.output_folder``: one missing folder is
    made owner-only, a mistyped path is not made into a tree). Typed ending in ``/``, any name is a folder."""
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("give the folder to write the files into")
    folder = Path(raw).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder} is a file; give a folder (the return and the caseload data go in it)")
    if not names_folder(raw) and folder.suffix.lower() in FILE_SUFFIXES:
        raise ValidationError(f"{folder} looks like a file name; give a folder (both files go in it)")
    try:
        return output_folder(raw)
    except OutputRefused as exc:
        raise ValidationError(str(exc)) from None


def headlines(ret: MonthlyReturn) -> tuple[tuple[str, Value, Value], ...]:
    """The ``HEADLINES`` rows of ``ret`` as the written return shows them (small counts suppressed)."""
    shown = ret.shown()
    return tuple((label, shown["month"][key], shown["rolling"][key]) for key, label in HEADLINES)


def figure_sheets(ret: MonthlyReturn) -> tuple[Sheet, ...]:
    """The return's figure tables as written (suppressed); the About sheet (and, unsuppressed, the months kept for
    merging) are for the file."""
    return tuple(s for s in return_sheets(ret) if s.name not in (ABOUT, MONTHS))


def preview(
    db: Database,
    month: str,
    today: date,
    threshold: int | str | None = None,
    progress: Progress | None = None,
    *,
    checklist: Checklist,
) -> Preview:
    """The headline figures (suppressed as they will be written) and what is incomplete; writes nothing."""
    first = parse_month(month, today)
    level = suppress_below(db, threshold)
    check_recorded(db, first)
    facts = return_facts(db, first, progress)
    scoring = scoring_options(db)  # the settings the written return will use, so the preview matches it
    deadlines = sentence_deadlines(checklist)
    ret = build_return(facts, first, today, scoring=scoring, deadlines=deadlines, threshold=level)
    found = tuple(gaps(facts, return_periods(first)[1], scoring=scoring))
    cases = case_count(db)
    return Preview(first, level, cases, headlines(ret), found, figure_sheets(ret), not month_over(first, today))


def write_month(
    db: Database,
    month: str,
    folder: str,
    fmt: str | None,
    today: date,
    threshold: int | str | None = None,
    progress: Progress | None = None,
    *,
    checklist: Checklist,
    now: datetime | None = None,
) -> MonthFiles:
    """Write the return and the caseload data into ``folder``, tick the month's task, remember the folder.

    Everything typed is checked first (ValidationError, nothing written). ``progress`` gets (step, steps):
    one step per case read, then one for each file.
    """
    from db.transaction import transaction

    first = parse_month(month, today)
    target = check_folder(folder)
    fmt = choose_format(fmt, None)
    level = suppress_below(db, threshold)
    check_recorded(db, first)

    total = [0]

    def reading(done: int, cases: int) -> None:
        total[0] = cases + 2
        if progress:
            progress(done, cases + 2)

    facts = load_facts(db, month_end(first), reading)
    steps = total[0] or 2
    into = f"{target}{os.sep}"  # a folder, whatever its name looks like (``-o returns.xlsx/`` is one too)
    ret = export_month(
        db, first, into, fmt, today=today, threshold=level, facts=facts, checklist=checklist, now=now
    )
    if progress:
        progress(steps - 1, steps)
    caseload = export_caseload(db, first, into, fmt, today=today, facts=facts, now=now)
    if progress:
        progress(steps, steps)
    with transaction(db):
        rec.set_setting(db, FOLDER_SETTING, str(folder).strip())
    if ret.ret is None:  # export_month always returns the return it wrote
        return MonthFiles(ret, caseload, ())
    return MonthFiles(ret, caseload, headlines(ret.ret), figure_sheets(ret.ret))
