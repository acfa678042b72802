"""Small-count suppression for the return, with every published sum protected (secondary suppression).

Primary: a count from 1 to ``threshold - 1`` is shown as ``"<5"`` (for the default threshold of 5).

Secondary: the return publishes sums (``exports.layout.GROUPS``: a total and the counts that make it up, such
as court decisions = made + declined, and made = CO + SSO = on its own + with DRR + with ATR). Each sum is a
constraint a reader can solve. The reader is assumed to know these rules, so a shown figure is exact, a "<5"
holds 1 to 4 (0 to 4 in a sum where a zero was hidden: the reader cannot tell which "<5" it is) and a "[c]"
holds 5 or more (a "[c]" is never a zero, see below). A hidden cell is *given away* when the sums pin it to
one value: the plain subtraction of a sum with exactly one hidden cell, or bounds (6 = [c] + <5 makes them 5
and 1). ``hide`` hides more cells until none is given away, in two rounds repeated until neither hides more:

1. Each sum on its own (``protected``), every hidden cell of it, not only the "<5" ones: a total hidden as
   "[c]" to protect "declined" would be worked out again from another sum that has it as its total (made =
   CO + SSO with both shown), or as a member. While a sum gives a cell away, one more of its cells is hidden
   (``complement``): the smallest shown non-zero member, else the total, else a zero member (below).
2. Chains. What one sum tells about a hidden cell is carried into every other sum it appears in (the cell's
   range, narrowed sum by sum until nothing changes, as a reader solving the sums together would: court
   decisions 9 = made [c] + declined <5 puts made at 5 to 8, made = CO 7 + SSO <5 puts it at 8 or more, so
   made is 8 and both small counts are 1). A cell pinned that way gets one more cell hidden in the nearest
   sum around it that still shows one (``_hide_near``).

Zeros. A shown 0 is never hidden while a non-zero cell of the sum is still shown, total included: a zero hidden
beside a lone small count only tells the reader that the two hidden cells add up to that count, and one of
them is a zero, which is no protection. So the complementary cell is a non-zero member, else the (non-zero)
total, and a zero member is hidden (as "<5") only when every non-zero cell of the sum is hidden already and
the sum still gives a cell away: exactly ``threshold - 1`` categories of one person each with the total hidden
as "<5" (4 = 1 + 1 + 1 + 1 + 0). A shown 0 is therefore always a true zero and a "[c]" always 5 or more.

What cannot be protected: a sum whose every cell is hidden and that has no zero left to hide, which happens
only with exactly ``threshold - 1`` categories of one person each; it tells the reader only that each holds
one person. And, in a very small table, a cell pinned by the markers' bounds alone once every cell of every
sum around it is hidden: with a threshold of 3 and 6 people active, 6 = <3 + <3 + <3 (armed forces yes, no,
not recorded) beside 6 = [c] + [c] (disability) tells the reader each "<3" is 2. Nothing shown remains to
hide; a threshold above the service's size is the remedy (the Month screen and ``--suppress-below`` set it).
Across months (``rolling_hidden``): the rolling-year column is not suppressed as a table of its own but
consistently with the twelve month columns it adds up, each of which the chair holds in that month's return.

The caseload (``month_hidden``): the totals at the month end (``layout.STOCK_KEYS``) are ``fixed``: always shown,
never a complement. Last month's totals plus what came in, less what went out, are this month's
(``exports.balance``), so each month is also protected against those identities, whose parts are never published:
the ones that are nearly always 0 count as known to the reader (``fixed`` too), the others are ``unpublished``
(0 or more, never shown, never a complement, not cells to protect). Each month needs only its own figures: the
totals at both its ends are exact. A cell the fixed cells pin whatever else is hidden (``pinned_by_fixed``) is
given away by them, so it is shown as it is, like them (a "<5" there would claim a protection it does not have),
and treated as fixed from then on.

Means and rates are hidden as "[c]" when a count they are worked out from is hidden.
With a threshold of 0 (or 1) nothing is suppressed: such a return is for merging within the service only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

from exports import layout as L
from exports.table_spec import Group

SECONDARY = "[c]"
Value = float | int | str | None
SMALL, ZERO, BIG = "small", "zero", "secondary"  # how a hidden cell was hidden
SERIES = "series"  # a rolling-year figure hidden because one of its months is (``rolling_hidden``)
# A count the return does not publish but that ties published figures together (the parts of the caseload
# identities, ``exports.balance``): unknown to the reader beyond being a whole number of 0 or more, never shown,
# never hidden to protect another cell, and not itself a cell to protect.
UNPUBLISHED = "unpublished"
INF = float("inf")
Bounds = tuple[float, float]


def small_marker(threshold: int) -> str:
    return f"<{threshold}"


def _bounds(kind: str, threshold: int, zero_in_sum: bool) -> Bounds:
    """What the reader knows of a hidden cell of this kind."""
    if kind == BIG:
        return threshold, INF
    if kind == UNPUBLISHED:
        return 0, INF
    return (0 if zero_in_sum or kind == ZERO else 1), threshold - 1


def solve_sum(total: Bounds, members: Sequence[Bounds]) -> tuple[Bounds, list[Bounds]]:
    """The range each cell of ``total = sum(members)`` can take given every cell's range.

    Exact for one sum (the reachable values of a cell form a whole range), so a cell whose range comes back as
    one value is pinned by the sum. Infinite upper bounds are counted apart so that no ``inf - inf`` is taken.
    """
    lo_sum = sum(lo for lo, _ in members)
    finite_hi = sum(hi for _, hi in members if hi != INF)
    n_inf = sum(1 for _, hi in members if hi == INF)
    t_lo, t_hi = max(total[0], lo_sum), min(total[1], INF if n_inf else finite_hi)
    out = []
    for lo, hi in members:
        rest_lo = lo_sum - lo
        rest_hi = INF if n_inf - (hi == INF) else finite_hi - (0 if hi == INF else hi)
        out.append((max(lo, total[0] - rest_hi), min(hi, total[1] - rest_lo)))
    return (t_lo, t_hi), out


def protected(total: tuple[int, str | None], members: Sequence[tuple[int, str | None]], threshold: int) -> bool:
    """Whether the sum alone leaves every hidden cell (small or not, total or member) two or more values.

    Each cell is ``(value, hidden)`` where ``hidden`` is None (shown), ``"small"`` (a count from 1 to
    threshold - 1, shown "<5"), ``"zero"`` (a zero shown "<5") or ``"secondary"`` (shown "[c]"). True values are
    used only for what the reader sees: the shown cells.
    """
    return not given_away(total, members, threshold)


def given_away(total: tuple[int, str | None], members: Sequence[tuple[int, str | None]], threshold: int) -> list[int]:
    """The positions (0 the total, then the members) of the hidden cells the sum alone pins (``protected``)."""
    zero_in_sum = any(h == ZERO for _, h in (total, *members))

    def reader(cell: tuple[int, str | None]) -> Bounds:
        value, how = cell
        return (value, value) if not how else _bounds(how, threshold, zero_in_sum)

    t_range, m_ranges = solve_sum(reader(total), [reader(m) for m in members])
    cells = zip((total, *members), (t_range, *m_ranges), strict=True)
    return [i for i, ((_, how), (lo, hi)) in enumerate(cells) if how and how != UNPUBLISHED and hi <= lo]


def complement(
    group: Group, values: Mapping[str, int], hidden: Mapping[str, str], fixed: AbstractSet[str] = frozenset()
) -> tuple[str, str] | None:
    """The next cell to hide in a sum that gives a cell away, and how: the smallest shown non-zero member as
    "[c]" (members before the total, so the total stays readable where it can), else the total as "[c]", else a
    zero member as "<5" (the last resort, see the module notes), else a zero total as "<5" (only in a caseload
    identity, whose other cells are fixed or unpublished); None when no cell is left to hide. A ``fixed`` cell
    (always shown) and an unpublished one (hidden from the start) are never chosen."""
    free = [k for k in group.members if k not in hidden and k not in fixed]
    shown = [(values[k], i) for i, k in enumerate(free) if values[k] > 0]
    if shown:
        return free[min(shown)[1]], BIG
    total_free = group.total not in hidden and group.total not in fixed
    if total_free and values[group.total] > 0:
        return group.total, BIG
    if free:
        return free[0], ZERO
    return (group.total, ZERO) if total_free else None


def _cells(
    g: Group, values: Mapping[str, int], hidden: Mapping[str, str]
) -> tuple[tuple[int, str | None], list[tuple[int, str | None]]]:
    return (values[g.total], hidden.get(g.total)), [(values[k], hidden.get(k)) for k in g.members]


def _sums_by_cell(groups: Sequence[Group]) -> dict[str, list[Group]]:
    """Every sum each cell appears in, as its total or as a member."""
    out: dict[str, list[Group]] = {}
    for g in groups:
        for k in (g.total, *g.members):
            out.setdefault(k, []).append(g)
    return out


def _protect_each_sum(
    values: Mapping[str, int],
    groups: Sequence[Group],
    hidden: dict[str, str],
    threshold: int,
    fixed: AbstractSet[str] = frozenset(),
) -> set[str]:
    """Round 1: hide until every sum on its own keeps each hidden cell two values or more. Returns the cells that
    sums with nothing left to hide give away (see "What cannot be protected")."""
    beyond_help: set[str] = set()
    changed = True
    while changed:
        changed = False
        beyond_help.clear()
        for g in groups:
            while not protected(*_cells(g, values, hidden), threshold):
                step = complement(g, values, hidden, fixed)
                if step is None:  # the cells it pins stay pinned; the others may still be protected elsewhere
                    cells = (g.total, *g.members)
                    beyond_help.update(cells[i] for i in given_away(*_cells(g, values, hidden), threshold))
                    break
                hidden[step[0]] = step[1]
                changed = True
    return beyond_help


def reader_ranges(
    values: Mapping[str, int], groups: Sequence[Group], hidden: Mapping[str, str], threshold: int
) -> dict[str, Bounds]:
    """What a reader can work out of every cell by solving all the sums together (round 2).

    Each hidden cell starts at the range its marker allows ("<5" in a sum with a hidden zero: 0 to 4) and each
    sum narrows its cells' ranges, again and again (only the sums whose cells changed) until none narrows. The
    true values always stay inside (every step is sound), so a range of one value is a cell given away.
    """
    with_zero = {
        k for g in groups if any(hidden.get(c) == ZERO for c in (g.total, *g.members)) for k in (g.total, *g.members)
    }
    rng: dict[str, Bounds] = {}
    for g in groups:
        for k in (g.total, *g.members):
            how = hidden.get(k)
            rng[k] = (values[k], values[k]) if not how else _bounds(how, threshold, k in with_zero)
    sums_of = _sums_by_cell(groups)
    queue, queued = deque(groups), set(range(len(groups)))
    index = {id(g): i for i, g in enumerate(groups)}
    budget = 100 * len(groups)  # figures that add up settle long before; ones that do not could creep on
    while queue and budget:
        budget -= 1
        g = queue.popleft()
        queued.discard(index[id(g)])
        t_range, m_ranges = solve_sum(rng[g.total], [rng[k] for k in g.members])
        for k, new in zip((g.total, *g.members), (t_range, *m_ranges), strict=True):
            if new != rng[k] and new[0] <= new[1]:  # an empty range: figures that do not add up; left alone
                rng[k] = new
                for other in sums_of[k]:
                    if index[id(other)] not in queued:
                        queued.add(index[id(other)])
                        queue.append(other)
    return rng


def _hide_near(
    cell: str,
    values: Mapping[str, int],
    groups: Sequence[Group],
    hidden: dict[str, str],
    fixed: AbstractSet[str] = frozenset(),
    sums_of: dict[str, list[Group]] | None = None,
) -> bool:
    """Hide one more cell in the sums around ``cell``, nearest first (its own sums, then the sums of the hidden
    cells beside it...), choosing among the sums at one distance as ``complement`` does. An unpublished cell is
    no distance: the sums it ties together count as one (a caseload identity runs through several of them), and
    a cell of such a chain is chosen before one of a published sum (whose own protection round 1 has seen to).
    False: none is left."""
    sums_of = _sums_by_cell(groups) if sums_of is None else sums_of
    seen_cells, seen_sums = {cell}, set()
    layer = [cell]
    while layer:
        options: list[tuple[bool, bool, bool, int, tuple[str, str]]] = []
        next_layer: list[str] = []
        todo = list(layer)
        while todo:
            c = todo.pop()
            for g in sums_of.get(c, []):
                if id(g) in seen_sums:
                    continue
                seen_sums.add(id(g))
                step = complement(g, values, hidden, fixed)
                if step is not None:
                    # a caseload identity first, a non-zero before a zero, a member before a total, the smallest
                    chain = any(k in fixed or hidden.get(k) == UNPUBLISHED for k in (g.total, *g.members))
                    options.append((not chain, step[1] == ZERO, step[0] == g.total, values[step[0]], step))
                for k in (g.total, *g.members):
                    if k in hidden and k not in seen_cells:
                        seen_cells.add(k)
                        (todo if hidden[k] == UNPUBLISHED else next_layer).append(k)
        if options:
            *_, (key, how) = min(options)
            hidden[key] = how
            return True
        layer = next_layer
    return False


def hide(
    values: Mapping[str, int],
    groups: Sequence[Group],
    count_keys: Sequence[str],
    threshold: int,
    *,
    fixed: AbstractSet[str] = frozenset(),
    unpublished: AbstractSet[str] = frozenset(),
) -> dict[str, str]:
    """The cells to hide among ``count_keys`` of one period: ``{key: "small" | "zero" | "secondary"}``, with
    every ``unpublished`` cell as ``"unpublished"``.

    ``fixed`` cells are always shown, whatever their size (the caseload totals): never a small count, never a
    complement. ``unpublished`` cells are never shown: the reader knows only that each is 0 or more. Afterwards no
    sum has exactly one hidden cell and no hidden cell can be worked out, from one sum or from the sums together,
    except in a sum that cannot be protected (module notes).
    """
    vals = {k: int(values.get(k) or 0) for k in {*count_keys, *(c for g in groups for c in (g.total, *g.members))}}
    if fixed:  # what the fixed cells give away whatever is hidden is shown: a "<5" there would only pretend
        fixed = frozenset(fixed) | pinned_by_fixed(vals, groups, count_keys, threshold, fixed, unpublished)
    hidden: dict[str, str] = {k: SMALL for k in count_keys if 0 < vals[k] < threshold and k not in fixed}
    hidden.update(dict.fromkeys(unpublished, UNPUBLISHED))
    # With a threshold of 2 a "<2" says 1 by itself: hiding other cells cannot protect it, so none are hidden
    # for it beyond its own sums (round 1).
    stuck: set[str] = {k for k, how in hidden.items() if how == SMALL} if threshold == 2 else set()
    sums_of = _sums_by_cell(groups)
    # a cell a sum gives away on its own with nothing left to hide in it (round 1) may still be pinned more firmly
    # by a caseload identity, where hiding a flow of the month protects it: those are not given up on
    chained = {
        k
        for g in groups
        if any(c in fixed or c in unpublished for c in (g.total, *g.members))
        for k in (g.total, *g.members)
    }
    beyond_help: set[str] = set()
    while True:
        beyond_help |= _protect_each_sum(vals, groups, hidden, threshold, fixed)
        ranges = reader_ranges(vals, groups, hidden, threshold)
        pinned = [
            k
            for k, (lo, hi) in ranges.items()
            if k in hidden
            and hidden[k] != UNPUBLISHED
            and lo >= hi
            and k not in stuck
            and (k not in beyond_help or k in chained)
        ]
        if not pinned:
            return hidden
        if not any(_hide_near(k, vals, groups, hidden, fixed, sums_of) for k in pinned):
            stuck.update(pinned)


def pinned_by_fixed(
    values: Mapping[str, int],
    groups: Sequence[Group],
    count_keys: Sequence[str],
    threshold: int,
    fixed: AbstractSet[str],
    unpublished: AbstractSet[str] = frozenset(),
) -> set[str]:
    """The cells the ``fixed`` ones give away however much else is hidden: with every other cell hidden (a zero
    as "<5", so that every sum holding one reads its "<5"s as 0 to 4; other small counts as "<5", 1 to 4; the rest
    as "[c]"), the sums still pin them. With the caseload totals shown in full, a month whose caseload grew by 4
    made at least 4 orders, so a "<5" of orders made that month is 4 whatever is hidden beside it. No complement
    can protect such a cell, so it is shown as it is (``hide``); the About sheet says so."""
    widest = {
        k: (ZERO if values[k] == 0 else SMALL if values[k] < threshold else BIG) for k in count_keys if k not in fixed
    }
    widest.update(dict.fromkeys(unpublished, UNPUBLISHED))
    ranges = reader_ranges(values, groups, widest, threshold)
    return {k for k, (lo, hi) in ranges.items() if k in widest and widest[k] != UNPUBLISHED and lo >= hi}


_KEYS = (*L.COUNT_KEYS, *L.PART_KEYS)


def _counts(values: Mapping[str, float | int | None]) -> dict[str, int]:
    return {k: int(values.get(k) or 0) for k in _KEYS}


_SUMS = (*L.GROUPS, *L.IDENTITIES)
_FIXED = frozenset((*L.STOCK_KEYS, *L.KNOWN_PART_KEYS))
_UNPUBLISHED = frozenset(L.PART_KEYS) - L.KNOWN_PART_KEYS
_PUBLISHED_COUNTS = tuple(k for k in L.COUNT_KEYS if k not in L.STOCK_KEYS)


def month_hidden(values: Mapping[str, float | int | None], threshold: int) -> dict[str, str]:
    """The count cells hidden in one month's column: ``hide`` over the layout's sums and the caseload identities
    (``exports.balance``), with the caseload totals always shown, the parts of the identities a reader may know
    treated as known (``fixed``) and the others as unknown counts of 0 or more (``unpublished``). Nothing here
    depends on an earlier month's suppression: the totals at both ends of the month are exact."""
    return dict(_month_hidden(tuple(_counts(values).values()), threshold))


@lru_cache(maxsize=64)
def _month_hidden(counts: tuple[int, ...], threshold: int) -> dict[str, str]:
    """``month_hidden`` of the counts in ``_KEYS`` order, kept for the next return: each month is suppressed in
    its own return and again for each of the eleven returns after it (``rolling_hidden``); the result is copied
    before it leaves."""
    values = dict(zip(_KEYS, counts, strict=True))
    return hide(values, _SUMS, _PUBLISHED_COUNTS, threshold, fixed=_FIXED, unpublished=_UNPUBLISHED)


def rolling_hidden(
    this_month: Mapping[str, str], history: Sequence[Mapping[str, float | int | None]], threshold: int
) -> dict[str, str]:
    """The count cells hidden in the rolling-year column: consistent suppression across the series.

    A rolling year is the sum of its twelve months, each of which the chair has in its own return. So a rolling
    figure is shown only where every one of its twelve months shows that figure (it then says nothing the
    months do not), and hidden ("[c]", whatever its size) where any of them hid it: ``this_month`` is the month
    column's hidden cells, ``history`` the unsuppressed figures of the months before it in the rolling year
    (a month not given held nothing: the service had not begun). Whatever a reader combines (this year less
    last year plus the month that left, twelve months against their year, the sums of any return) is then
    worked out from month columns alone, each protected on its own by ``hide``. The caseload totals read on the
    last day (``layout.STOCK_KEYS``) are the same in both columns and always shown.
    """
    months = {k for k, how in this_month.items() if how != UNPUBLISHED}
    for values in history:
        months.update(k for k, how in month_hidden(values, threshold).items() if how != UNPUBLISHED)
    return dict.fromkeys(months, SERIES)


def suppress(
    figures: Mapping[str, Mapping[str, float | int | None]],
    threshold: int,
    history: Sequence[Mapping[str, float | int | None]] = (),
) -> dict[str, dict[str, Value]]:
    """The figures as shown: ``{period: {key: value}}`` with small counts, protecting cells, and the means and
    rates that would reveal them replaced by their markers. The month column is protected on its own
    (``hide``); the rolling-year column consistently with its months (``rolling_hidden``, which reads
    ``history``: the unsuppressed figures of the months before, oldest first)."""
    shown: dict[str, dict[str, Value]] = {p: dict(vals) for p, vals in figures.items()}
    if threshold <= 1:
        return shown
    small = small_marker(threshold)
    this_month = month_hidden(figures["month"], threshold) if "month" in figures else {}
    for period in figures:
        hidden = this_month if period == "month" else rolling_hidden(this_month, history, threshold)
        out = shown[period]
        for k, how in hidden.items():
            if how != UNPUBLISHED:
                out[k] = small if how in (SMALL, ZERO) else SECONDARY
        for key, m in L.MEASURES.items():
            if m.kind in ("mean", "rate") and (m.num in hidden or m.den in hidden):
                out[key] = SECONDARY
    return shown
