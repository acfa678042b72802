"""Word letters and the monthly export, each beside the plain library doing the same writing.

    .venv/bin/python -m bench.documents letters|letters-floor|export --db PATH --out DIR --json OUT

Each mode runs in a fresh process (``bench.run`` starts them), so the first letter pays its imports as the
first letter of a practitioner's day does, and one mode's warm caches do not help another:

* ``letters``: ``letters.documents.write_document`` for 50 cases' GP letters, on a scratch copy of the
  database (it records each document and ticks its task). Times the first letter (imports included) and all 50,
  then saves each letter's content (paragraph texts and table cells) for the floor.
* ``letters-floor``: plain python-docx building the same documents from that content (import included in the
  first), the least any letter writer must pay.
* ``export``: ``exports.monthly.export_month`` for the last full month (the return covers the month and the
  rolling 12 months ending with it, i.e. a year), as CSV, cold then warm; then the csv module writing the same
  rows into the same files. The caseload export (one row per case) likewise.

A package that another engineer has not finished yet (not importable) is reported, not guessed at.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

LETTERS = 50


def _gp_letter_refs(db_path: Path, n: int) -> list[str]:
    """The ``n`` most recent cases with a court outcome (each one's GP letter is due)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            """SELECT cases.ref FROM events JOIN cases ON cases.id = events.case_id
               WHERE events.kind = 'court-outcome' GROUP BY cases.id ORDER BY max(events.date) DESC LIMIT ?""",
            (n,),
        ).fetchall()
    finally:
        conn.close()
    return [r[0] for r in rows]


def _content(path: Path) -> dict:
    """What a letter says, in order: paragraphs (text, style) and tables (rows of cell texts)."""
    import docx

    d = docx.Document(str(path))
    body = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
            body.append(["p", text])
        elif tag == "tbl":
            rows = []
            for tr in block.iter():
                if tr.tag.endswith("}tr"):
                    rows.append(["".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t"))
                                 for tc in tr if tc.tag.endswith("}tc")])
            body.append(["t", rows])
    return {"body": body}


def letters(db_path: Path, out: Path) -> dict:
    t0 = time.perf_counter()
    try:
        from db.connection import connect
        from letters.documents import write_document
        from service.core import checklist_of
    except ImportError as exc:
        return {"error": f"letters/ is not importable yet ({exc})"}
    refs = _gp_letter_refs(db_path, LETTERS)
    db = connect(db_path)
    t_open = time.perf_counter()
    times, paths = [], []
    for i, ref in enumerate(refs):
        s = time.perf_counter()
        target = out / f"{i:02d}-{ref}-gp.docx"
        written = write_document(db, "gp-letter", ref, target, today=date.today(), checklist=checklist_of(db))
        times.append(time.perf_counter() - s)
        paths.append(written.path)
    total = time.perf_counter() - t_open
    db.close()
    contents = [_content(p) for p in paths]
    (out / "contents.json").write_text(json.dumps(contents))
    return {
        "letters": len(refs),
        "first_s": (t_open - t0) + times[0],  # imports + open + the first letter
        "first_letter_only_s": times[0],
        "all_s": total + (t_open - t0),
        "median_s": sorted(times)[len(times) // 2],
        "paragraphs": sum(len(c["body"]) for c in contents) / max(1, len(contents)),
    }


def letters_floor(out: Path) -> dict:
    contents = json.loads((out / "contents.json").read_text())
    t0 = time.perf_counter()
    import docx

    times = []
    for i, c in enumerate(contents):
        s = time.perf_counter()
        d = docx.Document()
        for kind, value in c["body"]:
            if kind == "p":
                d.add_paragraph(value)
            else:
                cols = max((len(r) for r in value), default=1)
                table = d.add_table(rows=len(value), cols=cols)
                for r, row in enumerate(value):
                    for k, text in enumerate(row):
                        table.cell(r, k).text = text
        d.save(str(out / f"floor-{i:02d}.docx"))
        times.append(time.perf_counter() - s)
    total = time.perf_counter() - t0
    return {"letters": len(contents), "first_s": total - sum(times[1:]), "all_s": total,
            "median_s": sorted(times)[len(times) // 2]}


def _csv_rows(folder: Path) -> dict[str, list[list[str]]]:
    import csv

    out = {}
    for f in sorted(folder.glob("*.csv")):
        with open(f, newline="", encoding="utf-8-sig") as fh:
            out[f.name] = list(csv.reader(fh))
    return out


def _csv_floor(sheets: dict[str, list[list[str]]], folder: Path, repeat: int = 5) -> float:
    """Best of ``repeat``: the csv module writing the same rows into the same number of files."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    best = float("inf")
    for _ in range(repeat):
        s = time.perf_counter()
        for name, rows in sheets.items():
            with open(folder / name, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(rows)
        best = min(best, time.perf_counter() - s)
    return best


def export(db_path: Path, out: Path) -> dict:
    t0 = time.perf_counter()
    try:
        from db.connection import connect
        from exports.monthly import export_caseload, export_month
        from service.core import checklist_of
    except ImportError as exc:
        return {"error": f"exports/ is not importable yet ({exc})"}
    today = date.today()
    first = date(today.year, today.month, 1)
    last_month = date(first.year - (first.month == 1), 12 if first.month == 1 else first.month - 1, 1)
    month = f"{last_month:%Y-%m}"
    db = connect(db_path)
    t_open = time.perf_counter()
    res = export_month(db, month, out / "cold", "csv", today=today, checklist=checklist_of(db))
    cold = time.perf_counter() - t0
    s = time.perf_counter()
    export_month(db, month, out / "warm", "csv", today=today, checklist=checklist_of(db))
    warm = time.perf_counter() - s
    s = time.perf_counter()
    cl = export_caseload(db, month, out / "caseload", "csv", today=today)
    caseload = time.perf_counter() - s
    db.close()
    ret_rows = _csv_rows(res.path)
    cl_rows = _csv_rows(cl.path)
    return {
        "month": month,
        "cases": res.cases,
        "open_s": t_open - t0,
        "cold_s": cold,
        "warm_s": warm,
        "files": len(ret_rows),
        "rows": sum(len(r) for r in ret_rows.values()),
        "floor_s": _csv_floor(ret_rows, out / "floor-return"),
        "caseload_s": caseload,
        "caseload_rows": sum(len(r) for r in cl_rows.values()),
        "caseload_floor_s": _csv_floor(cl_rows, out / "floor-caseload"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=("letters", "letters-floor", "export"))
    p.add_argument("--db", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--json", type=Path, required=True)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.mode == "letters":
        result = letters(args.db, args.out)
    elif args.mode == "letters-floor":
        result = letters_floor(args.out)
    else:
        result = export(args.db, args.out)
    args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
