"""The files: owner-only and whole, text that looks like a formula kept as text, dates stored as dates, document
properties that name no one, the month checked before anything is written, and the workbook opened by
LibreOffice headless (skipped only when ``soffice`` is not installed; CI installs libreoffice-calc-nogui).
"""

from __future__ import annotations

import csv
import shutil
import stat
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from exports import files as F
from exports.monthly import export_month, output_path
from exports.periods import parse_month, return_periods
from exports.sheets import Sheet
from service.core import checklist_of
from tests.exports_support import MONTH, TODAY, build_caseload
from vocabulary.identity import ValidationError

WRITTEN = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
FORMULAS = ("=1+2", "+3", "-4+1", "@SUM(1,2)", '=HYPERLINK("http://example.invalid","x")')


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_and_folders_are_owner_only(db, tmp_path):
    build_caseload(db)
    folder = export_month(
        db, MONTH, tmp_path / "new", "csv", today=TODAY, checklist=checklist_of(db)
    ).path  # one missing folder is made
    xlsx = export_month(db, MONTH, tmp_path / "new" / "deeper", "xlsx", today=TODAY, checklist=checklist_of(db)).path
    assert xlsx.name == "mhtr-return-2026-10.xlsx" and _mode(xlsx) == 0o600
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "deeper") == 0o700
    assert folder.name == "mhtr-return-2026-10" and _mode(folder) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == [
        "about.csv",
        "characteristics.csv",
        "mhtr.csv",
        "outcomes.csv",
        "reasons.csv",
    ]
    assert all(_mode(p) == 0o600 for p in folder.iterdir())
    assert [p.name for p in (tmp_path / "new").iterdir() if p.name.startswith(".")] == []


def test_a_failed_write_leaves_the_earlier_export_whole(db, tmp_path, monkeypatch):
    build_caseload(db)
    folder = export_month(db, MONTH, tmp_path, "csv", today=TODAY, checklist=checklist_of(db)).path
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = []

    def failing(sheet):
        calls.append(sheet.name)
        if len(calls) == 3:
            raise OSError("disk full")
        return "x\r\n"

    monkeypatch.setattr(F, "csv_text", failing)
    with pytest.raises(OSError):
        export_month(db, MONTH, tmp_path, "csv", today=TODAY, checklist=checklist_of(db))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mhtr-return-2026-10",
        "test.db",
        "test.db-checked",
        "test.db-shm",
        "test.db-wal",
    ]


def _sheet() -> Sheet:
    rows = tuple((text, i, 1.25, date(2026, 10, i + 1)) for i, text in enumerate(FORMULAS))
    return Sheet("Test", "=Title", ("=Heading", "Count", "Mean", "Date"), rows)


def test_formula_like_text_stays_text_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    path = F.write_xlsx(tmp_path / "t.xlsx", [_sheet()], F.Properties("=title", "=author", "=service", WRITTEN))
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(path)["Test"]
    assert [ws.cell(r, 1).value for r in range(3, 3 + len(FORMULAS))] == list(FORMULAS)
    assert all(ws.cell(r, 1).data_type == "s" for r in range(1, 3 + len(FORMULAS)))
    assert ws.cell(3, 4).is_date and ws.cell(3, 4).value.date() == date(2026, 10, 1)
    assert ws.cell(3, 3).value == 1.25 and isinstance(ws.cell(3, 2).value, int)


def test_formula_like_text_is_defused_in_csv():
    rows = list(csv.reader(F.csv_text(_sheet()).splitlines()))
    assert rows[0][0] == "'=Heading"
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert rows[1][1:] == ["0", "1.25", "2026-10-01"]


def _properties(path) -> tuple:
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
    return load_workbook(path).properties, app


def test_a_workbook_names_the_service_and_the_time_it_was_written_and_no_person(db, tmp_path, monkeypatch):
    from db import records as rec
    from db.connection import connect
    from exports.monthly import export_caseload, merge_returns

    monkeypatch.setenv("MHTR_USER", "Pqzuser Person")
    build_caseload(db)
    rec.set_setting(db, "service_name", "Fenland MHTR Service")
    rec.set_setting(db, "practitioner", "Jamie Rowe, Assistant Psychologist")
    written = datetime(2026, 11, 20, 14, 37, tzinfo=UTC)
    path = export_month(db, MONTH, tmp_path, today=TODAY, checklist=checklist_of(db), now=written).path
    props, app = _properties(path)
    assert props.creator == props.lastModifiedBy == "Fenland MHTR Service"
    assert props.title == "MHTR monthly data return: October 2026" and props.subject == "Fenland MHTR Service"
    assert props.created == props.modified == datetime(2026, 11, 20, 14, 37)  # UTC, not midnight of the day
    assert "<Application>mhtr-tui</Application>" in app and "<Company>Fenland MHTR Service</Company>" in app
    with zipfile.ZipFile(path) as z:
        meta = z.read("docProps/core.xml").decode() + app
    assert "Pqzuser" not in meta and "Jamie" not in meta and "Openpyxl" not in meta
    # the caseload data too: the service's data, not the practitioner's document
    caseload = export_caseload(db, MONTH, tmp_path / "c", today=TODAY, now=written).path
    props, app = _properties(caseload)
    assert props.creator == props.lastModifiedBy == "Fenland MHTR Service" and props.subject == "Fenland MHTR Service"
    assert props.created == props.modified == datetime(2026, 11, 20, 14, 37) and "Jamie" not in app
    # a site return made from returns of one service names it; made without a clock, it is stamped when written
    mine = export_month(
        db, MONTH, tmp_path / "m", today=TODAY, checklist=checklist_of(db), threshold=0, now=written
    ).path
    colleague = connect(tmp_path / "colleague.db", create=True)  # a colleague's database, nothing recorded yet
    rec.set_setting(colleague, "service_name", "Fenland MHTR Service")
    theirs = export_month(
        colleague, MONTH, tmp_path / "t", today=TODAY, checklist=checklist_of(colleague), threshold=0, now=written
    ).path
    colleague.close()
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    merged = merge_returns([mine, theirs], tmp_path / "site.xlsx", today=TODAY).path
    props, app = _properties(merged)
    assert props.creator == "Fenland MHTR Service" and "<Company>Fenland MHTR Service</Company>" in app
    assert before <= props.created <= datetime.now(UTC).replace(tzinfo=None)  # the moment of writing


def test_dates_in_the_return_are_dates(db, tmp_path):
    from openpyxl import load_workbook

    build_caseload(db)
    ws = load_workbook(export_month(db, MONTH, tmp_path, today=TODAY, checklist=checklist_of(db)).path)["About"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(3, 20)}
    assert cells["First day of the month"].is_date and cells["First day of the month"].value.date() == date(2026, 10, 1)
    assert cells["Produced on"].value.date() == TODAY


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-13", "there is no month 13"),
        ("2026-00", "there is no month 0"),
        ("October", "must be written YYYY-MM"),
        ("26-10", "must be written YYYY-MM"),
        ("2026-12", "December 2026 is in the future"),
        ("2031-01", "January 2031 is in the future"),
    ],
)
def test_bad_months_are_refused_and_nothing_is_written(db, tmp_path, text, message):
    with pytest.raises(ValidationError, match=message):
        export_month(db, text, tmp_path / "out", today=TODAY, checklist=checklist_of(db))
    assert not (tmp_path / "out").exists()


def test_the_month_in_progress_is_allowed_and_periods_are_right():
    assert parse_month("2026-11", TODAY) == date(2026, 11, 1)
    month, rolling = return_periods(date(2026, 2, 1))
    assert (month.start, month.end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (rolling.start, rolling.end) == (date(2025, 3, 1), date(2026, 2, 28))
    assert rolling.label == "March 2025 to February 2026" and month.label == "February 2026"


def test_output_paths(tmp_path):
    assert output_path(tmp_path / "r.xlsx", "xlsx", "stem") == tmp_path / "r.xlsx"
    assert output_path(tmp_path, "xlsx", "stem") == tmp_path / "stem.xlsx"
    assert output_path(tmp_path / "new", "csv", "stem") == tmp_path / "new" / "stem"
    with pytest.raises(ValidationError, match="a CSV export is a folder"):
        output_path(tmp_path / "r.csv", "csv", "stem")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ValidationError, match="is a file"):
        output_path(tmp_path / "file.txt", "xlsx", "stem")


US_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value>
</prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>en-US</value></prop></item>
</oor:items>
"""


def test_the_return_prints_on_a4_landscape_one_page_wide_with_its_headings_on_every_page(db, tmp_path):
    from openpyxl import load_workbook

    from exports.monthly import export_caseload

    build_caseload(db)
    wb = load_workbook(export_month(db, "2026-10", tmp_path, today=TODAY, checklist=checklist_of(db)).path)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", int(ws.PAPERSIZE_A4)), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == "$1:$2" and ws.oddFooter.right.text == "Page &P of &N"
    mhtr = wb["MHTR"]
    markers = [row[1] for row in mhtr.iter_rows(min_row=3) if row[1].value in ("<5", "[c]")]
    assert markers and all(c.alignment.horizontal == "right" for c in markers)  # in line with the numbers
    about = wb["About"]
    long_rows = [row for row in about.iter_rows(min_row=3) if len(str(row[1].value or "")) > 300]
    assert long_rows and all(r[1].alignment.wrap_text and about.row_dimensions[r[1].row].height > 30 for r in long_rows)
    caseload = load_workbook(export_caseload(db, "2026-10", tmp_path, today=TODAY).path)["Caseload"]
    # 37 columns: printed at full size across pages, the case reference and the headings on each
    assert not caseload.sheet_properties.pageSetUpPr.fitToPage and caseload.print_title_cols == "$A:$A"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook_and_reads_the_same_cells(db, tmp_path):
    build_caseload(db)
    from exports import sheets as S
    from exports.monthly import load_facts
    from exports.returns import build_return
    from questionnaires import DEFAULT
    from tests.exports_support import DEADLINES

    facts = load_facts(db, date(2026, 10, 31))
    ret = build_return(
        facts, date(2026, 10, 1), TODAY, scoring=DEFAULT, deadlines=DEADLINES, service="=1+2 service"
    )
    path = F.write_xlsx(tmp_path / "r.xlsx", [*S.return_sheets(ret), _sheet()], F.Properties("t", "a", "s", WRITTEN))
    out = tmp_path / "lo"
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1"
    # a LibreOffice set to a US locale, where a date in the locale's own format would read 10/31/2026
    (tmp_path / "profile" / "user").mkdir(parents=True)
    (tmp_path / "profile" / "user" / "registrymodifications.xcu").write_text(US_LOCALE, encoding="utf-8")
    proc = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            filt,
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    produced = {p.stem.removeprefix("r-"): p for p in out.glob("*.csv")}
    assert set(produced) == {"MHTR", "Characteristics", "Outcomes", "Reasons", "About", "Test"}

    def read(name):
        with open(produced[name], encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    test = read("Test")
    assert test[0][0] == "=Title" and test[1][0] == "=Heading"
    assert [r[0] for r in test[2:]] == list(FORMULAS)  # shown as typed, not worked out
    assert test[2][1:] == ["0", "1.3", "01/10/2026"]  # 1.25 shown to 1 dp, the date as a date
    mhtr = read("MHTR")
    assert mhtr[1] == ["Measure", "October 2026", "12 months to October 2026 (November 2025 to October 2026)"]
    rows = {r[0]: r[1:] for r in mhtr[2:]}
    assert rows["Screened at court"] == ["<5", "[c]"]  # 8 in the year, hidden with October's "<5"
    assert rows["Clinical Lead decisions"] == ["<5", "[c]"]
    assert rows["Breach related to another requirement"] == ["0", "0"]
    about = {r[0]: r[1] for r in read("About")[2:] if r}
    assert about["Service"] == "=1+2 service" and about["First day of the month"] == "01/10/2026"
    assert about["Last day of the month"] == "31/10/2026"  # day first, in a US locale too
