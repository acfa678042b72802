"""The export actions, for the command line and the app alike: a month's return, the caseload data, a merge.

``export_month`` is what the Month screen calls: it checks the month, reads the cases (through
``db.exports``, which never selects a name, address or NHS number), de-identifies them, builds the return,
writes it owner-only and whole, and, once the month is over, ticks the monthly data-return task of that month
(the month in progress gives a part-month return, which does not do that task). Refused input raises
``ValidationError`` before anything is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from checklists.model import Checklist
from db import exports as dbx
from db import records as rec
from db.database import Database
from db.files import APPLICATION, OutputRefused, names_folder, output_folder, resolve_output
from exports import outcomes_table
from exports import sheets as S
from exports.caseload import caseload_rows
from exports.facts import CaseFacts, deidentify
from exports.files import Properties, write_csv_folder, write_xlsx
from exports.gaps import Gap, gaps
from exports.merge import merge
from exports.periods import (
    Period,
    month_end,
    month_name,
    month_over,
    parse_month,
    return_periods,
)
from exports.returns import DEFAULT_SUPPRESS_BELOW, MonthlyReturn, build_return
from records.clocks import sentence_deadlines
from records.questionnaire_records import scoring_options
from vocabulary.dates import add_months, uk
from vocabulary.identity import ValidationError

FORMATS = ("xlsx", "csv")
SUPPRESS_SETTING = "suppress_below"
DATABASE_ID_SETTING = "database_id"
EXPORT_ACTION = "export-month"

Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    path: Path
    format: str
    month: date
    threshold: int
    cases: int = 0
    task_id: int | None = None
    ticked: bool = False
    gaps: list[Gap] = field(default_factory=list)
    ret: MonthlyReturn | None = None
    replaced: bool = False
    part_month: bool = False  # the month was not over: figures up to the day made, the task left open


@dataclass(frozen=True)
class ExportPlan:
    """A checked request: the month's first day, the format and the path to write. Made before any reading."""

    month: date
    format: str
    path: Path


def plan_export(
    month: str | date, out: Path | str | None, fmt: str | None, today: date, *, kind: str = "return"
) -> ExportPlan:
    """Check the month (YYYY-MM, not in the future), the format and the output path; ValidationError if not."""
    if isinstance(month, date):
        first = month
        if first.day != 1:
            raise ValidationError("a return month starts on its first day")
        if first > today:
            raise ValidationError(f"{month_name(first)} is in the future; a return is for a month that has begun")
    else:
        first = parse_month(month, today)
    fmt = choose_format(fmt, out)
    return ExportPlan(first, fmt, output_path(out, fmt, f"mhtr-{kind}-{first:%Y-%m}"))


def check_recorded(db: Database, first: date) -> None:
    """Refuse a return for a month that ended before the service's first record (ValidationError): it would be a
    return of zeros for a month the service did not exist, and sent on it would read as a month with no work. A
    service with nothing recorded yet may send its first months' returns of zeros."""
    day = dbx.first_record_day(db)
    if day is None:
        return
    start = date.fromisoformat(day)
    if month_end(first) < start:
        raise ValidationError(
            f"{month_name(first)} is before the service's first record ({uk(start)}); "
            f"the first return is for {month_name(start)}"
        )


def suppress_below(db: Database | None, override: int | str | None = None) -> int:
    """The threshold: ``override`` if given, else the ``suppress_below`` setting, else 5. 0 turns it off."""
    if override is not None:
        return threshold_of(override)
    value = rec.get_setting(db, SUPPRESS_SETTING) if db is not None else None
    return DEFAULT_SUPPRESS_BELOW if value is None else threshold_of(value)


def threshold_of(value: object) -> int:
    """A suppression threshold as typed or stored, checked: a whole number from 0 to 100."""
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"the suppression threshold must be a whole number, not {value!r}") from None
    if not 0 <= n <= 100:
        raise ValidationError(f"the suppression threshold must be between 0 and 100, not {n}")
    return n


def choose_format(fmt: str | None, out: Path | str | None) -> str:
    """``fmt`` checked; without one, CSV if ``out`` names a ``.csv`` file, else xlsx (``-o out.csv/`` is a folder)."""
    if fmt is None:
        return "csv" if out is not None and not names_folder(out) and Path(out).suffix.lower() == ".csv" else "xlsx"
    f = fmt.lower().lstrip(".")
    if f not in FORMATS:
        raise ValidationError(f"format {fmt!r} is xlsx or csv")
    return f


FILE_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")


def output_path(out: Path | str | None, fmt: str, stem: str) -> Path:
    """Where to write: an .xlsx file named by ``out``, or ``stem`` inside the folder ``out`` (default: here).

    ``out`` is read by the rule every command follows (``db.files.resolve_output``): a folder that exists or is
    typed ending in ``/`` (``-o returns.xlsx/`` too) is a folder, made owner-only by the writer if its parent
    exists, refused in one line if not. Two readings are the export's own: a CSV return is a folder of files, so
    for CSV ``out`` is always the folder to put it in; and a name that is not an ``.xlsx`` file (``-o out``) is
    the folder to write into, as it always was, while a spreadsheet-like name that is not there (``-o x.csv``
    with xlsx, any file name with CSV) is refused rather than guessed at.
    """
    name = stem + (".xlsx" if fmt == "xlsx" else "")
    try:
        if out is None or not str(out).strip() or names_folder(out):
            return resolve_output(out, name, default_folder=Path.cwd())
        typed = Path(out).expanduser()
        if fmt == "xlsx" and typed.suffix.lower() == ".xlsx":
            return resolve_output(out, name)
        if typed.exists():  # not a folder (names_folder said so): a file that is not ours to replace
            raise ValidationError(
                f"{typed} is a file; give a folder" + (" or an .xlsx file name" if fmt == "xlsx" else "")
            )
        if typed.suffix.lower() in FILE_SUFFIXES:
            raise ValidationError(
                f"-o {typed}: a CSV export is a folder of files; give the folder to write it in"
                if fmt == "csv"
                else f"-o {typed}: give an .xlsx file name or a folder"
            )
        return output_folder(out) / name
    except OutputRefused as exc:
        raise ValidationError(str(exc)) from None


def load_facts(
    db: Database, end: date, progress: Progress | None = None, *, year: Period | None = None
) -> list[CaseFacts]:
    """Every case as de-identified facts, age bands worked out on ``end``; with ``year`` (a return's rolling
    year), only the cases that can count in it (``db.exports.relevant_cases``). Each table is read once, in
    bulk."""
    ids = None
    if year is not None:  # a completion up to the last follow-up's months before the year has one due in it
        follow_ups_from = add_months(year.start, -max(outcomes_table.FOLLOW_UP_MONTHS))
        ids = dbx.relevant_cases(db, year.start.isoformat(), follow_ups_from.isoformat())
    cases = dbx.export_cases(db, ids)
    events = dbx.export_events(db, ids)
    questionnaires = dbx.export_questionnaires(db, ids)
    out = []
    no_rows: list = []
    for i, c in enumerate(cases, 1):
        out.append(deidentify(c, events.get(c["case_id"], no_rows), questionnaires.get(c["case_id"], no_rows), end))
        if progress and (i % 200 == 0 or i == len(cases)):
            progress(i, len(cases))
    return out


def return_facts(db: Database, first: date, progress: Progress | None = None) -> list[CaseFacts]:
    """The cases the return for the month starting ``first`` can count, as de-identified facts."""
    return load_facts(db, month_end(first), progress, year=return_periods(first)[1])


def database_id(db: Database) -> str:
    """A random identifier of this database (made on first export), so a merge can refuse the same one twice."""
    from db.transaction import transaction

    value = rec.get_setting(db, DATABASE_ID_SETTING)
    if value is None:
        value = uuid.uuid4().hex[:12]
        with transaction(db):
            rec.set_setting(db, DATABASE_ID_SETTING, value)
    return value


def _properties(title: str, service: str, now: datetime | None) -> Properties:
    """A workbook's properties (``exports.files``): the service as author (the app when no service name is set),
    never a person. Unlike a letter, which its writer signs, these files are the service's anonymised data: the
    return is forwarded and combined beyond the service and the caseload data is passed to whoever analyses it,
    and properties travel with a file unseen, so a practitioner's name would reach people who never see the
    message it came with; the chair knows who sent a return from that message. ``now`` is the run's clock
    (``service.clock``); without one, the moment of writing."""
    return Properties(title, service or APPLICATION, service, now)


def _write(sheets, path: Path, fmt: str, props: Properties) -> Path:
    try:
        if fmt == "xlsx":
            return write_xlsx(path, sheets, props)
        return write_csv_folder(path, sheets)
    except PermissionError as exc:
        raise ValidationError(f"cannot write {path}: {exc.strerror}") from None


def export_month(
    db: Database,
    month: str | date,
    out: Path | str | None = None,
    fmt: str | None = None,
    *,
    today: date,
    threshold: int | str | None = None,
    progress: Progress | None = None,
    facts: list[CaseFacts] | None = None,
    checklist: Checklist,
    now: datetime | None = None,
) -> ExportResult:
    """Write the month's return (``mhtr-return-YYYY-MM.xlsx`` or a folder of CSV files) and, when the month is
    over, tick its task: a return of the month in progress is a part-month one (``part_month``), and ticking on
    it would close the task due on the 14th of next month before the month's figures are complete.

    ``threshold`` overrides the ``suppress_below`` setting (0: no suppression, for merging); ``progress`` is
    called with (cases done, cases) while the cases are read. ``facts`` are the cases already read with
    ``load_facts(db, month_end(month))`` or ``return_facts`` (the Month screen writes the return and the caseload
    from one read).
    """
    plan = plan_export(month, out, fmt, today)
    level = suppress_below(db, threshold)
    first = plan.month
    check_recorded(db, first)
    if facts is None:
        facts = return_facts(db, first, progress)
    scoring = scoring_options(db)  # once for the whole return: every case is scored under the same settings
    ret = build_return(
        facts,
        first,
        today,
        scoring=scoring,
        deadlines=sentence_deadlines(checklist),
        threshold=level,
        database_id=database_id(db),
        service=rec.get_setting(db, "service_name") or "",
    )
    replaced = plan.path.exists()
    title = f"{S.RETURN_TITLE}: {month_name(first)}"
    _write(S.return_sheets(ret), plan.path, plan.format, _properties(title, ret.service, now))
    part_month = not month_over(first, today)
    task_id, ticked = (None, False) if part_month else tick_monthly_task(db, first, checklist)
    return ExportResult(
        plan.path,
        plan.format,
        first,
        level,
        dbx.case_count(db),
        task_id,
        ticked,
        gaps(facts, return_periods(first)[1], scoring=scoring),
        ret,
        replaced,
        part_month,
    )


def export_caseload(
    db: Database,
    month: str | date,
    out: Path | str | None = None,
    fmt: str | None = None,
    *,
    today: date,
    facts: list[CaseFacts] | None = None,
    now: datetime | None = None,
) -> ExportResult:
    """Write the caseload data as at the end of ``month`` (``mhtr-caseload-YYYY-MM``).

    ``facts`` may be the cases read for the month's return: rows leave out what happened after ``end``.
    """
    plan = plan_export(month, out, fmt, today, kind="caseload")
    check_recorded(db, plan.month)
    end = min(month_end(plan.month), today)
    if facts is None:
        facts = load_facts(db, end)
    rows = caseload_rows(facts, end, scoring=scoring_options(db))
    replaced = plan.path.exists()
    sheets = S.caseload_sheets(rows, plan.month, today)
    title = f"{S.CASELOAD_TITLE}: {month_name(plan.month)}"
    _write(sheets, plan.path, plan.format, _properties(title, rec.get_setting(db, "service_name") or "", now))
    return ExportResult(plan.path, plan.format, plan.month, 0, len(rows), replaced=replaced)


def merge_returns(
    paths: list[Path | str],
    out: Path | str | None = None,
    *,
    threshold: int = DEFAULT_SUPPRESS_BELOW,
    today: date,
    now: datetime | None = None,
) -> ExportResult:
    """Combine practitioners' unsuppressed returns for one month into the site's return (suppressed)."""
    ret, fmt = merge(paths, today, threshold)
    if out is not None and fmt == "xlsx" and not names_folder(out) and Path(out).suffix.lower() == ".csv":
        raise ValidationError(f"the returns are .xlsx, so the merged return is too; -o {out} is a .csv name")
    path = output_path(out, fmt, f"mhtr-return-{ret.month:%Y-%m}-merged")
    if path.resolve() in {Path(p).expanduser().resolve() for p in paths}:
        raise ValidationError(f"-o {path} is one of the returns being merged; write the merge somewhere else")
    title = f"{S.RETURN_TITLE}: {month_name(ret.month)}"
    _write(S.return_sheets(ret), path, fmt, _properties(title, ret.service, now))
    return ExportResult(path, fmt, ret.month, threshold, 0, ret=ret)


def part_month_note(first: date, today: date) -> str:
    """What the command line and the Month screen say of a return of the month in progress."""
    return (
        f"part-month return: {month_name(first)} is not over, figures up to {uk(today)}; "
        "the monthly task is ticked by the return made once the month has ended"
    )


def tick_monthly_task(db: Database, first: date, checklist: Checklist) -> tuple[int | None, bool]:
    """Tick the practitioner's monthly data-return task for the month (made first if not made yet).

    The task is the checklist item whose action is ``export-month``; a checklist without one has nothing to tick.
    Returns the task id and whether this call ticked it.
    """
    from checklists.engine import recurring_tasks
    from db import appointments as appdb
    from records.task_actions import add_task, tick

    period = f"{first:%Y-%m}"
    specs = [
        s
        for s in recurring_tasks(checklist, first, first)
        if s.action == EXPORT_ACTION and s.period == period
    ]
    if not specs:
        return None, False
    task = appdb.practitioner_task(db, specs[0].key, period)
    if task is None:
        add_task(db, None, specs[0])
        task = appdb.practitioner_task(db, specs[0].key, period)
    if task is None:  # not stored (the same task is already there under another period): nothing to tick
        return None, False
    if task["status"] == "done":
        return task["id"], False
    tick(db, task["id"])
    return task["id"], True


def month_gaps(db: Database, month: str | date, today: date) -> list[Gap]:
    """What is incomplete for the month's return (for the Month screen), by case reference."""
    first = month if isinstance(month, date) else parse_month(month, today)
    check_recorded(db, first)
    return gaps(return_facts(db, first), return_periods(first)[1], scoring=scoring_options(db))
