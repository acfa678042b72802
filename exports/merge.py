"""One site return from several practitioners' returns for the same month.

Each practitioner keeps their own database and exports their return with suppression off
(``--suppress-below 0``): counts that were already shown as "<5" could not be added up. The returns are read
back row by row against ``exports.layout`` (so a file from another version of mhtr-tui, or one edited by hand,
is refused rather than misread), the counts and the sums behind the means are added, means and rates are
worked out again, and the combined return is suppressed like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from exports import layout as L
from exports import sheets as S
from exports.files import read_csv_folder, read_xlsx
from exports.measures import Figures, empty_figures, finish
from exports.periods import month_end, month_name
from exports.returns import MonthlyReturn
from records.identity import ValidationError


def return_format(path: Path) -> str:
    return "xlsx" if path.suffix.lower() == ".xlsx" else "csv"


def _about(rows: list[list], path: Path) -> dict[str, object]:
    fields: dict[str, object] = {}
    for row in rows[1:]:
        if not row or row[0] in (None, ""):
            break
        fields[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    return fields


def _number(value, path: Path, where: str) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return value
    text = str(value).strip()
    if text.startswith("<") or text == "[c]":
        raise ValidationError(
            f"{path} has suppressed figures ({where}: {text}); export it again with --suppress-below 0 to merge it"
        )
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        raise ValidationError(f"{path}: {where} holds {text!r}, not a figure") from None


def read_return(path: Path | str) -> tuple[MonthlyReturn, str]:
    """A return written by ``exports.monthly.export_month`` read back, with its format ("xlsx" or "csv")."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    fmt = return_format(path)
    if fmt == "xlsx":
        tables = read_xlsx(path)
    else:
        folder = path if path.is_dir() else path.parent
        if not path.is_dir() and path.suffix.lower() != ".csv":
            raise ValidationError(f"{path} is neither an .xlsx return nor a folder of CSV files")
        tables = read_csv_folder(folder)
    tables = {name.lower(): rows for name, rows in tables.items()}
    if S.ABOUT.lower() not in tables:
        raise ValidationError(f"{path} is not an mhtr-tui monthly return (it has no About sheet)")
    about = _about(tables[S.ABOUT.lower()], path)
    if about.get(S.F_KIND) == S.CASELOAD_TITLE:
        raise ValidationError(f"{path} is caseload data, not a monthly return")
    if about.get(S.F_KIND) != S.RETURN_TITLE:
        raise ValidationError(f"{path} is not an mhtr-tui monthly return")
    layout = _number(about.get(S.F_LAYOUT), path, S.F_LAYOUT)
    if layout != L.LAYOUT_VERSION:
        raise ValidationError(
            f"{path} was written by another version of mhtr-tui (layout {layout}, this one reads "
            f"{L.LAYOUT_VERSION}); export it again with this version"
        )
    try:
        month = date.fromisoformat(f"{str(about.get(S.F_MONTH)).strip()}-01")
    except ValueError:
        raise ValidationError(f"{path}: the return month {about.get(S.F_MONTH)!r} is not YYYY-MM") from None
    threshold = _number(about.get(S.F_THRESHOLD), path, S.F_THRESHOLD)
    merged = int(_number(about.get(S.F_MERGED), path, S.F_MERGED) or 1)
    ids = tuple(str(about.get(S.F_DATABASES) or "").split())
    return MonthlyReturn(month, {}, _produced(about.get(S.F_PRODUCED), month), int(threshold or 0), merged, ids), fmt


def _produced(value: object, month: date) -> date:
    """The day a return was made, as its About sheet says (a date cell, or ISO text in CSV); the month's last day
    if it cannot be read (the figures include nothing later)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return month_end(month)


def read_figures(path: Path | str) -> Figures | dict[str, Figures]:
    """The unsuppressed figures of a return file, ``{period: {key: value}}``, sums rebuilt from the means."""
    path = Path(path).expanduser()
    fmt = return_format(path)
    tables = read_xlsx(path) if fmt == "xlsx" else read_csv_folder(path if path.is_dir() else path.parent)
    tables = {name.lower(): rows for name, rows in tables.items()}
    figures = {"month": empty_figures(), "rolling": empty_figures()}
    for spec in L.TABLES:
        rows = tables.get(spec.name.lower())
        if rows is None:
            raise ValidationError(f"{path} has no {spec.name} table")
        body = [r for r in rows[1:]]
        while body and all(v in (None, "") for v in body[-1]):
            body.pop()
        if len(body) != len(spec.lines):
            raise ValidationError(
                f"{path}: the {spec.name} table has {len(body)} rows, this version expects "
                f"{len(spec.lines)}; was it edited?"
            )
        n = len(spec.label_headings)
        for i, (line, row) in enumerate(zip(spec.lines, body, strict=True)):
            labels = tuple(str(v or "").strip() for v in row[: len(line.labels)])
            if labels != tuple(line.labels):
                raise ValidationError(
                    f"{path}: {spec.name} row {i + 1} reads {' / '.join(labels)!r}, expected "
                    f"{' / '.join(line.labels)!r}; was it edited?"
                )
            if line.key is None:
                continue
            for j, col in enumerate(spec.columns):
                value = row[n + j] if n + j < len(row) else None
                figures[col.period][S.cell_key(col, line)] = _number(value, path, f"{spec.name} '{labels[-1]}'")
    for values in figures.values():
        for key, m in L.MEASURES.items():
            if m.kind == "mean":
                values[m.num] = (values.get(key) or 0.0) * (values.get(m.den) or 0)
    return figures


def combine(figure_sets: Sequence[dict[str, Figures]]) -> dict[str, Figures]:
    """Add counts and sums period by period, then work out the means and rates again."""
    out = {}
    for period in ("month", "rolling"):
        total = empty_figures()
        for figs in figure_sets:
            for key in (*L.COUNT_KEYS, *L.SUM_KEYS):
                total[key] += figs[period].get(key) or 0
        out[period] = finish(total)
    return out


def merge(paths: Sequence[Path | str], produced: date, threshold: int) -> tuple[MonthlyReturn, str]:
    """The site return from practitioners' returns for one month, and their shared format.

    Refuses (ValidationError, with the reason) fewer than two returns, the same file or database twice,
    returns of different months, formats or versions, and returns whose small counts are already suppressed.
    """
    if len(paths) < 2:
        raise ValidationError("give two or more returns to merge")
    resolved = [Path(p).expanduser() for p in paths]
    seen: dict[Path, Path] = {}
    for p in resolved:
        key = p.resolve()
        if key in seen:
            raise ValidationError(f"{p} is given twice; merge each practitioner's return once")
        seen[key] = p
    headers = [(p, *read_return(p)) for p in resolved]
    p0, r0, f0 = headers[0]
    for p, r, f in headers[1:]:
        if r.month != r0.month:
            raise ValidationError(
                f"{p0} is the return for {month_name(r0.month)} and {p} for "
                f"{month_name(r.month)}; merge returns of one month"
            )
        if f != f0:
            raise ValidationError(
                f"{p0} is an {f0} return and {p} a {f} return; merge returns of one format "
                f"(export them again with --format {f0})"
            )
    db_seen: dict[str, Path] = {}
    for p, r, _ in headers:
        if r.threshold > 1:
            raise ValidationError(
                f"{p} has small counts suppressed (below {r.threshold}); export it again with "
                "--suppress-below 0 to merge it"
            )
        for db_id in r.database_ids:
            if db_id in db_seen:
                raise ValidationError(
                    f"{db_seen[db_id]} and {p} come from the same database; merge each practitioner's return once"
                )
            db_seen[db_id] = p
    figures = combine([read_figures(p) for p in resolved])
    ids = tuple(i for _, r, _ in headers for i in r.database_ids)
    merged = sum(r.merged_from for _, r, _ in headers)
    return MonthlyReturn(r0.month, figures, produced, threshold, merged, ids, service=""), f0
