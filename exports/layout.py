"""What the monthly return holds: every measure (its key, heading and definition), the sums that tie counts
together (for secondary suppression and for merging), and the tables the figures are shown in. Each table's
measures are defined in a module of its own (``exports.mhtr_table``, ``exports.reasons_table``,
``exports.characteristics_table``, ``exports.outcomes_table``, on the machinery of ``exports.table_spec``); this
module puts them together in one fixed order.

The layout is fixed by the code, not by the data: every category of every breakdown appears in every return,
zero or not, so that returns of different months and different practitioners line up row for row, a person can
compare them by eye, and ``exports.merge`` can add them up. ``LAYOUT_VERSION`` changes when a row is added,
removed or renamed; merging refuses returns of different versions.

A measure's figure is kept per period ("month", "rolling"). Counts are whole numbers; a mean is ``sum / n``
(its ``num`` and ``den`` keys) and a rate is ``100 * num / den``, so both can be recomputed after counts from
several returns are added together.
"""

from __future__ import annotations

from exports import balance
from exports.characteristics_table import CHARACTERISTIC_TOTALS, CHARACTERISTICS_TABLE
from exports.characteristics_table import R as CHARACTERISTICS
from exports.mhtr_table import MHTR_TABLE
from exports.mhtr_table import R as MHTR
from exports.outcomes_table import OUTCOMES_TABLE
from exports.outcomes_table import R as OUTCOMES
from exports.reasons_table import REASONS_TABLE
from exports.reasons_table import R as REASONS
from exports.table_spec import Group, Measure

LAYOUT_VERSION = 4

# Every measure and every group of the four tables, in one fixed order (the Months sheet's rows follow it), and the
# unpublished parts of the caseload identities (``exports.balance``).
_REGISTERS = (MHTR, REASONS, CHARACTERISTICS, OUTCOMES)
MEASURES: dict[str, Measure] = {k: m for r in (*_REGISTERS, balance.R) for k, m in r.measures.items()}
GROUPS: list[Group] = [g for r in _REGISTERS for g in r.groups]  # the published sums
IDENTITIES: tuple[Group, ...] = balance.IDENTITIES  # the caseload identities, with unpublished parts
PART_KEYS = balance.PART_KEYS  # counts never published: the identities' parts and the totals the period began with
KNOWN_PART_KEYS = frozenset(balance.KNOWN)  # parts suppression treats as known to the reader
TABLES = (MHTR_TABLE, CHARACTERISTICS_TABLE, OUTCOMES_TABLE, REASONS_TABLE)
COUNT_KEYS = tuple(k for k, m in MEASURES.items() if m.kind == "count")
SUM_KEYS = tuple(k for k, m in MEASURES.items() if m.kind == "sum")
# Figures read on the period's last day (a stock, not a flow): the caseload totals, the same in the month and the
# rolling-year column, so never the sum of twelve months. Shown in full, never suppressed (``exports.suppression``).
STOCK_KEYS = ("active", "active_treating", "active_waiting")
FLOW_KEYS = tuple(k for k in COUNT_KEYS if k not in STOCK_KEYS)  # what happened in the period: adds up over months
# What a return made for merging keeps for each month of its rolling year (the Months sheet): every count, the
# parts of the identities included, and the sums behind the means.
MONTH_KEYS = (*FLOW_KEYS, *STOCK_KEYS, *PART_KEYS)


def _published(period: str) -> frozenset[str]:
    keys = set()
    for spec in TABLES:
        for line in spec.lines:
            for col in spec.columns:
                if line.key and col.period == period:
                    keys.add(CHARACTERISTIC_TOTALS[col.prefix] if line.key == "#total" else col.prefix + line.key)
    return frozenset(keys)


# The keys some table shows in each period's column.
PUBLISHED = {period: _published(period) for period in ("month", "rolling")}
