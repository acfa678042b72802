"""``export merge`` checks every value of every return before adding anything: a count is a whole number from 0 up,
no cell holds a formula, the layout is this version's, the published sums add up and the month's column matches
its months sheet. Each refusal names the file and the cell, and writes nothing.
"""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from db.connection import connect
from exports import layout as L
from exports.monthly import export_month, merge_returns
from service.core import checklist_of
from tests.exports_support import CASES, MONTH, TODAY, build_caseload
from vocabulary.identity import ValidationError

NAME = "mhtr-return-2026-10"


@pytest.fixture
def returns(tmp_path):
    """Two practitioners' unsuppressed returns, each as .xlsx and as CSV."""
    out = []
    for i, part in enumerate((CASES[:5], CASES[5:])):
        db = connect(tmp_path / f"p{i}.db", create=True)
        build_caseload(db, part)
        for fmt in ("xlsx", "csv"):
            export_month(db, MONTH, tmp_path / f"p{i}", fmt, today=TODAY, threshold=0, checklist=checklist_of(db))
        db.close()
        out.append(tmp_path / f"p{i}")
    return out


def _edit_xlsx(path, sheet: str, label: str, column: int, value) -> str:
    """Put ``value`` in the figure column ``column`` (1: the month) of the row labelled ``label``; its cell name."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == label or (len(row) > 1 and row[1].value == label and sheet == "Months"):
            cell = row[column if sheet != "Months" else column + 1]
            cell.value = value
            wb.save(path)
            return cell.coordinate
    raise AssertionError(label)


def _merge(returns, tmp_path, fmt="xlsx"):
    name = f"{NAME}.xlsx" if fmt == "xlsx" else NAME
    return merge_returns([p / name for p in returns], tmp_path / "site", threshold=5, today=TODAY)


@pytest.mark.parametrize(
    "value, message",
    [
        (-1, "a count is a whole number from 0 up"),
        (2.5, "a count is a whole number from 0 up"),
        (1e30, "a count is a whole number from 0 up"),
        ("=2+1", "holds a formula"),
        ("three", "not a figure"),
        ("[c]", "has suppressed figures"),
    ],
)
def test_a_hand_edited_count_is_refused_with_its_cell(returns, tmp_path, value, message):
    path = returns[0] / f"{NAME}.xlsx"
    coordinate = _edit_xlsx(path, "MHTR", "Screened at court", 1, value)
    with pytest.raises(ValidationError, match=message) as refused:
        _merge(returns, tmp_path)
    assert f"MHTR!{coordinate}" in str(refused.value) or "suppressed" in message
    assert not (tmp_path / "site").exists()


def test_a_formula_anywhere_in_the_months_sheet_is_refused(returns, tmp_path):
    path = returns[1] / f"{NAME}.xlsx"
    coordinate = _edit_xlsx(path, "Months", "Screened at court", 3, "=SUM(C3:C4)")
    with pytest.raises(ValidationError, match=f"Months!{coordinate} holds a formula"):
        _merge(returns, tmp_path)


def test_a_count_changed_without_its_parts_does_not_add_up(returns, tmp_path):
    path = returns[0] / f"{NAME}.xlsx"
    _edit_xlsx(path, "MHTR", "Made as part of a Community Order", 1, 7)
    with pytest.raises(ValidationError, match="'MHTR made by the court' \\(month\\) is 1 but its parts add up to 7"):
        _merge(returns, tmp_path)


def test_a_figure_shown_twice_and_edited_once_is_refused(returns, tmp_path):
    path = returns[0] / f"{NAME}.xlsx"
    coordinate = _edit_xlsx(path, "MHTR", "MHTR declined by the court", 1, 7)
    with pytest.raises(ValidationError, match=rf"Reasons!C\d+ holds 0 but MHTR!{coordinate}, the same figure, holds 7"):
        _merge(returns, tmp_path)


def test_a_month_edited_in_one_place_only_is_refused(returns, tmp_path):
    path = returns[0] / f"{NAME}.xlsx"
    _edit_xlsx(path, "MHTR", "Included in a pre-sentence report (court report sent)", 1, 6)  # in no sum
    with pytest.raises(ValidationError, match=r"report sent\)' is 6 in the month's column but 1 in the Months"):
        _merge(returns, tmp_path)


def test_months_whose_caseload_parts_do_not_add_up_are_refused(returns, tmp_path):
    # the parts of the caseload identities travel in the Months sheet; one edited breaks its identity
    path = returns[0] / f"{NAME}.xlsx"
    _edit_xlsx(path, "Months", "Orders ended in treatment", 12, 5)
    with pytest.raises(ValidationError, match=r"month 12 of the Months sheet: '.+' is \d+ but its parts add up to \d+"):
        _merge(returns, tmp_path)
    # a caseload total edited in the Months sheet no longer adds up either
    path = returns[1] / f"{NAME}.xlsx"
    _edit_xlsx(path, "Months", "Active MHTRs at the end of the period", 12, 40)
    with pytest.raises(ValidationError, match=r"p1.*month 12 of the Months sheet: 'Active at some point"):
        _merge([returns[1], returns[0]], tmp_path)


def test_another_layout_version_is_refused(returns, tmp_path):
    path = returns[0] / f"{NAME}.xlsx"
    wb = load_workbook(path)
    for row in wb["About"].iter_rows():
        if row[0].value == "Layout version":
            row[1].value = 1
    wb.save(path)
    with pytest.raises(ValidationError, match=f"layout 1, this one reads {L.LAYOUT_VERSION}"):
        _merge(returns, tmp_path)


def test_a_csv_return_is_checked_the_same_way_and_names_line_and_column(returns, tmp_path):
    path = returns[0] / NAME / "outcomes.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows:
        if row[0] == "MHTRs completed":
            row[2] = "-3"
            line = rows.index(row) + 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(ValidationError, match=f"outcomes.csv line {line}, column 3 holds '-3'"):
        _merge(returns, tmp_path, "csv")
