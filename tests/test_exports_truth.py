"""The October 2026 return of a caseload with known truth (tests/exports_support.py): every count, mean and rate,
in memory and as read back from the .xlsx and CSV files, and the caseload data row by row.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from exports import layout as L
from exports import sheets as S
from exports.caseload import HEADINGS, caseload_rows
from exports.merge import read_figures
from exports.monthly import export_caseload, export_month, load_facts
from exports.returns import build_return
from questionnaires import DEFAULT
from service.core import checklist_of
from tests.exports_support import DEADLINES, DERIVED, MONTH, MONTH_COUNTS, ROLLING_COUNTS, TODAY, build_caseload

OCTOBER = date(2026, 10, 1)
END = date(2026, 10, 31)
EXPECTED = {"month": MONTH_COUNTS, "rolling": ROLLING_COUNTS}


@pytest.fixture
def caseload(db):
    refs = build_caseload(db)
    return db, refs


@pytest.fixture
def figures(caseload):
    db, _ = caseload
    return build_return(load_facts(db, END), OCTOBER, TODAY, scoring=DEFAULT, deadlines=DEADLINES, threshold=0).figures


def shown_keys() -> set[tuple[str, str]]:
    """Every (period, key) that some table of the return shows."""
    return {
        (c.period, S.cell_key(c, line)) for spec in L.TABLES for line in spec.lines if line.key for c in spec.columns
    }


@pytest.mark.parametrize("period", ["month", "rolling"])
def test_every_count_is_the_hand_count(figures, period):
    wrong = {
        k: (figures[period][k], EXPECTED[period].get(k, 0))
        for k in L.COUNT_KEYS
        if figures[period][k] != EXPECTED[period].get(k, 0)
    }
    assert wrong == {}
    assert set(EXPECTED[period]) <= set(L.COUNT_KEYS)  # no typo in the expected keys


@pytest.mark.parametrize("period", ["month", "rolling"])
def test_every_mean_and_rate_is_worked_out_as_the_spec_says(figures, period):
    i = 0 if period == "month" else 1
    derived = [k for k, m in L.MEASURES.items() if m.kind in ("mean", "rate")]
    for key in derived:
        want = DERIVED.get(key, (None, None))[i]
        got = figures[period][key]
        if want is None:
            assert got is None, key
        else:
            assert math.isclose(got, want, abs_tol=1e-9), (key, got, want)


def test_sums_hold_in_every_group(figures):
    for period in ("month", "rolling"):
        for g in L.GROUPS:
            assert figures[period][g.total] == sum(figures[period][m] for m in g.members), (period, g.total)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_files_hold_the_same_figures(caseload, tmp_path, fmt):
    db, _ = caseload
    result = export_month(db, MONTH, tmp_path, fmt, today=TODAY, threshold=0, checklist=checklist_of(db))
    back = read_figures(result.path)
    for period, key in sorted(shown_keys()):
        m = L.MEASURES[key]
        got = back[period][key]
        if m.kind == "count":
            assert got == EXPECTED[period].get(key, 0), (period, key)
        else:
            want = DERIVED.get(key, (None, None))[0 if period == "month" else 1]
            assert (got is None) if want is None else math.isclose(got, want, abs_tol=0.006), (period, key, got)


def test_suppressed_return_shows_small_counts_and_protects_the_totals(caseload):
    db, _ = caseload
    shown = build_return(load_facts(db, END), OCTOBER, TODAY, scoring=DEFAULT, deadlines=DEADLINES, threshold=5).shown()
    month, rolling = shown["month"], shown["rolling"]
    assert month["screened"] == "<5" and month["not_eligible"] == "<5"
    # 4 decisions = 3 approved + 1 declined: "<5" declined alone could be read off as 4 - 3.
    assert (month["cl_decided"], month["cl_approved"], month["cl_declined"]) == ("<5", "<5", "<5")
    # The rolling year (8 screened) is the sum of twelve months of which October hid its figure: shown, it would
    # give October's away to anyone holding September's return. Hidden as [c], whatever its size.
    assert rolling["screened"] == rolling["assessed"] == rolling["cl_decided"] == "[c]"
    # the caseload totals on the last day are shown in full in both columns, however small; who was given an MHTR,
    # by characteristic, is suppressed like any flow; the rate of a hidden count is hidden; zero stays zero
    assert (month["active"], month["active_treating"], month["active_waiting"]) == (3, 2, 1)
    assert (rolling["active"], rolling["active_treating"], rolling["active_waiting"]) == (3, 2, 1)
    assert month["made.gender=Female"] == month["made.gender=Male"] == "<5"
    assert rolling["made.gender=Female"] == "[c]" and month["made.gender=Non-binary"] == 0
    assert rolling["phq9.improved_rate"] == "[c]"
    assert month["type_drr"] == 0 and rolling["breach_other"] == 0 and month["breach_other"] == 0
    assert month["meetings_days"] == "[c]"


def test_caseload_rows_row_by_row(caseload):
    db, refs = caseload
    rows = {
        r[0]: dict(zip(HEADINGS, r, strict=True)) for r in caseload_rows(load_facts(db, END), END, scoring=DEFAULT)
    }
    a, b, d, h = (rows[refs[i]] for i in (0, 1, 3, 7))
    assert a["Stage"] == "In treatment" and a["Age band at assessment"] == "35-44"
    assert a["Court outcome"] == date(2026, 10, 14) and a["Sentenced on the day"] == "Yes" and a["Order"] == "CO"
    assert (a["Sessions planned"], a["Sessions attended"], a["Unacceptable absences"]) == (12, 1, 0)  # 3 Nov later
    assert a["First session attended"] == date(2026, 10, 27) and a["Risk level"] == "Medium"
    assert b["Stage"] == "Not eligible" and b["Not eligible"] == date(2026, 10, 2) and b["Sessions planned"] is None
    assert d["Requirement"] == "MHTR & DRR" and d["Order"] == "SSO" and d["Completed"] == date(2026, 10, 15)
    assert (d["Sessions attended"], d["Unacceptable absences"], d["Breaches"]) == (12, 1, 1)
    assert (d["PHQ-9 first score"], d["PHQ-9 last score"]) == (18, 6)
    assert (d["GAD-7 first score"], d["GAD-7 last score"]) == (15, 12)
    assert (d["CORE-34 first score"], d["CORE-34 last score"]) == pytest.approx((20.0, 5.0))
    assert h["Stage"] == "Completed" and h["Follow-ups done (months)"] == "3, 6"
    assert (h["PHQ-9 first score"], h["PHQ-9 last score"]) == (12, 4)  # the follow-up form is not "last"
    assert len(rows) == 12


def test_caseload_as_at_an_earlier_month_leaves_out_later_events(caseload):
    db, refs = caseload
    rows = {
        r[0]: dict(zip(HEADINGS, r, strict=True))
        for r in caseload_rows(load_facts(db, date(2026, 6, 30)), date(2026, 6, 30), scoring=DEFAULT)
    }
    assert refs[0] not in rows  # A's first event is in October
    d = rows[refs[3]]
    assert d["Stage"] == "In treatment" and d["Completed"] is None and d["PHQ-9 last score"] is None


def test_caseload_file(caseload, tmp_path):
    db, _ = caseload
    result = export_caseload(db, MONTH, tmp_path, today=TODAY)
    from openpyxl import load_workbook

    ws = load_workbook(result.path)["Caseload"]
    assert [c.value for c in ws[2]] == list(HEADINGS)
    assert ws.max_row == 2 + 12
    dates = [c for c in ws[3] if c.value is not None and HEADINGS[c.column - 1] == "Assessed"]
    assert dates and dates[0].is_date and dates[0].number_format == "[$-809]DD/MM/YYYY"  # day first in every locale


def test_the_about_sheet_says_how_the_caseload_and_the_orders_made_are_published(caseload):
    db, _ = caseload
    ret = build_return(load_facts(db, END), OCTOBER, TODAY, scoring=DEFAULT, deadlines=DEADLINES, threshold=5)
    about = dict(S.about_sheet(ret).rows)
    assert "shown in full, never as <5 or [c]" in about["Caseload totals"]
    assert "last month's figure plus the orders that came in" in about["Caseload totals"]
    assert "given away by the totals alone" in about["Caseload totals"]
    assert "MHTRs made by the court in the period" in about["Characteristics"]
    assert "on the sentence date (made)" in about["Characteristics"]
    unsuppressed = build_return(load_facts(db, END), OCTOBER, TODAY, scoring=DEFAULT, deadlines=DEADLINES, threshold=0)
    assert "Caseload totals" not in dict(S.about_sheet(unsuppressed).rows)  # nothing is suppressed in it
