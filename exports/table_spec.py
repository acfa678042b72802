"""The machinery of the return's layout: a measure (its key, heading and definition; a count, a mean's hidden
sum, a mean or a rate), a sum that ties counts together (a group), and a table's rows and figure columns. Each
table's module (``exports.mhtr_table``, ``exports.reasons_table``, ``exports.characteristics_table``,
``exports.outcomes_table``) defines its measures on a ``Register`` of its own; ``exports.layout`` puts them
together in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    note: str = ""
    kind: str = "count"  # count | mean | rate | sum (a hidden part of a mean)
    num: str = ""  # a mean's sum or a rate's numerator ("" for a count or a sum)
    den: str = ""  # a mean's or a rate's denominator


@dataclass(frozen=True)
class Group:
    """``total`` = the sum of ``members`` in every period (a published sum, so suppression must protect it)."""

    total: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """A row of a table: its label cells and the measure key it shows (None for a section heading)."""

    labels: tuple[str, ...]
    key: str | None = None


@dataclass(frozen=True)
class Column:
    """A figure column: its heading (``{month}``, ``{rolling}``, ``{end}`` filled in), the period, and a key
    prefix (the Characteristics table shows "assessed." and "active." figures of the same categories)."""

    heading: str
    period: str
    prefix: str = ""


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    label_headings: tuple[str, ...]
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]


class Register:
    """The measures and groups one table defines, in the order it defines them. ``below``: the registers of the
    tables whose measures this one names (for their headings), looked up after its own."""

    def __init__(self, *below: Register) -> None:
        self.measures: dict[str, Measure] = {}
        self.groups: list[Group] = []
        self.below = below

    def measure_of(self, key: str) -> Measure:
        for register in (self, *self.below):
            if key in register.measures:
                return register.measures[key]
        raise KeyError(key)

    def measure(self, key: str, label: str, note: str = "", **kw) -> str:
        self.measures[key] = Measure(key, label, note, **kw)
        return key

    def group(self, total: str, *members: str) -> None:
        self.groups.append(Group(total, tuple(members)))

    def mean(self, key: str, label: str, note: str, n_key: str) -> str:
        self.measure(key + ".sum", label + " (sum)", kind="sum")
        return self.measure(key, label, note, kind="mean", num=key + ".sum", den=n_key)

    def rate(self, key: str, label: str, note: str, num: str, den: str) -> str:
        return self.measure(key, label, note, kind="rate", num=num, den=den)

    def lines(self, *items: str) -> tuple[Line, ...]:
        """A table's rows: a measure's key, or a section heading written ``"# heading"``."""
        out = []
        for item in items:
            if item.startswith("#"):
                out.append(Line((item[1:].strip(),)))
            else:
                out.append(Line((self.measure_of(item).label,), item))
        return tuple(out)


# The figure columns of the MHTR, Reasons and Outcomes tables: the month and the rolling year.
MONTH_COLUMNS = (Column("{month}", "month"), Column("12 months to {month_short} ({rolling})", "rolling"))
NOT_RECORDED_ID = "not-recorded"  # the key suffix of a category left blank
