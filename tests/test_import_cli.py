"""``mhtr-tui import``: mapping and dry-run report printed, y/N before writing, one-line refusals with exit 2."""

from __future__ import annotations

import io
import json

import pytest

from db.connection import connect
from mhtr_tui import main
from tests.conftest import TODAY, made, snapshot_counts
from tests.import_support import ROWS, write_caseload


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    """Run the command as on 20/11/2026 (the dates in the synthetic sheet are relative to it)."""
    monkeypatch.setattr("cli.importer.today", lambda: TODAY)
    path = made(tmp_path / "cli.db")

    def _run(*args: str, answers: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(answers))
        code = main([*args, "--db", str(path)])
        out = capsys.readouterr()
        return code, out.out, out.err

    _run.path = path
    return _run


def counts(path) -> dict:
    db = connect(path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


def test_dry_run_prints_the_mapping_and_the_plan_and_writes_nothing(run, tmp_path):
    sheet = write_caseload(tmp_path / "caseload.xlsx")
    code, out, err = run("import", str(sheet), "--dry-run")
    assert code == 0, err
    assert "caseload.xlsx, sheet 'Caseload 2026': headings on row 4, 4 rows of data" in out
    assert "  Client name        -> Name" in out and "  Notes              -> (not imported)" in out
    assert "row 5    Robin Synthetic, born 14/03/1987: Completed" in out
    assert "row 8    Sam Example, born 01/01/1975: Awaiting CL decision" in out
    assert "note: CL decision 'tbc' is not known yet; read as blank" in out
    assert "Passed over row 10: a totals row" in out
    assert counts(run.path)["clients"] == 0


def test_asks_before_writing_and_no_means_nothing(run, tmp_path):
    sheet = write_caseload(tmp_path / "caseload.xlsx")
    code, _, err = run("import", str(sheet), answers="n\n")
    assert code == 1 and "Import 4 cases now? [y/N]" in err and "nothing imported" in err
    assert counts(run.path)["cases"] == 0
    code, out, err = run("import", str(sheet), answers="y\n")
    assert code == 0, err
    assert "imported 4 cases; MHTR-0001 to MHTR-0004" in out
    code, out, _ = run("client", "show", "MHTR-0002", "--json")
    shown = json.loads(out)
    assert shown["stage"] == "in-treatment"
    assert [e["kind"] for e in shown["events"]][:4] == ["screening", "assessment", "cl-decision", "court-outcome"]


def test_yes_imports_and_a_second_run_finds_everyone_already_held(run, tmp_path):
    sheet = write_caseload(tmp_path / "caseload.xlsx")
    assert run("import", str(sheet), "--yes")[0] == 0
    before = counts(run.path)
    code, out, _ = run("import", str(sheet), "--yes")
    assert code == 0
    assert "Already held, left as they are (4):" in out and "nothing to import" in out
    assert counts(run.path) == before


def test_json_prints_the_plan_and_the_result_only(run, tmp_path):
    sheet = write_caseload(tmp_path / "caseload.xlsx")
    code, out, _ = run("import", str(sheet), "--yes", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["imported"] == ["MHTR-0001", "MHTR-0002", "MHTR-0003", "MHTR-0004"]
    assert data["create"][0]["events"][0] == {"kind": "screening", "date": "2025-03-03"}
    assert data["mapping"]["Client name"] == "name" and data["mapping"]["Notes"] is None
    assert data["ignored"] == [{"row": 10, "why": "a totals row"}]


def test_a_bad_row_blocks_until_it_is_accepted_to_leave_it_out(run, tmp_path):
    bad = ["Lee Invalid", "14/03/1980", "999 000 0011"] + [None] * 11
    sheet = write_caseload(tmp_path / "c.xlsx", [*ROWS, bad])
    code, out, err = run("import", str(sheet), "--yes")
    assert code == 2
    assert "row 10   NHS number '999 000 0011' fails its check digit" in out
    assert err.strip() == ("mhtr-tui: 1 row cannot be read; nothing imported "
                           "(correct the sheet, or add --skip-bad to leave them out)")
    assert counts(run.path)["clients"] == 0
    code, _, err = run("import", str(sheet), answers="n\n")
    assert code == 1 and "Leave out the 1 row that cannot be read" in err
    assert counts(run.path)["clients"] == 0
    code, out, _ = run("import", str(sheet), answers="y\ny\n")
    assert code == 0 and "left out row 10" in out
    assert counts(run.path)["clients"] == 4


def test_skip_bad_with_yes_imports_the_readable_rows(run, tmp_path):
    bad = ["Lee Invalid", "tbc"] + [None] * 12
    sheet = write_caseload(tmp_path / "c.xlsx", [ROWS[0], bad])
    code, out, _ = run("import", str(sheet), "--yes", "--skip-bad")
    assert code == 0 and "imported 1 case; MHTR-0001" in out and "left out row 6" in out


def test_map_corrects_a_column_and_is_remembered(run, tmp_path):
    from tests.import_support import HEADINGS

    headings = [*HEADINGS[:6], "Date referred", *HEADINGS[7:]]
    sheet = write_caseload(tmp_path / "c.xlsx", [ROWS[4]], headings=headings)
    code, out, _ = run("import", str(sheet), "--dry-run")
    assert "  Date referred      -> (not imported)" in out
    code, out, _ = run("import", str(sheet), "--yes", "--map", "Date referred=screening")
    assert code == 0 and "  Date referred      -> Screening date" in out
    sheet2 = write_caseload(tmp_path / "next.xlsx", [ROWS[3]], headings=headings)
    code, out, _ = run("import", str(sheet2), "--dry-run")
    assert "  Date referred      -> Screening date" in out


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.xlsx", b"not a workbook", "notes.xlsx is not an Excel workbook that can be read"),
        ("locked.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"),
         "locked.xlsx is a password-protected workbook"),
        ("old.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64, "old.xls is an old Excel 97-2003 (.xls)"),
        ("list.csv", b"Favourite colour,Shoe size\nblue,9\n", "list.csv has no recognisable caseload columns"),
        ("picture.jpg", b"\xff\xd8\xff\xe0", "picture.jpg is not a spreadsheet this can read"),
    ],
)
def test_bad_files_are_refused_in_one_line_with_exit_2_and_nothing_written(run, tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    before = counts(run.path)
    code, out, err = run("import", str(tmp_path / name), "--yes")
    assert code == 2 and out == ""
    assert err.startswith(f"mhtr-tui: {message}") and err.count("\n") == 1
    assert counts(run.path) == before  # nothing written


def test_bad_map_is_refused(run, tmp_path):
    sheet = write_caseload(tmp_path / "c.xlsx")
    code, out, err = run("import", str(sheet), "--map", "Shoe size=dob")
    assert code == 2 and err.startswith("mhtr-tui: --map: no column headed 'Shoe size'")

