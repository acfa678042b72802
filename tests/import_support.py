"""Synthetic caseload spreadsheets written the way practitioners write them (synthetic people only).

The workbook has a title merged across the top, a "Key dates" group heading merged over the date columns,
headings with trailing spaces, a blank row between months, dates as Excel date cells, day-first text, ``3 Apr
25`` and ``tbc``, an NHS number typed into a number cell, and a totals row at the bottom.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

HEADINGS = [
    "Client name ", "DOB", "NHS No.", "GP surgery", "Referral from", "Offence", "Screened", "Assessed",
    "CL decision", "Sentence date", "Sessions attended", "Last session", "Completed", "Notes",
]

# name, dob, nhs, gp, referral, offence, screened, assessed, cl, sentence, sessions, last session, completed, notes
ROWS = [
    # row 5: completed last spring; dates as Excel date cells
    ["Robin Synthetic", datetime(1987, 3, 14), 9990000034, "Riverside Surgery", "L&D", "Theft",
     datetime(2025, 3, 3), datetime(2025, 3, 10), "Approved 12/03/2025", datetime(2025, 4, 2), 12,
     datetime(2025, 7, 2), datetime(2025, 7, 9), "moved to Ely"],
    # row 6: in treatment; day-first text dates, a two-digit year, trailing spaces
    ["  Alex Testperson ", "02/11/1990 ", "999 000 0018", "Parkside Medical Centre ", "Probation ",
     "Criminal Damage", "01/09/2026", "3 Sep 26", "approved 08/09/2026", "15/09/2026", "4", "10/11/2026",
     None, None],
    None,  # a blank row between months
    # row 8: awaiting the Clinical Lead (assessed, decision not made yet)
    ["Sam Example", "1/1/1975", None, "Hill Lane Practice", "Solicitor", "Harassment", "02/11/2026",
     "09/11/2026", "tbc", None, None, None, None, "awaiting CL"],
    # row 9: declined by the Clinical Lead
    ["Jo Placeholder", "14/03/82", "9990000026", None, "Court staff", "Arson", "20/10/2026", "27/10/2026",
     "Declined 03/11/2026", None, None, None, None, None],
]
TOTALS = ["Total", None, None, None, None, None, None, None, None, None, "=SUM(K5:K9)", None, None, None]


def write_caseload(path: Path, rows: list | None = None, *, headings: list[str] | None = None) -> Path:
    """The caseload workbook: title on row 1, group headings on row 3, headings on row 4, data from row 5."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Caseload 2026"
    headings = headings or HEADINGS
    ws.append(["Primary Care MHTR caseload - Synthetic Trust"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    ws.append([])
    ws.append([None] * 6 + ["Key dates"])
    ws.merge_cells(start_row=3, start_column=7, end_row=3, end_column=10)
    ws.append(headings)
    for row in ROWS if rows is None else rows:
        ws.append(row or [])
    ws.append(TOTALS)
    for cell in ws["B"][4:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


def write_csv(path: Path, lines: list[str], encoding: str = "cp1252") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path
