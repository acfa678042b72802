"""One site return from several practitioners' returns for the same month.

Each practitioner keeps their own database and exports their return with suppression off
(``--suppress-below 0``): counts that were already shown as "<5" could not be added up. The returns are read
back row by row against ``exports.layout`` (so a file from another version of mhtr-tui, or one edited by hand,
is refused rather than misread), the counts and the sums behind the means are added, means and rates are
worked out again, and the combined return is suppressed like any other. Each return made for merging also
holds every month of its rolling year (``exports.sheets.months_sheet``); those are added up too, so that the
site's rolling year is suppressed consistently with the site's months (``exports.suppression``).

Every figure is checked before anything is added: a count must be a whole number from 0 to ``MAX_COUNT``, a
mean or rate a number in its range, no cell may hold a formula, the sums the layout publishes must add up and
the month's column must match its column in the months sheet. A refusal names the file and the cell
(``MHTR!C7``, or ``mhtr.csv`` line and column), so the person who edited it can find it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from exports import balance
from exports import layout as L
from exports import sheets as S
from exports.files import read_csv_folder, read_xlsx
from exports.measures import Figures, empty_figures, finish
from exports.periods import month_end, month_name
from exports.returns import MonthlyReturn
from exports.suppression import SECONDARY
from vocabulary.identity import ValidationError

MAX_COUNT = 1_000_000  # far above any service's year; 1e30 is an edit, not a caseload
MAX_MEAN = 100_000.0  # days or scores: a mean above this is an edit
MEAN_TOLERANCE = 0.01  # a CSV keeps means to 2 decimals; the months sheet keeps the exact sums


def return_format(path: Path) -> str:
    return "xlsx" if path.suffix.lower() == ".xlsx" else "csv"


@dataclass(frozen=True)
class _Tables:
    """A return file's sheets as rows (below each title row), and how to name one of its cells."""

    path: Path
    format: str
    rows: dict[str, list[list]]  # lower-case sheet name -> rows, the header row first

    def cell(self, sheet: str, row: int, col: int) -> str:
        """Where a value sits, as the person editing the file sees it: ``MHTR!C7`` or ``mhtr.csv line 6,
        column 3`` (``row`` and ``col`` count from 0 within ``rows``)."""
        if self.format == "xlsx":
            from openpyxl.utils import get_column_letter

            return f"{sheet}!{get_column_letter(col + 1)}{row + 2}"  # the sheet's title is row 1
        return f"{sheet.lower()}.csv line {row + 1}, column {col + 1}"


def _read_tables(path: Path) -> _Tables:
    fmt = return_format(path)
    if fmt == "xlsx":
        tables = read_xlsx(path)
    else:
        if not path.is_dir() and path.suffix.lower() != ".csv":
            raise ValidationError(f"{path} is neither an .xlsx return nor a folder of CSV files")
        tables = read_csv_folder(path if path.is_dir() else path.parent)
    return _Tables(path, fmt, {name.lower(): rows for name, rows in tables.items()})


def _about(rows: list[list]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for row in rows[1:]:
        if not row or row[0] in (None, ""):
            break
        fields[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    return fields


def _is_formula(value) -> bool:
    return (isinstance(value, str) and value.strip().startswith("=")) or type(value).__name__ == "ArrayFormula"


def _number(value, t: _Tables, where: str) -> float | int | None:
    """The figure in a cell: None if empty, else a finite number; a formula, a suppressed marker or text is
    refused by ``where`` (the cell)."""
    if value is None or value == "":
        return None
    if _is_formula(value):
        raise ValidationError(f"{t.path}: {where} holds a formula; a return holds figures only (export it again)")
    if isinstance(value, bool):
        raise ValidationError(f"{t.path}: {where} holds {value!r}, not a figure")
    if isinstance(value, int | float):
        number = value
    else:
        text = str(value).strip()
        if text.startswith("<") or text == SECONDARY:
            raise ValidationError(
                f"{t.path} has suppressed figures ({where}: {text}); export it again with --suppress-below 0 "
                "to merge it"
            )
        try:
            number = int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            raise ValidationError(f"{t.path}: {where} holds {text!r}, not a figure") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise ValidationError(f"{t.path}: {where} holds {value!r}, not a figure")
    return number


def _count(value, t: _Tables, where: str) -> int:
    """A count: a whole number from 0 to ``MAX_COUNT`` (an empty cell is 0)."""
    number = _number(value, t, where)
    if number is None:
        return 0
    if number != int(number) or not 0 <= number <= MAX_COUNT:
        raise ValidationError(f"{t.path}: {where} holds {value!r}; a count is a whole number from 0 up")
    return int(number)


def _bounded(value, t: _Tables, where: str, top: float) -> float | None:
    number = _number(value, t, where)
    if number is not None and not 0 <= number <= top:
        raise ValidationError(f"{t.path}: {where} holds {value!r}; it must be from 0 to {top:g}")
    return None if number is None else float(number)


def _header(t: _Tables) -> tuple[MonthlyReturn, dict[str, object]]:
    about_rows = t.rows.get(S.ABOUT.lower())
    if about_rows is None:
        raise ValidationError(f"{t.path} is not an mhtr-tui monthly return (it has no About sheet)")
    about = _about(about_rows)
    if about.get(S.F_KIND) == S.CASELOAD_TITLE:
        raise ValidationError(f"{t.path} is caseload data, not a monthly return")
    if about.get(S.F_KIND) != S.RETURN_TITLE:
        raise ValidationError(f"{t.path} is not an mhtr-tui monthly return")
    layout = about.get(S.F_LAYOUT)
    if _is_formula(layout) or str(layout).strip() != str(L.LAYOUT_VERSION):
        raise ValidationError(
            f"{t.path} was written by another version of mhtr-tui (layout {layout}, this one reads "
            f"{L.LAYOUT_VERSION}); export it again with this version"
        )
    try:
        month = date.fromisoformat(f"{str(about.get(S.F_MONTH)).strip()}-01")
    except ValueError:
        raise ValidationError(f"{t.path}: the return month {about.get(S.F_MONTH)!r} is not YYYY-MM") from None
    threshold = _count(about.get(S.F_THRESHOLD), t, f"{S.ABOUT} '{S.F_THRESHOLD}'")
    merged = _count(about.get(S.F_MERGED), t, f"{S.ABOUT} '{S.F_MERGED}'") or 1
    ids = tuple(str(about.get(S.F_DATABASES) or "").split())
    service = str(about.get(S.F_SERVICE) or "").strip()
    produced = _produced(about.get(S.F_PRODUCED), month)
    return MonthlyReturn(month, {}, produced, threshold, merged, ids, service=service), about


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


def read_return(path: Path | str) -> tuple[MonthlyReturn, str]:
    """A return written by ``exports.monthly.export_month`` read back (its About sheet only), with its format."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    t = _read_tables(path)
    return _header(t)[0], t.format


def _table_figures(t: _Tables) -> dict[str, Figures]:
    """The month and rolling figures of the return's tables, every cell checked, sums rebuilt from the means."""
    figures: dict[str, Figures] = {"month": {**empty_figures()}, "rolling": {**empty_figures()}}
    read: dict[tuple[str, str], tuple] = {}  # a figure some tables show twice (the totals of the breakdowns)
    for spec in L.TABLES:
        rows = t.rows.get(spec.name.lower())
        if rows is None:
            raise ValidationError(f"{t.path} has no {spec.name} table")
        body = list(rows[1:])
        while body and all(v in (None, "") for v in body[-1]):
            body.pop()
        if len(body) != len(spec.lines):
            raise ValidationError(
                f"{t.path}: the {spec.name} table has {len(body)} rows, this version expects "
                f"{len(spec.lines)}; was it edited?"
            )
        n = len(spec.label_headings)
        for i, (line, row) in enumerate(zip(spec.lines, body, strict=True)):
            labels = tuple(str(v or "").strip() for v in row[: len(line.labels)])
            if labels != tuple(line.labels):
                raise ValidationError(
                    f"{t.path}: {spec.name} row {i + 1} reads {' / '.join(labels)!r}, expected "
                    f"{' / '.join(line.labels)!r}; was it edited?"
                )
            for j, col in enumerate(spec.columns):
                value = row[n + j] if n + j < len(row) else None
                where = t.cell(spec.name, i + 1, n + j)
                if line.key is None:
                    if value not in (None, ""):
                        raise ValidationError(f"{t.path}: {where} is a heading row and holds {value!r}; was it edited?")
                    continue
                key = S.cell_key(col, line)
                m = L.MEASURES[key]
                number: float | None
                if m.kind == "count":
                    number = _count(value, t, where)
                else:
                    number = _bounded(value, t, where, 100.0 if m.kind == "rate" else MAX_MEAN)
                earlier = read.setdefault((col.period, key), (number, where))
                if earlier[0] != number:
                    raise ValidationError(
                        f"{t.path}: {where} holds {number} but {earlier[1]}, the same figure, holds {earlier[0]}; "
                        "was it edited?"
                    )
                figures[col.period][key] = number
    for values in figures.values():
        for key, m in L.MEASURES.items():
            if m.kind == "mean":
                values[m.num] = (values.get(key) or 0.0) * (values.get(m.den) or 0)
    return figures


def _months(t: _Tables, ret: MonthlyReturn) -> list[Figures]:
    """The twelve months of the rolling year from the months sheet (every count, the caseload totals and the parts
    of the caseload identities included), oldest first, every cell checked."""
    from exports.periods import months_before

    rows = t.rows.get(S.MONTHS.lower())
    if rows is None:
        raise ValidationError(f"{t.path} has no {S.MONTHS} sheet; export it again with --suppress-below 0")
    firsts = [p.start for p in months_before(ret.month)] + [ret.month]
    want_header = ["Key", "Measure", *(f"{d:%Y-%m}" for d in firsts)]
    header = [str(v or "").strip() for v in rows[0][: len(want_header)]] if rows else []
    if header != want_header:
        raise ValidationError(f"{t.path}: the {S.MONTHS} sheet's columns are not this return's months; was it edited?")
    keys = (*L.MONTH_KEYS, *L.SUM_KEYS)
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    if [str(r[0] or "").strip() for r in body] != list(keys):
        raise ValidationError(f"{t.path}: the {S.MONTHS} sheet's rows are not this version's measures; was it edited?")
    months: list[Figures] = [{**empty_figures()} for _ in firsts]
    for i, (key, row) in enumerate(zip(keys, body, strict=True)):
        for j in range(len(firsts)):
            value = row[2 + j] if 2 + j < len(row) else None
            where = t.cell(S.MONTHS, i + 1, 2 + j)
            if L.MEASURES[key].kind in ("count", "part"):
                months[j][key] = _count(value, t, where)
            else:
                months[j][key] = _bounded(value, t, where, MAX_MEAN * MAX_COUNT) or 0.0
    return months


def _check_sums(t: _Tables, figures: dict[str, Figures], months: list[Figures]) -> None:
    """Refuse a return whose published sums do not add up, or whose month column is not its months sheet's last."""
    named = [(p, v, L.PUBLISHED[p]) for p, v in figures.items()]
    flows = frozenset(L.FLOW_KEYS)
    named += [(f"month {i + 1} of the {S.MONTHS} sheet", m, flows) for i, m in enumerate(months)]
    for period, values, shown in named:
        for g in L.GROUPS:
            if not {g.total, *g.members} <= shown:
                continue
            if values[g.total] != sum(values[k] or 0 for k in g.members):
                raise ValidationError(
                    f"{t.path}: {L.MEASURES[g.total].label!r} ({period}) is {values[g.total]} but its parts add up "
                    f"to {sum(values[k] or 0 for k in g.members)}; was it edited?"
                )
    for i, m in enumerate(months):
        for g in L.IDENTITIES:  # the caseload identities hold exactly in every month (exports.balance)
            if m[g.total] != sum(m[k] or 0 for k in g.members):
                raise ValidationError(
                    f"{t.path}: month {i + 1} of the {S.MONTHS} sheet: {L.MEASURES[g.total].label!r} is {m[g.total]} "
                    f"but its parts add up to {sum(m[k] or 0 for k in g.members)}; was it edited?"
                )
    this_month = months[-1]
    for key in (*L.FLOW_KEYS, *L.STOCK_KEYS):
        if this_month[key] != figures["month"][key]:
            raise ValidationError(
                f"{t.path}: {L.MEASURES[key].label!r} is {figures['month'][key]} in the month's column but "
                f"{this_month[key]} in the {S.MONTHS} sheet; was it edited?"
            )
    for key in L.SUM_KEYS:
        n = figures["month"].get(L.MEASURES[key.removesuffix(".sum")].den) or 0
        if abs((this_month[key] or 0) - (figures["month"][key] or 0)) > MEAN_TOLERANCE * max(1, n):
            raise ValidationError(
                f"{t.path}: {L.MEASURES[key.removesuffix('.sum')].label!r} does not match the {S.MONTHS} sheet; "
                "was it edited?"
            )


def read_series(path: Path | str) -> tuple[dict[str, Figures], list[Figures]]:
    """The unsuppressed figures of a return made for merging: ``({period: figures}, [the twelve months])``."""
    path = Path(path).expanduser()
    t = _read_tables(path)
    ret, _ = _header(t)
    figures = _table_figures(t)
    months = _months(t, ret)
    _check_sums(t, figures, months)
    # the parts of the caseload identities are not in the tables: the month's are its column of the Months sheet,
    # the rolling year's the sum of its twelve months (the identities add up over months), begun with the totals
    # at the start of its first month
    before = frozenset(balance.BEFORE.values())
    for key in L.PART_KEYS:
        figures["month"][key] = months[-1][key]
        figures["rolling"][key] = months[0][key] if key in before else sum(m[key] or 0 for m in months)
    return figures, months


def read_figures(path: Path | str) -> dict[str, Figures]:
    """The figures of a return file, ``{period: {key: value}}``, every cell checked, sums rebuilt from the means."""
    path = Path(path).expanduser()
    return _table_figures(_read_tables(path))


def _add(parts: Sequence[Figures]) -> Figures:
    total = empty_figures()
    for figs in parts:
        for key in (*L.COUNT_KEYS, *L.PART_KEYS, *L.SUM_KEYS):
            total[key] += figs.get(key) or 0
    return finish(total)


def combine(figure_sets: Sequence[dict[str, Figures]]) -> dict[str, Figures]:
    """Add counts and sums period by period, then work out the means and rates again."""
    return {period: _add([figs[period] for figs in figure_sets]) for period in ("month", "rolling")}


def combine_series(
    parts: Sequence[tuple[dict[str, Figures], Sequence[Figures]]],
) -> tuple[dict[str, Figures], tuple[Figures, ...]]:
    """Practitioners' (figures, twelve months) added up: the site's figures, and the site's eleven months before
    this one (``MonthlyReturn.history``), month by month."""
    figures = combine([f for f, _ in parts])
    history = tuple(_add([months[i] for _, months in parts]) for i in range(11))
    return figures, history


def merge(paths: Sequence[Path | str], produced: date, threshold: int) -> tuple[MonthlyReturn, str]:
    """The site return from practitioners' returns for one month, and their shared format.

    Refuses (ValidationError, with the reason) fewer than two returns, the same file or database twice,
    returns of different months, formats or versions, returns whose small counts are already suppressed, and
    any figure that is not one (a formula, a negative or fractional count, sums that do not add up).
    """
    if len(paths) < 2:
        raise ValidationError("give two or more returns to merge")
    resolved = [Path(p).expanduser() for p in paths]
    seen: dict[Path, Path] = {}
    for p in resolved:
        if "\x00" in str(p) or not p.exists():  # no file system takes a NUL in a name
            raise ValidationError(f"{p} does not exist")
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
    figures, history = combine_series([read_series(p) for p in resolved])
    ids = tuple(i for _, r, _ in headers for i in r.database_ids)
    merged = sum(r.merged_from for _, r, _ in headers)
    services = {r.service for _, r, _ in headers}
    service = services.pop() if len(services) == 1 else ""  # the site's name, when every return gives the same
    return MonthlyReturn(r0.month, figures, produced, threshold, merged, ids, service=service, history=history), f0
