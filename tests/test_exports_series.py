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

import tempfile
from collections import deque
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connection import connect
from demo.generator import fill_demo
from exports import balance
from exports import layout as L
from exports import sheets as S
from exports.merge import combine_series
from exports.monthly import load_facts
from exports.periods import month_end
from exports.returns import MonthlyReturn, build_return
from exports.suppression import INF, solve_sum
from exports.table_spec import Group
from questionnaires import DEFAULT
from service.core import checklist_of
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


def _var(t: int, period: str, key: str) -> str:
    return f"{t}|{period}|{key}"


def identity_attack(returns, threshold: int) -> list[tuple]:
    """Every hidden cell the caseload identities give away, solving the whole series at once.

    The reader's equations, for every month and every rolling year: the return's own published sums, the caseload
    identities (``exports.balance``) with the totals at the start of the period read from the return before (a
    year before for the rolling year; nothing before the service's first month), and each rolling year as the sum
    of its twelve months. What the reader knows of each cell: a shown figure exactly, a "<5" as 1 to 4 (0 to 4 in
    a sum where a zero was hidden, the suppression's own rule), a month's "[c]" as 5 or more, a rolling "[c]" as
    0 or more; of the identities' parts, the ones nearly always 0 exactly (the worst case: a
    reader who guesses 0 is nearly always right, so they are given their true values) and the others only as 0 or
    more. The totals at the month end are the same variable in the month's return and as "the start" of the next
    month's (forward and backward at once). A hidden cell whose range comes down to one value is given away.

    Returns (the cells given away, the cells given away anyway): the second are those the totals give away on
    their own (the same equations with every figure but the totals hidden), those the returns give away without
    the identities (a sum no suppression can protect: with a threshold of 3, 2 = "<3" + "<3"), and rolling years
    made of such months. A month whose caseload grew by 4 made at least 4 orders,
    so its "<5" orders made is 4 whatever else is hidden: the price of showing the totals in full, which the
    About sheet states. Every cell given away must be one of those.
    """
    n = len(returns)
    stock_of = {b: s for s, b in balance.BEFORE.items()}
    groups: list[Group] = []
    plain: list[Group] = []  # the same without the caseload identities

    def name(t: int, period: str, key: str) -> str | int:
        if key in stock_of:  # the total the period began with: the end of the month before it
            back = t - (1 if period == "month" else 12)
            return 0 if back < 0 else _var(back, "month", stock_of[key])
        if key in L.STOCK_KEYS:
            return _var(t, "month", key)
        return _var(t, period, key)

    constants: dict[str, float] = {}
    for t in range(n):
        for period in ("month", "rolling"):
            for g in (*L.GROUPS, *L.IDENTITIES):
                if period == "rolling" and not {g.total, *g.members} <= L.PUBLISHED["rolling"] | set(L.PART_KEYS):
                    continue
                cells = [name(t, period, k) for k in (g.total, *g.members)]
                for i, c in enumerate(cells):
                    if c == 0:  # nothing was active before the service began
                        cells[i] = "zero"
                        constants["zero"] = 0
                groups.append(Group(cells[0], tuple(cells[1:])))
                if g not in L.IDENTITIES:
                    plain.append(groups[-1])
        for key in FLOWS:
            months = tuple(_var(i, "month", key) for i in range(max(0, t - 11), t + 1))
            groups.append(Group(_var(t, "rolling", key), months))
            plain.append(groups[-1])

    small = f"<{threshold}"

    def with_zero(t: int, widest: bool) -> set[str]:
        """The cells of month ``t``'s sums that hold a hidden zero (with ``widest``, every zero is hidden): there a
        "<5" may be 0 (the rule the return's suppression follows, ``exports.suppression``); elsewhere it is 1 to 4."""
        true, shown = returns[t]
        hidden_zeros = {
            k
            for k in L.PUBLISHED["month"]
            if true["month"][k] == 0 and (shown["month"][k] == small or (widest and k not in L.STOCK_KEYS))
        }
        out: set[str] = set()
        for g in (*L.GROUPS, *L.IDENTITIES):
            keys = (g.total, *g.members)
            if hidden_zeros.intersection(keys):
                out.update(keys)
        return out

    def initial(widest: bool = False) -> dict[str, tuple[float, float]]:
        rng: dict[str, tuple[float, float]] = {k: (v, v) for k, v in constants.items()}
        for t, (true, shown) in enumerate(returns):
            zeros = with_zero(t, widest)
            for period in ("month", "rolling"):
                for key in (*L.COUNT_KEYS, *L.PART_KEYS):
                    v = name(t, period, key)
                    if not isinstance(v, str) or v in rng:
                        continue
                    if key in L.PART_KEYS:
                        known = key in L.KNOWN_PART_KEYS
                        rng[v] = (true[period][key],) * 2 if known else (0, INF)
                    elif widest and key in L.PUBLISHED[period] and key not in L.STOCK_KEYS:
                        # every figure but the totals hidden: what the totals give away on their own
                        value = true[period][key]
                        if period == "rolling":
                            rng[v] = (0, INF)
                        elif value < threshold:
                            rng[v] = (0 if key in zeros else 1, threshold - 1)
                        else:
                            rng[v] = (threshold, INF)
                    elif key in L.PUBLISHED[period]:
                        b = bounds(shown[period][key], threshold, period)
                        rng[v] = (0 if key in zeros else 1, b[1]) if shown[period][key] == small else b
                    else:
                        rng[v] = (0, INF)
        return rng

    def pinned(widest: bool, sums: list[Group]) -> list[tuple]:
        rng = initial(widest)
        solve(rng, sums)
        out = []
        for t, (_, shown) in enumerate(returns):
            for period in ("month", "rolling"):
                for key in L.PUBLISHED[period]:
                    if L.MEASURES[key].kind != "count" or not isinstance(shown[period][key], str):
                        continue
                    lo, hi = rng[name(t, period, key)]
                    if lo == hi:
                        out.append(("identities", t, period, key, lo))
        return out

    # what the totals give away on their own, and what the returns' own sums give away without the identities
    # (the cells no suppression can protect, see exports.suppression's notes; the existing attacks concede them)
    by_totals = [x for x in pinned(True, groups) if x[2] == "month"] + pinned(False, plain)
    # and a rolling year whose every month is shown or given away so: it says nothing more than they do
    known = {(t, key) for _, t, period, key, _ in by_totals if period == "month"}
    for t, (_, shown) in enumerate(returns):
        for key in FLOWS:
            window = range(max(0, t - 11), t + 1)
            if isinstance(shown["rolling"][key], str) and all(
                not isinstance(returns[i][1]["month"][key], str) or (i, key) in known for i in window
            ):
                by_totals.append(("identities", t, "rolling", key, None))
    return pinned(False, groups), by_totals


def solve(rng: dict, groups: list[Group]) -> None:
    """Narrow every cell's range by every sum until none narrows (``exports.suppression.solve_sum``, each step
    sound: a true value is never left out)."""
    sums_of: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        for c in (g.total, *g.members):
            sums_of.setdefault(c, []).append(i)
    queue, queued = deque(range(len(groups))), set(range(len(groups)))
    while queue:
        i = queue.popleft()
        queued.discard(i)
        g = groups[i]
        t_range, m_ranges = solve_sum(rng[g.total], [rng[c] for c in g.members])
        for c, new in zip((g.total, *g.members), (t_range, *m_ranges), strict=True):
            if new != rng[c] and new[0] <= new[1]:
                rng[c] = new
                for j in sums_of[c]:
                    if j not in queued:
                        queued.add(j)
                        queue.append(j)


def _cells(found: list[tuple]) -> set[tuple]:
    return {(t, period, key) for _, t, period, key, _ in found}


def _identities_hold(figures: dict) -> list[tuple]:
    """The identity groups that do not add up, and the parts below 0, in one period's figures."""
    wrong = [
        (g.total, figures[g.total], sum(figures[k] for k in g.members))
        for g in L.IDENTITIES
        if figures[g.total] != sum(figures[k] for k in g.members)
    ]
    return wrong + [(k, figures[k]) for k in L.PART_KEYS if figures[k] < 0]


def test_the_caseload_identities_hold_exactly_in_every_month_of_every_series():
    """Last month's totals plus what came in, less what went out, are this month's, with every part a count of 0
    or more: in every month, rolling year and month before of synthetic services, and of the demo."""
    for seed, n in ((1, 40), (2, 90), (5, 60)):
        returns = series(synthetic_service(seed, n, FIRST, add_months(FIRST, MONTHS - 1)), MONTHS, 0)
        for t, (true, _) in enumerate(returns):
            for figures in (true["month"], true["rolling"]):
                assert _identities_hold(figures) == [], (seed, t)
            # the totals a month begins with are the month before's, in the return and in the months before
            before = returns[t - 1][0]["month"] if t else dict.fromkeys(L.STOCK_KEYS, 0)
            for stock, start in balance.BEFORE.items():
                assert true["month"][start] == before[stock], (seed, t, stock)
            year_before = returns[t - 12][0]["month"] if t >= 12 else dict.fromkeys(L.STOCK_KEYS, 0)
            assert true["rolling"]["active_before"] == year_before["active"]
    db = connect(Path(tempfile.mkdtemp()) / "demo.db", create=True)
    try:
        fill_demo(db, 60, 3, date(2026, 12, 7), datetime(2026, 12, 7, 9, 0), checklist=checklist_of(db))
        months = 0
        for i in range(12):
            first = add_months(date(2025, 12, 1), i)
            ret = build_return(
                load_facts(db, month_end(first)), first, month_end(first), scoring=DEFAULT, deadlines=DEADLINES
            )
            for figures in (ret.figures["month"], ret.figures["rolling"], *ret.history):
                assert _identities_hold(figures) == [], first
            months += ret.figures["month"]["court_accepted"] + ret.figures["month"]["completed"]
        assert months > 10  # the demo's months made and ended orders: the identities were put to work
    finally:
        db.close()


def test_the_series_attack_finds_nothing_through_the_caseload_identities():
    """With the caseload totals exact, the identities give a reader a known end for each month's flows; every
    month's suppression protects its flows against them, and a count the totals pin by themselves (a month whose
    caseload grew by 4 with nothing ending made 4 orders) is shown as it is, not as a "<5" that would pretend to
    hide it. Five services: no hidden cell is given away, and such counts do occur (so the rule was put to work)."""
    shown_for_the_totals = 0
    for seed, n in ((0, 40), (1, 40), (2, 40), (3, 90), (4, 90)):
        returns = series(synthetic_service(seed, n, FIRST, add_months(FIRST, MONTHS - 1)), MONTHS, 5)
        found, _ = identity_attack(returns, 5)
        assert found == [], found[:5]
        assert attack(returns, 5) == []
        for true, shown in returns:
            month, out = true["month"], shown["month"]
            small_counts = [k for k in L.PUBLISHED["month"] if L.MEASURES[k].kind == "count" and k not in L.STOCK_KEYS]
            shown_for_the_totals += sum(1 for k in small_counts if 0 < month[k] < 5 and out[k] == month[k])
    assert shown_for_the_totals > 0


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
    given_away, by_totals = identity_attack(returns, threshold)
    beyond = _cells(given_away) - _cells(by_totals)
    assert not beyond, f"given away through the caseload identities: {sorted(beyond)[:5]}"


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
    given_away, by_totals = identity_attack(returns, 5)
    beyond = _cells(given_away) - _cells(by_totals)
    assert not beyond, f"given away through the caseload identities: {sorted(beyond)[:5]}"
