"""A return of the month still in progress is a part-month return: it says so, and it does not tick the month's
data-return task (due on the 14th of the next month), which only the return made after the month ends does."""

from __future__ import annotations

import json
from datetime import date

from db import appointments as appdb
from db.connection import connect
from exports.monthly import export_month
from exports.periods import month_over
from service.core import checklist_of
from tests.exports_support import build_caseload


def test_month_over_only_after_its_last_day():
    assert not month_over(date(2026, 12, 1), date(2026, 12, 7))
    assert not month_over(date(2026, 12, 1), date(2026, 12, 31))  # the last day is not over yet
    assert month_over(date(2026, 12, 1), date(2027, 1, 1))


def test_exporting_the_month_in_progress_leaves_its_task_open(db, tmp_path):
    build_caseload(db)
    for today in (date(2026, 12, 7), date(2026, 12, 31)):
        result = export_month(db, "2026-12", tmp_path, today=today, checklist=checklist_of(db))
        assert result.part_month and not result.ticked and result.task_id is None
        task = appdb.practitioner_task(db, "monthly.data-return", "2026-12")
        assert task is None or task["status"] == "open"
    result = export_month(db, "2026-12", tmp_path, today=date(2027, 1, 4), checklist=checklist_of(db))
    assert not result.part_month and result.ticked
    assert appdb.practitioner_task(db, "monthly.data-return", "2026-12")["status"] == "done"


def test_the_command_says_part_month_and_ticks_nothing(run, tmp_path):
    db = connect(run.path)
    build_caseload(db)
    db.close()
    month = f"{date.today():%Y-%m}"
    code, out, err = run("export", "--month", month, "-o", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["part_month"] is True and data["task_ticked"] is False and data["task_id"] is None
    code, out, err = run("export", "--month", month, "-o", str(tmp_path))
    assert code == 0 and "part-month return: " in out and "is not over" in out and "task done" not in out
    db = connect(run.path)
    task = appdb.practitioner_task(db, "monthly.data-return", month)
    assert task is None or task["status"] == "open"
    db.close()
