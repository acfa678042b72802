"""No hidden figure of a monthly return can be worked out from the returns the same service sent before it.

The chair receives a return every month: the month, and the twelve months ending with it. A reader holding the
whole series knows that a rolling year is the sum of its twelve months, so this year's rolling figure less last
month's, plus the month that left the window, is this month's figure; and that twelve months add up to their
rolling year. The property test below makes a service of two years (``tests/exports_series_support.py``),
produces every month's return as the chair would receive it, and attacks every hidden cell with both
identities and with the interval reasoning that follows from the markers ("<5" is 0 to 4, "[c]" in a month
column is 5 or more), solved over the whole series. It finds nothing.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import layout as L
from exports import sheets as S
from exports.merge import combine_series
from exports.periods import month_end
from exports.returns import MonthlyReturn, build_return
from exports.suppression import INF, solve_sum
from questionnaires import DEFAULT
from tests.exports_series_support import synthetic_service
from tests.exports_support import DEADLINES
from vocabulary.dates import add_months

FIRST = date(2025, 1, 1)
MONTHS = 20


def published_keys(period: str) -> set[str]:
    """The count keys some table of the return shows in ``period``'s column."""
    return {
        S.cell_key(c, line)
        for spec in L.TABLES
        for line in spec.lines
        if line.key
        for c in spec.columns
        if c.period == period and L.MEASURES[S.cell_key(c, line)].kind == "count"
    }


FLOWS = sorted((published_keys("month") & published_keys("rolling")) - set(L.STOCK_KEYS))


def series(cases, months: int, threshold: int):
    """Every month's return from ``FIRST`` on: (true figures, figures as shown) per month, in order."""
    out = []
    for i in range(months):
        first = add_months(FIRST, i)
        ret = build_return(cases, first, month_end(first), scoring=DEFAULT, threshold=threshold, deadlines=DEADLINES)
        out.append((ret.figures, ret.shown()))
    return out


def merged_series(practitioners, months: int, threshold: int):
    """Every month's site return merged from the practitioners' unsuppressed returns (as ``export merge`` adds
    them up): (true figures, figures as shown) per month."""
    out = []
    for i in range(months):
        first = add_months(FIRST, i)
        parts = []
        for cases in practitioners:
            ret = build_return(cases, first, month_end(first), scoring=DEFAULT, threshold=0, deadlines=DEADLINES)
            parts.append((ret.figures, [*ret.history, ret.figures["month"]]))
        figures, history = combine_series(parts)
        site = MonthlyReturn(first, figures, month_end(first), threshold, len(parts), history=history)
        out.append((site.figures, site.shown()))
    return out


def bounds(value, threshold: int, period: str) -> tuple[float, float]:
    """What the reader knows of a cell from what is printed in it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, value
    if value == f"<{threshold}":
        return 0, threshold - 1
    if value == "[c]" and period == "month":
        return threshold, INF
    return 0, INF


def attack(returns, threshold: int) -> list[tuple]:
    """Every hidden (month, period, key) cell the series gives away: (how, month, period, key, value found)."""
    found = []
    for key in FLOWS:
        found += _attack_flow(returns, key, threshold)
    # the caseload totals on the last day are shown in full in both columns (the identities below rest on that)
    for key in L.STOCK_KEYS:
        for i, (true, shown) in enumerate(returns):
            for period in ("month", "rolling"):
                if shown[period][key] != true["month"][key]:
                    found.append(("stock not shown", i, period, key, shown[period][key]))
    return found


def _attack_flow(returns, key: str, threshold: int) -> list[tuple]:
    found = []
    n = len(returns)
    true = {p: [r[0][p][key] for r in returns] for p in ("month", "rolling")}
    shown = {p: [r[1][p][key] for r in returns] for p in ("month", "rolling")}

    def known(period: str, i: int) -> tuple[float, float]:  # before the service's first month there was nothing
        return (0, 0) if i < 0 else bounds(shown[period][i], threshold, period)

    def exact(b):
        return b[0] if b[0] == b[1] else None

    # 1. differencing: R(t) - R(t-1) = M(t) - M(t-12), each term worked out from the other three
    for t in range(n):
        sign = {("rolling", t): 1, ("rolling", t - 1): -1, ("month", t): -1, ("month", t - 12): 1}
        values = {c: exact(known(*c)) for c in sign}
        unknown = [c for c, v in values.items() if v is None]
        if len(unknown) == 1:
            period, i = unknown[0]
            guess = -sum(sign[c] * v for c, v in values.items() if v is not None) * sign[unknown[0]]
            if guess == true[period][i]:
                found.append(("difference", i, period, key, guess))
    # 2. a rolling year is the sum of its twelve months
    for t in range(n):
        cells = [("rolling", t)] + [("month", i) for i in range(t - 11, t + 1) if i >= 0]
        values = {c: exact(known(*c)) for c in cells}
        unknown = [c for c, v in values.items() if v is None]
        if len(unknown) == 1:
            period, i = unknown[0]
            months = sum(v for c, v in values.items() if c[0] == "month" and v is not None)
            guess = months if period == "rolling" else values[("rolling", t)] - months
            if guess == true[period][i]:
                found.append(("twelve months", i, period, key, guess))
    # 3. the markers' bounds carried through every rolling year of the series until nothing narrows
    rng = {(p, i): known(p, i) for p in ("month", "rolling") for i in range(n)}
    changed = True
    while changed:
        changed = False
        for t in range(n):
            members = [("month", i) for i in range(max(0, t - 11), t + 1)]
            total, parts = solve_sum(rng[("rolling", t)], [rng[c] for c in members])
            for c, new in zip((("rolling", t), *members), (total, *parts), strict=True):
                if new != rng[c] and new[0] <= new[1]:
                    rng[c] = new
                    changed = True
    for (period, i), (lo, hi) in rng.items():
        if isinstance(shown[period][i], str) and lo == hi:
            found.append(("bounds", i, period, key, lo))
    return found


def test_flows_add_up_over_the_series():
    """The identities the reader uses hold for the flows in these caseloads, so the attack is a fair one."""
    returns = series(synthetic_service(3, 60, FIRST, add_months(FIRST, MONTHS - 1)), MONTHS, 5)
    for key in FLOWS:
        for t in range(MONTHS):
            window = sum(returns[i][0]["month"][key] for i in range(max(0, t - 11), t + 1))
            assert returns[t][0]["rolling"][key] == window, (key, t)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), cases=st.integers(15, 90), threshold=st.sampled_from([5, 3]))
def test_no_hidden_cell_is_recovered_from_the_returns_sent_before(seed, cases, threshold):
    service = synthetic_service(seed, cases, FIRST, add_months(FIRST, MONTHS - 1))
    returns = series(service, MONTHS, threshold)
    found = attack(returns, threshold)
    assert found == [], f"{len(found)} hidden cells recovered, e.g. {found[:5]}"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), cases=st.integers(20, 90), practitioners=st.integers(2, 3))
def test_no_hidden_cell_of_a_site_return_is_recovered_from_the_site_returns_before(seed, cases, practitioners):
    service = synthetic_service(seed, cases, FIRST, add_months(FIRST, MONTHS - 1))
    split = [service[i::practitioners] for i in range(practitioners)]
    returns = merged_series(split, MONTHS, 5)
    whole = series(service, MONTHS, 0)  # the merge adds up to the one service
    assert [{p: {k: r[0][p][k] for k in L.COUNT_KEYS} for p in r[0]} for r in returns] == [
        {p: {k: r[0][p][k] for k in L.COUNT_KEYS} for p in r[0]} for r in whole
    ]
    found = attack(returns, 5)
    assert found == [], f"{len(found)} hidden cells recovered, e.g. {found[:5]}"
