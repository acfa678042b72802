"""The return and the caseload data laid out as sheets: a title, a header row a person reads without a key, and
rows of plain values (text, whole numbers, decimals, real dates). The xlsx and CSV writers both take these, so
the two formats always hold the same tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from exports import characteristics_table, mhtr_table, outcomes_table, table_spec
from exports import layout as L
from exports.caseload import HEADINGS as CASELOAD_HEADINGS
from exports.periods import month_end, month_name, months_before
from exports.returns import MonthlyReturn
from exports.suppression import SECONDARY, small_marker
from vocabulary.dates import uk

RETURN_TITLE = "MHTR monthly data return"
CASELOAD_TITLE = "MHTR caseload data"
ABOUT = "About"
MONTHS = "Months"  # the twelve months of the rolling year, unsuppressed returns only (read by ``exports.merge``)
# About-sheet fields that ``exports.merge`` reads back.
F_KIND = "File"
F_MONTH = "Return month (YYYY-MM)"
F_THRESHOLD = "Small counts suppressed below"
F_LAYOUT = "Layout version"
F_MERGED = "Returns merged"
F_DATABASES = "Database ids"
F_PRODUCED = "Produced on"
F_SERVICE = "Service"


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple, ...]
    headings: frozenset[int] = field(default=frozenset())  # indexes of section-heading rows
    widths: tuple[int, ...] = ()
    label_columns: int = 1  # the first columns name the row; the rest are figures
    figures: bool = False  # the columns after the labels are figures (and markers): right-aligned in print
    fit_width: bool = True  # printed one page wide; a record-level sheet too wide for that prints at full size

    @property
    def csv_name(self) -> str:
        return self.name.lower() + ".csv"


def software() -> str:
    try:
        return f"mhtr-tui {version('mhtr-tui')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "mhtr-tui"


def column_heading(col: table_spec.Column, ret: MonthlyReturn) -> str:
    month, rolling = ret.periods
    return col.heading.format(
        month=month.label, month_short=month_name(ret.month), rolling=rolling.label, end=uk(ret.end)
    )


def cell_key(col: table_spec.Column, line: table_spec.Line) -> str:
    """The measure a table's cell shows (``line`` is a row with a key, not a section heading)."""
    if line.key == "#total":
        return characteristics_table.CHARACTERISTIC_TOTALS[col.prefix]
    return col.prefix + (line.key or "")


def table_sheet(spec: table_spec.TableSpec, ret: MonthlyReturn, shown: dict) -> Sheet:
    n_labels = len(spec.label_headings)
    rows: list[tuple] = []
    headings: set[int] = set()
    for line in spec.lines:
        labels = tuple(line.labels) + ("",) * (n_labels - len(line.labels))
        if line.key is None:
            headings.add(len(rows))
            rows.append(labels + ("",) * len(spec.columns))
            continue
        rows.append(labels + tuple(shown[c.period].get(cell_key(c, line)) for c in spec.columns))
    header = spec.label_headings + tuple(column_heading(c, ret) for c in spec.columns)
    widths = (58,) * n_labels if n_labels == 1 else (34, 52)
    return Sheet(
        spec.name,
        f"{spec.title}: {month_name(ret.month)}",
        header,
        tuple(rows),
        frozenset(headings),
        widths + (24,) * len(spec.columns),
        n_labels,
        figures=True,
    )


def suppression_note(threshold: int) -> str:
    if threshold <= 1:
        return (
            "NOT SUPPRESSED: small counts are shown as they are. For merging the service's returns "
            "(mhtr-tui export merge) only; do not send this file on."
        )
    return (
        f"Counts from 1 to {threshold - 1} are shown as {small_marker(threshold)}. In the month's column, "
        f"{SECONDARY} marks a figure hidden so that no hidden count can be worked out from the totals and the counts "
        f"that make them up (a count of {threshold} or more), or a mean or rate worked out from a hidden count. "
        f"Where every other figure of a total is hidden already, a 0 can be shown as {small_marker(threshold)} "
        "for the same reason."
    )


SERIES_NOTE = (
    "The 12-month column is suppressed consistently with its months (consistent suppression across linked "
    "tables). Each 12-month figure is the sum of twelve monthly figures that the chair also receives, one "
    "return a month; shown exactly beside them, it would let anyone holding last month's return work out a "
    "hidden count (this 12 months, less last month's 12 months, plus the month that left the window, is this "
    f"month). So a 12-month figure is shown only where all twelve of its months showed that figure, and "
    f"is otherwise {SECONDARY}, whatever its size. Chosen over rounding the 12-month "
    "figures to a base, which still gives a count away when a month is exact and the rounding falls at the "
    "edge of its range, and over 12-month figures at quarter ends only, which leaves the same subtraction "
    "between quarters. The months are worked out from the record as it stands when the return is made; a "
    "site return merged from several practitioners is suppressed the same way, month by month."
)


def caseload_note(threshold: int) -> str:
    """Why the caseload totals are never hidden, and how each month is protected against them (the About sheet)."""
    small = small_marker(threshold)
    return (
        "Active MHTRs at the end of the month, in treatment and awaiting the first session are shown in full, never "
        f"as {small} or {SECONDARY}, in every return. They count orders running and say nothing about any person's "
        "characteristics. Each is last month's figure plus the orders that came in, less those that went out: "
        "orders made, first sessions, completions and withdrawals. A caseload hidden one month would be given back "
        "by the next month's return through that sum, so hiding it protects nothing; shown in full, it is a known "
        "end at both sides of every month. Each month's figures are therefore protected against these sums as well "
        "as against its own totals: where the two caseloads would let someone work out a hidden count (the "
        "caseload went from 20 to 22 with 2 orders completed and none withdrawn: 4 orders were made, so "
        f"{small} there would read 4), more of the month's counts are hidden as {SECONDARY}. The protection "
        "assumes the reader knows that an order almost never starts or ends any other way, which is nearly always "
        "true. It needs nothing from earlier "
        "months' suppression, so a correction to an old record changes no return already sent. What no "
        "suppression can hide: when the caseload itself shows a count (it grew by 4 with nothing ending, so 4 "
        "orders were made), that count is given away by the totals alone, so it is shown as it is, like them: "
        f"{small} there would claim a protection it does not have."
    )


def about_sheet(ret: MonthlyReturn) -> Sheet:
    month, rolling = ret.periods
    rows: list[tuple] = [
        (F_KIND, RETURN_TITLE),
        (F_MONTH, f"{ret.month:%Y-%m}"),
        ("Month", month.label),
        ("First day of the month", month.start),
        ("Last day of the month", month.end),
        ("First day of the rolling 12 months", rolling.start),
        ("Figures include events up to", ret.as_at),
        (F_PRODUCED, ret.produced),
        ("Produced by", software()),
        (F_SERVICE, ret.service),
        (F_THRESHOLD, ret.threshold),
        ("Small counts", suppression_note(ret.threshold)),
        *(
            (("Across months", SERIES_NOTE), ("Caseload totals", caseload_note(ret.threshold)))
            if ret.threshold > 1
            else ()
        ),
        (
            "Contents",
            "Anonymised counts only: no names, dates of birth, addresses, postcodes, NHS numbers, GP "
            "details or free text. Reasons are shown in fixed categories.",
        ),
        (F_LAYOUT, L.LAYOUT_VERSION),
        (F_MERGED, ret.merged_from),
        (F_DATABASES, " ".join(ret.database_ids)),
        ("", ""),
        (
            "What each measure counts",
            "An event counts in the period its date falls in; each case counts once "
            "per measure unless the definition says events.",
        ),
    ]
    headings = {len(rows) - 1}
    seen = set()
    for spec in (mhtr_table.MHTR_TABLE, outcomes_table.OUTCOMES_TABLE):
        for line in spec.lines:
            m = L.MEASURES.get(line.key or "")
            if m and m.note and m.key not in seen:
                seen.add(m.key)
                rows.append((m.label, m.note))
    rows.append(
        (
            "Reasons",
            "Reasons are typed as free text and never leave the database: each is counted in "
            "the first fixed category whose words it contains, else 'Other reason'.",
        )
    )
    rows.append(
        (
            "Characteristics",
            "Cases assessed in the period, and MHTRs made by the court in the period (each case once, on its "
            "sentence date), by the client's recorded characteristics, in the month and in the 12 months. Age band "
            "on the assessment date (assessed) or on the sentence date (made). Pregnancy is not applicable to a "
            "client recorded as male, and an Education, Health and Care Plan to anyone over 25 at assessment. "
            "These are counts of what happened in the period, protected like every other such count. A count of "
            "who is on an MHTR at the month end by characteristic is not given: it changes from one month to the "
            "next only through the people whose orders are made or end, so two months side by side would tell a "
            "reader the characteristics of someone who left (a category going from 5 to fewer when one order "
            "ends).",
        )
    )
    return Sheet(
        ABOUT, f"{RETURN_TITLE}: about this file", ("Item", "Value"), tuple(rows), frozenset(headings), (40, 110)
    )


def months_sheet(ret: MonthlyReturn) -> Sheet:
    """What happened in each month of the rolling year (every count and sum, unsuppressed, with the caseload totals
    at its end and the parts of the caseload identities, ``exports.balance``), one column a month (the last is the
    return's own month). Written only in a return made for merging (threshold 0): the merge adds each month up
    across practitioners, so that the site's rolling year is suppressed consistently with the site's months, each
    against its own caseload identities (``exports.suppression.rolling_hidden``)."""
    history = [None] * (11 - len(ret.history)) + list(ret.history)
    months = [*history, ret.figures["month"]]
    firsts = [p.start for p in months_before(ret.month)] + [ret.month]
    rows = tuple(
        (key, L.MEASURES[key].label, *((m or {}).get(key) or 0 for m in months)) for key in (*L.MONTH_KEYS, *L.SUM_KEYS)
    )
    return Sheet(
        MONTHS,
        f"{RETURN_TITLE}: each month of the rolling year, for merging (not suppressed)",
        ("Key", "Measure", *(f"{d:%Y-%m}" for d in firsts)),
        rows,
        widths=(40, 58) + (10,) * 12,
        label_columns=2,
    )


def return_sheets(ret: MonthlyReturn) -> list[Sheet]:
    """The return's sheets in workbook order: MHTR (as the national template), then the breakdowns, the months
    of the rolling year (a return for merging only), About."""
    shown = ret.shown()
    months = [months_sheet(ret)] if ret.threshold <= 1 else []
    return [table_sheet(spec, ret, shown) for spec in L.TABLES] + months + [about_sheet(ret)]


def caseload_sheets(rows: Sequence[Sequence], month: date, produced: date) -> list[Sheet]:
    about = (
        (F_KIND, CASELOAD_TITLE),
        (F_MONTH, f"{month:%Y-%m}"),
        ("As at", min(produced, month_end(month))),
        (F_PRODUCED, produced),
        ("Produced by", software()),
        (
            "Contents",
            "One row per case, pseudonymised: the case reference is a running number. No names, dates of "
            "birth, addresses, NHS numbers, GP details or free text. Record-level data: keep it within "
            "the service; the monthly return is what goes to the steering group chair.",
        ),
    )
    return [
        Sheet(
            "Caseload",
            f"{CASELOAD_TITLE} as at {uk(min(produced, month_end(month)))}",
            CASELOAD_HEADINGS,
            tuple(tuple(r) for r in rows),
            widths=(14, 12, 12, 22) + (14,) * (len(CASELOAD_HEADINGS) - 4),
            fit_width=False,  # 37 columns on one A4 width would be unreadable: pages across, the reference on each
        ),
        Sheet(ABOUT, f"{CASELOAD_TITLE}: about this file", ("Item", "Value"), about, widths=(24, 110)),
    ]
