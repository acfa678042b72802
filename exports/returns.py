"""A monthly return: its figures for the month and the rolling twelve months, and what it says about itself.

``build_return`` is pure: de-identified case facts and a month in, the return out. ``shown`` applies the
small-count suppression the return was made with; the raw figures stay in memory only (they are written out
unsuppressed only when the threshold is 0, for merging within the service).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from exports.facts import CaseFacts
from exports.measures import Figures, return_figures
from exports.periods import Period, month_end, return_periods
from exports.suppression import Value, suppress
from questionnaires.options import ScoringOptions

DEFAULT_SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class MonthlyReturn:
    month: date  # first day of the month
    figures: dict[str, Figures]  # {"month": {...}, "rolling": {...}}, unsuppressed
    produced: date
    threshold: int = DEFAULT_SUPPRESS_BELOW
    merged_from: int = 1
    database_ids: tuple[str, ...] = ()
    service: str = ""
    # The unsuppressed flows of the months before ``month`` in its rolling year, oldest first (months not given
    # held nothing: the service had not begun). The rolling column is suppressed consistently with them.
    history: tuple[Figures, ...] = ()

    @property
    def periods(self) -> tuple[Period, Period]:
        return return_periods(self.month)

    @property
    def end(self) -> date:
        return month_end(self.month)

    @property
    def as_at(self) -> date:
        """The last day whose events the figures include (the month's end, or the day made if earlier)."""
        return min(self.end, self.produced)

    def shown(self) -> dict[str, dict[str, Value]]:
        return suppress(self.figures, self.threshold, self.history)


def build_return(
    cases: Iterable[CaseFacts],
    month: date,
    produced: date,
    *,
    scoring: ScoringOptions,
    threshold: int = DEFAULT_SUPPRESS_BELOW,
    database_id: str = "",
    service: str = "",
) -> MonthlyReturn:
    """The return for the month starting ``month`` from the cases' facts.

    ``scoring`` is the service's scoring settings (``records.questionnaire_records.scoring_options``), read once
    by the caller; it has no default, so no return is counted under rules the service has changed.
    """
    figures, history = return_figures(cases, month, scoring)
    return MonthlyReturn(
        month=month,
        figures=figures,
        produced=produced,
        threshold=threshold,
        database_ids=(database_id,) if database_id else (),
        service=service,
        history=history,
    )
