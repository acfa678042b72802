"""Hostile or broken spreadsheets are refused in one line before they are read in full: a workbook hiding one
huge string, one declaring a sheet of a billion cells, a CSV of gigabytes, a cell the size of a book; no refusal
repeats a cell back."""

from __future__ import annotations

import os
import re
import tracemalloc
import zipfile

import pytest

from importer.sheets import MAX_CELL_CHARS, MAX_COLUMNS, MAX_FILE_BYTES, ImportFileError, read_sheet
from tests.conftest import snapshot_counts
from tests.import_support import HEADINGS, ROWS, write_caseload, write_csv


def _rewrite(path, part: str, change) -> None:
    """Replace one part of a workbook (its XML, changed by ``change``; None for a new part), keeping the others."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    parts[part] = change(parts.get(part))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def _with_shared_string(path, text: bytes) -> None:
    """Move the first client's name into the workbook's shared-string table, as Excel keeps text, as ``text``."""
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    _rewrite(path, "xl/sharedStrings.xml", lambda _: b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + main
             + b'" count="1" uniqueCount="1"><si><t>' + text + b"</t></si></sst>")
    _rewrite(path, "[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    _rewrite(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    _rewrite(path, _sheet_part(path), lambda xml: re.sub(
        rb'<c r="A5"([^>]*?) t="inlineStr"><is><t>Robin Synthetic</t></is></c>', rb'<c r="A5"\1 t="s"><v>0</v></c>',
        xml))


def _sheet_part(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return next(n for n in zf.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))


def _peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
    except ImportFileError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1e6


def test_a_workbook_hiding_one_huge_string_is_refused_before_it_is_unpacked(run, tmp_path):
    path = write_caseload(tmp_path / "c.xlsx")
    _with_shared_string(path, b"Robin Synthetic")
    assert read_sheet(path).rows[0][1][0] == "Robin Synthetic"  # the workbook reads as before
    _with_shared_string(path, b"A" * 40_000_000)  # compresses to a few tens of kilobytes
    assert path.stat().st_size < 1_000_000
    before = snapshot_counts_of(run.path)
    code, out, err = run("import", str(path), "--dry-run")
    assert code == 2 and out == "" and err.count("\n") == 1 and len(err) < 400
    assert "unpacks to more than a caseload spreadsheet can hold (xl/sharedStrings.xml" in err
    assert snapshot_counts_of(run.path) == before
    assert _peak_mb(lambda: read_sheet(path)) < 20


def test_a_sheet_declaring_a_billion_cells_reads_as_the_rows_it_holds(tmp_path):
    path = write_caseload(tmp_path / "c.xlsx")
    plain = read_sheet(path)
    part = _sheet_part(path)
    _rewrite(path, part, lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml))
    with zipfile.ZipFile(path) as zf:
        assert b"XFD1048576" in zf.read(part)
    assert _peak_mb(lambda: read_sheet(path)) < 40
    declared = read_sheet(path)
    assert declared.headings[: len(HEADINGS)] == plain.headings[: len(HEADINGS)]
    assert [n for n, _ in declared.rows] == [n for n, _ in plain.rows]


def test_a_csv_of_gigabytes_is_refused_by_its_size_without_reading_it(run, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.write(b"Name,DOB\n")
        fh.truncate(3_000_000_000)  # sparse: no disk used, nothing to read
    code, out, err = run("import", str(path), "--dry-run")
    assert code == 2 and err.count("\n") == 1
    assert f"huge.csv is 3,000 MB; a caseload spreadsheet is at most {MAX_FILE_BYTES // 10**6} MB" in err
    os.remove(path)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_cell_the_size_of_a_book_is_refused_naming_where_not_what(run, tmp_path, kind):
    long_note = "x" * (MAX_CELL_CHARS + 1)
    rows = [[*ROWS[0][:13], long_note]]
    if kind == "xlsx":
        path = write_caseload(tmp_path / "c.xlsx", rows)
        where = "row 5, column 14"
    else:
        path = write_csv(tmp_path / "c.csv", [",".join(HEADINGS), "Robin Synthetic,14/03/1987," + long_note])
        where = "row 2, column 3"
    code, out, err = run("import", str(path), "--dry-run")
    assert code == 2 and err.count("\n") == 1 and "xxxxxxxxxx" not in err
    assert f"{where} holds {MAX_CELL_CHARS + 1:,} characters (at most {MAX_CELL_CHARS:,})" in err


def test_data_beyond_the_last_column_a_caseload_has_is_refused(run, tmp_path):
    path = write_csv(tmp_path / "wide.csv", [",".join(HEADINGS), ",".join(["x"] * (MAX_COLUMNS + 5))])
    code, _, err = run("import", str(path), "--dry-run")
    assert code == 2 and f"has data beyond column {MAX_COLUMNS}" in err and err.count("\n") == 1


def test_a_refusal_quotes_a_long_cell_cut_short(run, tmp_path):
    odd = "z" * 3000
    path = write_csv(tmp_path / "c.csv", [",".join(HEADINGS), f"Robin Synthetic,{odd}"])
    code, out, err = run("import", str(path), "--dry-run")
    assert "z" * 100 not in out + err and "zzz…'" in out + err


def test_terminal_control_in_a_sheet_is_a_row_that_cannot_be_read(run, tmp_path):
    # A workbook cannot hold C0 controls, but it holds bidi overrides and zero-width characters; a CSV holds any.
    rows = [["Robin \u202eoitehtnyS", *ROWS[0][1:]], ROWS[1]]
    code, out, err = run("import", str(write_caseload(tmp_path / "c.xlsx", rows)), "--dry-run")
    assert "the name holds a character that is not text (U+202E" in out
    path = write_csv(tmp_path / "c.csv", [",".join(HEADINGS), "Robin \x1b]0;pwned\x07Synthetic,14/03/1987"])
    code, out, err = run("import", str(path), "--dry-run")
    assert "the name holds a character that is not text (U+001B" in out
    assert "\x1b" not in out + err and "\u202e" not in out + err


def snapshot_counts_of(path):
    from db.connection import connect

    db = connect(path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()
