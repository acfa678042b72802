"""Writing sheets as an .xlsx workbook or a folder of CSV files, and reading them back for merging.

Every file is created readable by its owner only (0600, folders 0700) and appears whole or not at all: a
workbook is written to a temporary file beside its target and renamed; a CSV return is written into a
temporary folder that then takes the target folder's place. Text is always stored as text: in the workbook as
a string cell (never a formula, whatever it starts with), in CSV with a leading ``=``, ``+``, ``-`` or ``@``
defused by an apostrophe.

A workbook's document properties (what a file manager or File > Info shows before it is opened) say what it is,
for which service and when it was made, as the Word documents' do: the title, the service
as subject and company, the app as application, and the real time of writing (not midnight of the day). Its
author is whoever the caller names (``exports.monthly`` names the service, never a person).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from db.files import app_xml, private_dir, write_private, written_at
from exports.sheets import Sheet
from vocabulary.identity import ValidationError

FORMULA_START = ("=", "+", "-", "@")
# Day first whatever the reader's locale: the [$-809] tag (English, United Kingdom) makes the format explicit, so a
# spreadsheet set to a US locale shows 30/11/2026, never 11/30/2026.
DATE_FORMAT = "[$-809]DD/MM/YYYY"
DEFAULT_WIDTH = 13  # characters, a column with no width of its own
LINE_HEIGHT = 15  # points, one line of a wrapped heading
TEXT_PER_WIDTH = 1.2
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: str) -> str:
    """Text safe to store in a workbook: control characters (which xlsx cannot hold) removed."""
    return _CONTROL.sub("", value)


@dataclass(frozen=True)
class Properties:
    """What a workbook says of itself: its title, its author, the service and the moment it was written (the run's
    clock, ``service.clock.Clock.now``; None: when the file is written, ``db.files.written_at``)."""

    title: str
    author: str
    service: str
    written: datetime | None


def xlsx_bytes(sheets: Sequence[Sheet], props: Properties) -> bytes:
    """The workbook: one sheet per table (title row, bold header row, figures), dates as real dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    for blank in wb.worksheets:  # the empty sheet a new workbook starts with
        wb.remove(blank)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    right = Alignment(horizontal="right", vertical="top")
    top = Alignment(vertical="top")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name[:31])
        head = ws.cell(row=1, column=1)
        _set(head, sheet.title)
        head.font = Font(bold=True, size=12)
        widths = list(sheet.widths) + [DEFAULT_WIDTH] * (len(sheet.header) - len(sheet.widths))
        for c, heading in enumerate(sheet.header, 1):
            cell = ws.cell(row=2, column=c)
            _set(cell, heading)
            cell.font = bold
            cell.alignment = wrapped
        ws.row_dimensions[2].height = LINE_HEIGHT * max(
            (_lines(str(h), widths[c]) for c, h in enumerate(sheet.header)), default=1
        )
        for r, row in enumerate(sheet.rows):
            lines = 1
            for c, value in enumerate(row, 1):
                cell = ws.cell(row=r + 3, column=c)
                _set(cell, value)
                if r in sheet.headings:
                    cell.font = bold
                if sheet.figures and c > sheet.label_columns:
                    cell.alignment = right  # "<5" and "[c]" line up with the numbers
                elif isinstance(value, str) and _lines(value, widths[c - 1]) > 1:
                    cell.alignment = wrapped  # a long definition wraps in its column, not across the page
                    lines = max(lines, _lines(value, widths[c - 1]))
                else:
                    cell.alignment = top
            if lines > 1:  # spreadsheets do not all grow a row to its wrapped text: say how tall it is
                ws.row_dimensions[r + 3].height = LINE_HEIGHT * lines
        for c, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "B3"
        _page_setup(ws, sheet)
    core = wb.properties
    core.creator = core.lastModifiedBy = props.author
    core.title = props.title
    core.subject = props.service or None
    core.description = core.keywords = core.category = None
    core.created = core.modified = written_at(props.written)
    buf = io.BytesIO()
    wb.save(buf)
    return _with_properties(buf.getvalue(), core, props.service)


def _with_properties(workbook: bytes, core, service: str) -> bytes:
    """The workbook with its own core properties (the writer stamps "modified" with its clock on saving) and the
    app and the service (``db.files.app_xml``, as the Word documents) in place of the writer's "Openpyxl"."""
    from openpyxl.xml.functions import tostring

    core.modified = core.created
    parts = {"docProps/core.xml": tostring(core.to_tree()), "docProps/app.xml": app_xml(service)}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, parts.get(item.filename) or src.read(item.filename))
    return out.getvalue()


def _lines(text: str, width: int) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` wide (its own line breaks kept). A width
    counts digits; text in a proportional font fits about a fifth more letters."""
    room = max(1, int(width * TEXT_PER_WIDTH))
    return sum(max(1, -(-len(part) // room)) for part in text.split("\n"))


def _page_setup(ws, sheet: Sheet) -> None:
    """Print as the chair and a service file it: A4 landscape, every column on one page's width (as many pages
    down as it takes), the title and heading rows repeated on every page, page numbers in the footer. A sheet
    too wide to read on one page's width (the caseload data) prints at full size across pages, its first column
    repeated on each."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:2"
    if sheet.fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # 0: as many pages down as needed
    else:
        ws.print_title_cols = "A:A"
    ws.oddFooter.left.text = clean_text(sheet.name).replace("&", "&&")
    ws.oddFooter.right.text = "Page &P of &N"


def _set(cell, value) -> None:
    """Store ``value`` with its type: text as a string cell (never a formula), dates as dates."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        cell.value = "Yes" if value else "No"
    elif isinstance(value, datetime | date):
        cell.value = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int):
        cell.value = value
    elif isinstance(value, float):
        cell.value = value
        cell.number_format = "0.0"
    else:
        text = clean_text(str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # and it stays text when someone edits the cell


def defuse(text: str) -> str:
    """CSV text that a spreadsheet will not run: a leading = + - @ (or tab, carriage return) gets an apostrophe."""
    return "'" + text if text[:1] in (*FORMULA_START, "\t", "\r") else text


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return str(value)
    return defuse(clean_text(str(value)))


def csv_text(sheet: Sheet) -> str:
    """One table as CSV: the header row, then the rows (dates ISO, decimals to 2 places)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def write_xlsx(path: Path, sheets: Sequence[Sheet], props: Properties) -> Path:
    """Write the workbook at ``path`` (replacing an earlier export of the same name, whole)."""
    write_private(path, xlsx_bytes(sheets, props), overwrite=True)
    return path


def write_csv_folder(folder: Path, sheets: Sequence[Sheet]) -> Path:
    """Write one CSV per sheet into ``folder`` (owner-only), replacing an earlier export of the same name whole:
    the files are written into a temporary folder beside it, which then takes its place."""
    private_dir(folder.parent)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        os.chmod(tmp, 0o700)
        for sheet in sheets:
            write_private(tmp / sheet.csv_name, csv_text(sheet).encode("utf-8-sig"))
        if folder.exists():
            old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old."))
            os.replace(folder, old / folder.name)
            os.replace(tmp, folder)
            shutil.rmtree(old)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


# --- reading back (for merging) --------------------------------------------------------------------------------


def read_xlsx(path: Path) -> dict[str, list[list]]:
    """``{sheet name: rows}`` below each sheet's title row (the header row first). Formulas are read as formulas
    (``"=..."``), not as the values a spreadsheet last worked out, so that a merge can refuse them."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:
        raise ValidationError(f"{path} is not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(min_row=2, values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def read_csv_folder(folder: Path) -> dict[str, list[list]]:
    """``{sheet name: rows}`` of a CSV return folder; the sheet name is taken from the file name."""
    out = {}
    for file in sorted(folder.glob("*.csv")):
        with open(file, encoding="utf-8-sig", newline="") as fh:
            out[file.stem] = [list(r) for r in csv.reader(fh)]
    return out
