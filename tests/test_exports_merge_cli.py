"""``mhtr-tui export`` and ``mhtr-tui export merge`` as DESIGN.md writes them: files, --json, the monthly task
ticked, one-line refusals with exit 2 that write nothing; and a merge of two practitioners' returns that equals
the return of their caseloads kept in one database.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from db import appointments as appdb
from db.connection import connect
from exports import layout as L
from exports.merge import read_figures
from exports.monthly import export_month, merge_returns
from service.core import checklist_of
from tests.conftest import snapshot_counts, synthetic
from tests.exports_support import CASES, DERIVED, MONTH, MONTH_COUNTS, ROLLING_COUNTS, TODAY, build_caseload
from vocabulary.dates import add_months
from vocabulary.identity import ValidationError


@pytest.fixture
def two_practitioners(tmp_path):
    """The known caseload split between two databases, each exported unsuppressed for merging."""
    paths = []
    for i, part in enumerate((CASES[:5], CASES[5:])):
        db = synthetic(connect(tmp_path / f"p{i}.db", create=True))
        build_caseload(db, part)
        for fmt in ("xlsx", "csv"):
            export_month(db, MONTH, tmp_path / f"p{i}", fmt, today=TODAY, threshold=0, checklist=checklist_of(db))
        db.close()
        paths.append(tmp_path / f"p{i}")
    return paths


def test_merge_equals_one_database_holding_both_caseloads(two_practitioners, tmp_path):
    for fmt, name in (("xlsx", "mhtr-return-2026-10.xlsx"), ("csv", "mhtr-return-2026-10")):
        result = merge_returns(
            [p / name for p in two_practitioners], tmp_path / f"site-{fmt}", threshold=0, today=TODAY
        )
        assert result.format == fmt and result.ret.merged_from == 2
        back = read_figures(result.path)
        for period, want in (("month", MONTH_COUNTS), ("rolling", ROLLING_COUNTS)):
            for key in (
                "screened",
                "assessed",
                "court_accepted",
                "completed",
                "active",
                "phq9.pairs",
                "assessed.gender=Female",
                "reason.court-declined.custody",
                "fu6_due",
            ):
                assert back[period][key] == want.get(key, 0), (fmt, period, key)
            for key in ("meetings_days", "phq9.mean_pre", "phq9.improved_rate", "gad7.deteriorated_rate"):
                assert math.isclose(back[period][key], DERIVED[key][period == "rolling"], abs_tol=0.01), key


def test_merged_return_is_suppressed_after_combining(two_practitioners, tmp_path):
    result = merge_returns(
        [p / "mhtr-return-2026-10.xlsx" for p in two_practitioners], tmp_path, threshold=5, today=TODAY
    )
    shown = result.ret.shown()
    # 3 screened in October: hidden in the month, and so in the rolling year (8) that October is part of
    assert shown["month"]["screened"] == "<5" and shown["rolling"]["screened"] == "[c]"
    # the months of the two practitioners' rolling years were added up, month by month
    assert [m["screened"] for m in result.ret.history] == [0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1]  # E, D, F, K, C
    assert result.path.name == "mhtr-return-2026-10-merged.xlsx"


def test_merge_refusals(two_practitioners, tmp_path):
    a, b = (p / "mhtr-return-2026-10.xlsx" for p in two_practitioners)
    with pytest.raises(ValidationError, match="two or more"):
        merge_returns([a], tmp_path, today=TODAY)
    with pytest.raises(ValidationError, match="given twice"):
        merge_returns([a, a], tmp_path, today=TODAY)
    with pytest.raises(ValidationError, match="merge returns of one format"):
        merge_returns([a, two_practitioners[1] / "mhtr-return-2026-10"], tmp_path, today=TODAY)
    db = connect(tmp_path / "p0.db")
    september = export_month(db, "2026-09", tmp_path / "sep", today=TODAY, threshold=0, checklist=checklist_of(db)).path
    suppressed = export_month(db, MONTH, tmp_path / "sup", today=TODAY, checklist=checklist_of(db)).path
    again = export_month(db, MONTH, tmp_path / "again", today=TODAY, threshold=0, checklist=checklist_of(db)).path
    db.close()
    with pytest.raises(ValidationError, match="return for October 2026 and .* for September 2026"):
        merge_returns([a, september], tmp_path, today=TODAY)
    with pytest.raises(ValidationError, match="has small counts suppressed"):
        merge_returns([suppressed, b], tmp_path, today=TODAY)
    with pytest.raises(ValidationError, match="come from the same database"):
        merge_returns([a, b, again], tmp_path, today=TODAY)
    assert sorted(p.name for p in tmp_path.glob("*merged*")) == []


def test_merge_refuses_an_edited_return(two_practitioners, tmp_path):
    folder = two_practitioners[0] / "mhtr-return-2026-10"
    mhtr = folder / "mhtr.csv"
    mhtr.write_text(mhtr.read_text(encoding="utf-8-sig").replace("Screened at court", "Screened"), encoding="utf-8")
    with pytest.raises(ValidationError, match="was it edited"):
        merge_returns([folder, two_practitioners[1] / "mhtr-return-2026-10"], tmp_path, today=TODAY)


@pytest.fixture
def run(run, monkeypatch):
    """The shared command-line runner (tests/conftest.py), on a built caseload, in the test's folder."""
    monkeypatch.chdir(run.path.parent)
    db = connect(run.path)
    build_caseload(db)
    db.close()
    return run


def test_export_command_writes_the_return_and_ticks_the_monthly_task(run, tmp_path):
    code, out, err = run("export", "--month", MONTH, "-o", str(tmp_path / "out"), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["path"] == str(tmp_path / "out" / "mhtr-return-2026-10.xlsx") and data["format"] == "xlsx"
    assert data["suppress_below"] == 5 and data["kind"] == "return" and data["cases"] == 12
    assert data["task_ticked"] is True
    assert {"client", "what"} <= set(data["incomplete"][0])
    db = connect(run.path)
    assert appdb.practitioner_task(db, "monthly.data-return", MONTH)["status"] == "done"
    code, out, _ = run("export", "--month", MONTH, "--format", "csv")
    assert code == 0 and (tmp_path / "mhtr-return-2026-10" / "mhtr.csv").exists()
    assert "counts from 1 to 4 shown as <5" in out and "monthly data-return task" not in out  # ticked already
    code, out, _ = run("export", "--month", MONTH, "--caseload", "--json")
    assert code == 0 and json.loads(out)["path"].endswith("mhtr-caseload-2026-10.xlsx")


def test_export_setting_sets_the_threshold(run, tmp_path):
    from db import records as rec

    db = connect(run.path)
    rec.set_setting(db, "suppress_below", "10")
    db.close()
    code, out, _ = run("export", "--month", MONTH, "--json")
    assert json.loads(out)["suppress_below"] == 10
    code, out, _ = run("export", "--month", MONTH, "--suppress-below", "0", "--json")
    assert json.loads(out)["suppress_below"] == 0


def test_merge_command(run, tmp_path, two_practitioners):
    files = [str(p / "mhtr-return-2026-10.xlsx") for p in two_practitioners]
    code, out, err = run("export", "merge", *files, "-o", str(tmp_path / "site.xlsx"), "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "month": MONTH,
        "path": str(tmp_path / "site.xlsx"),
        "format": "xlsx",
        "returns": 2,
        "suppress_below": 5,
    }
    code, _, err = run("export", "merge", files[0], str(two_practitioners[1] / "mhtr-return-2026-10"))
    assert code == 2 and "merge returns of one format" in err and err.count("\n") == 1


def _next_month() -> str:
    return f"{add_months(date.today().replace(day=1), 1):%Y-%m}"


@pytest.mark.parametrize(
    "args, message",
    [
        (("export", "--month", "2026-13"), "there is no month 13"),
        (("export", "--month", "13/2026"), "must be written YYYY-MM"),
        (("export", "--month", _next_month()), "is in the future"),
        (("export",), "--month YYYY-MM is required"),
        (("export", "--month", MONTH, "--suppress-below", "-1"), "between 0 and 100"),
        (("export", "--month", MONTH, "--format", "csv", "-o", "x.csv"), "a CSV export is a folder"),
    ],
)
def test_refusals_are_one_line_exit_2_and_write_nothing(run, tmp_path, args, message):
    db = connect(run.path)
    before = snapshot_counts(db)
    files_before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1
    assert snapshot_counts(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before


@pytest.mark.parametrize(
    "args, message",
    [
        # J, the first case, was screened on 2 December 2024
        (("export", "--month", "2024-11"), "November 2024 is before the service's first record (02/12/2024)"),
        (("export", "--month", "2021-01", "--caseload"), "before the service's first record"),
    ],
)
def test_a_month_before_the_first_record_is_refused(run, tmp_path, args, message):
    db = connect(run.path)
    before = snapshot_counts(db)
    code, out, err = run(*args, "-o", str(tmp_path / "out"))
    assert code == 2 and out == "" and message in err and err.count("\n") == 1
    assert snapshot_counts(db) == before and not (tmp_path / "out").exists()


def test_the_month_of_the_first_record_has_its_return(run, tmp_path):
    code, out, err = run("export", "--month", "2024-12", "-o", str(tmp_path / "first"), "--json")
    assert code == 0 and err == "" and json.loads(out)["month"] == "2024-12"


def test_every_measure_has_a_definition_and_a_unique_label():
    for spec in L.TABLES:
        labels = [line.labels for line in spec.lines]
        assert len(labels) == len(set(labels)), spec.name
    for key, m in L.MEASURES.items():
        if m.kind != "sum" and not key.startswith(("assessed.", "made.")):
            assert m.note, key
