"""Reading a caseload spreadsheet (.xlsx or .csv) into a heading row and numbered data rows.

People's sheets have a title merged across the top, a second heading row above the real one, blank rows
between months, trailing spaces and a totals row at the bottom. The heading row is the row (in the first 30)
whose cells read most like our headings; rows after it are kept with their spreadsheet row numbers so every
report can say "row 14". A file that is not a spreadsheet, an old .xls or a password-protected workbook (both
are OLE2 compound files, signature D0 CF 11 E0) is refused with one line before anything else happens.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from importer.cells import clean_text
from importer.mapping import heading_score
from vocabulary.identity import ValidationError

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP = b"PK\x03\x04"
HEADING_SEARCH_ROWS = 30
MAX_ROWS = 5000
MAX_BLANK_RUN = 1000
# Limits checked before a file is read in full, so a hostile or broken file is refused in one line instead of
# taking the machine's memory (a 390 KB workbook can hold one 400 MB string; a 32 KB one can declare a sheet of
# a billion cells; a CSV can be gigabytes). A caseload of 5,000 rows is well inside every one of them.
MAX_FILE_BYTES = 25_000_000  # the file on disk
MAX_PART_BYTES = 64_000_000  # any one part of a workbook, unpacked (a sheet's XML)
MAX_SHARED_STRINGS_BYTES = 16_000_000  # the workbook's table of text, unpacked (read whole by openpyxl)
MAX_UNPACKED_BYTES = 256_000_000  # every part together, unpacked
MAX_COLUMNS = 200
MAX_CELL_CHARS = 4000  # the longest note the app keeps


class ImportFileError(ValidationError):
    """A file that cannot be imported at all (not a spreadsheet, encrypted, no recognisable columns)."""


@dataclass
class Sheet:
    """One table: where it came from, its headings and its data rows (spreadsheet row number, cells)."""

    source: str
    sheet_name: str | None
    heading_row: int
    headings: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)


def read_sheet(path: Path | str) -> Sheet:
    """The caseload table in ``path``; raises ImportFileError with one line if there is none."""
    path = Path(path)
    try:
        if not path.is_file():
            raise ImportFileError(f"no file {path}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                f"{path.name} is {size / 1e6:,.0f} MB; a caseload spreadsheet is at most {MAX_FILE_BYTES // 10**6} MB "
                "(split it, or save only the caseload sheet)"
            )
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(OLE2):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFileError(
                f"{path.name} is a password-protected workbook; open it in Excel, remove the password "
                "(File > Info > Protect Workbook) and save a copy as .xlsx"
            )
        raise ImportFileError(f"{path.name} is an old Excel 97-2003 (.xls) workbook; save it as .xlsx or .csv")
    if head.startswith(ZIP) or path.suffix.casefold() in (".xlsx", ".xlsm"):
        tables: list[tuple[str | None, list[list]]] = list(_xlsx_tables(path))
    elif path.suffix.casefold() in (".csv", ".txt", ".tsv") or not path.suffix:
        tables = [(None, _csv_rows(path))]
    else:
        raise ImportFileError(f"{path.name} is not a spreadsheet this can read; use .xlsx or .csv")
    best: Sheet | None = None
    best_score = 0
    for name, rows in tables:
        sheet, score = _table(path.name, name, rows)
        if score > best_score:
            best, best_score = sheet, score
    if best is None or best_score < 2:
        raise ImportFileError(
            f"{path.name} has no recognisable caseload columns (looked for headings such as Name, DOB, NHS No, "
            "Screened, Assessed, Sentence date in the first 30 rows)"
        )
    return best


def _xlsx_tables(path: Path) -> list[tuple[str, list[list]]]:
    import zipfile

    from openpyxl import load_workbook

    _check_parts(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ImportFileError(f"{path.name} is not an Excel workbook that can be read ({exc})") from None
    except Exception as exc:  # openpyxl's InvalidFileException and parse errors of damaged files
        raise ImportFileError(f"{path.name} is not an Excel workbook that can be read ({exc})") from None
    try:
        out = []
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            rows: list[list] = []
            filled = blanks = 0
            # As many columns as the sheet declares, but never more than a caseload has (a sheet may declare
            # 16,384 of them): one beyond the limit is read to tell whether anything is there.
            width = min(ws.max_column or MAX_COLUMNS + 1, MAX_COLUMNS + 1)
            for number, cells in enumerate(ws.iter_rows(max_col=width, values_only=True), start=1):
                row = _within_limits(path, ws.title, number, cells)
                # Formatting dragged down a whole column makes thousands of empty rows: keep their numbers, not
                # them, and stop after a long run of them (nobody leaves a thousand blank rows inside a caseload).
                if all(c is None for c in row):
                    rows.append([])
                    blanks += 1
                    if blanks > MAX_BLANK_RUN:
                        break
                    continue
                filled, blanks = filled + 1, 0
                if filled > MAX_ROWS:
                    raise ImportFileError(f"sheet {ws.title!r} has more than {MAX_ROWS} rows; split the file")
                rows.append(list(row))
            while rows and not rows[-1]:
                rows.pop()
            out.append((ws.title, rows))
        return out
    finally:
        wb.close()


def _check_parts(path: Path) -> None:
    """Refuse a workbook whose parts, unpacked, would be too big to read (checked from the zip's directory,
    before anything is unpacked)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(f"{path.name} is not an Excel workbook that can be read ({exc})") from None
    total = 0
    for part in parts:
        total += part.file_size
        limit = MAX_SHARED_STRINGS_BYTES if part.filename.endswith("sharedStrings.xml") else MAX_PART_BYTES
        if part.file_size > limit or total > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                f"{path.name} unpacks to more than a caseload spreadsheet can hold ({part.filename}: "
                f"{part.file_size / 1e6:,.0f} MB); save only the caseload sheet as a new workbook, or as .csv"
            )


def _within_limits(path: Path, sheet: str | None, number: int, row) -> list:
    """One row as read, refused if it reaches past ``MAX_COLUMNS`` or holds a cell longer than ``MAX_CELL_CHARS``
    (the refusal names the place, never the cell's contents)."""
    row = list(row)
    where = f"{path.name}" + (f", sheet {sheet!r}" if sheet else "") + f", row {number}"
    if len(row) > MAX_COLUMNS:
        if any(c not in (None, "") for c in row[MAX_COLUMNS:]):
            raise ImportFileError(f"{where} has data beyond column {MAX_COLUMNS}; a caseload has fewer columns")
        row = row[:MAX_COLUMNS]
    for column, cell in enumerate(row, start=1):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise ImportFileError(
                f"{where}, column {column} holds {len(cell):,} characters (at most {MAX_CELL_CHARS:,}); "
                "shorten it and save again"
            )
    return row


def _csv_rows(path: Path) -> list[list]:
    data = path.read_bytes()  # at most MAX_FILE_BYTES, checked before
    if b"\x00" in data[:4096]:
        raise ImportFileError(f"{path.name} is not a text spreadsheet (it holds binary data); use .xlsx or .csv")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(f"{path.name} is neither UTF-8 nor Windows-1252 text; save it again as CSV UTF-8")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + HEADING_SEARCH_ROWS + MAX_BLANK_RUN:
                raise ImportFileError(f"{path.name} has more than {MAX_ROWS} rows; split the file")
            rows.append([c if c.strip() else None for c in _within_limits(path, None, number, row)])
    except csv.Error as exc:  # a field past the csv module's own limit, a NUL in the text
        raise ImportFileError(f"{path.name}, row {reader.line_num} cannot be read as CSV ({exc})") from None
    if sum(1 for r in rows if any(c is not None for c in r)) > MAX_ROWS:
        raise ImportFileError(f"{path.name} has more than {MAX_ROWS} rows; split the file")
    return rows


def _is_blank(row: list) -> bool:
    return all(c is None or clean_text(c) == "" for c in row)


_TOTALS = re.compile(r"^(?:grand |sub ?)?totals?\b|^(?:count|sum|average)$")


def _totals(row: list) -> bool:
    """"Total", "Totals:", "Total cases 25", "Grand total", "Count": not a client (a client's name never is)."""
    first = next((clean_text(c) for c in row if c is not None and clean_text(c)), "")
    return bool(_TOTALS.match(first.casefold().rstrip(": ")))


def _table(source: str, name: str | None, rows: list[list]) -> tuple[Sheet | None, int]:
    best_i, best_score = -1, 0
    for i, row in enumerate(rows[:HEADING_SEARCH_ROWS]):
        score = heading_score([clean_text(c) if isinstance(c, str) else c for c in row])
        if score > best_score:
            best_i, best_score = i, score
    if best_i < 0:
        return None, 0
    headings = [clean_text(c) for c in rows[best_i]]
    sheet = Sheet(source, name, best_i + 1, headings)
    width = len(headings)
    for number, row in enumerate(rows[best_i + 1 :], start=best_i + 2):
        row = list(row[:width]) + [None] * (width - len(row))
        if _is_blank(row):
            continue
        if _totals(row):
            sheet.ignored.append((number, "a totals row"))
            continue
        if [clean_text(c) for c in row] == headings:
            sheet.ignored.append((number, "the headings again"))
            continue
        sheet.rows.append((number, row))
    return sheet, best_score


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv")


def spreadsheets_in(folders: list[Path], limit: int = 30) -> list[Path]:
    """Spreadsheets directly in ``folders`` (not their subfolders), newest first: what the file picker offers.

    Office's lock files (``~$caseload.xlsx``) and hidden files are left out; folders that do not exist or
    cannot be read are passed over.
    """
    found: dict[Path, float] = {}
    for folder in folders:
        try:
            entries = list(Path(folder).expanduser().iterdir())
        except OSError:
            continue
        for p in entries:
            if p.suffix.casefold() in SPREADSHEET_SUFFIXES and not p.name.startswith(("~$", ".")):
                try:
                    if p.is_file():
                        found[p.resolve()] = p.stat().st_mtime
                except OSError:
                    continue
    return sorted(found, key=lambda p: (-found[p], p.name))[:limit]
