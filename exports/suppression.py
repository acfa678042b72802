"""Small-count suppression for the return, with the published sums protected (secondary suppression).

Primary: a count from 1 to ``threshold - 1`` is shown as ``"<5"`` (for the default threshold of 5). Zero is
shown as 0, except where it has to be hidden to protect another cell (below); "<5" is then still true.

Secondary: the return publishes sums (``exports.layout.GROUPS``: a total and the counts that make it up, such
as Clinical Lead decisions = approved + declined). The audit assumes a reader who knows these rules: a "<5" cell
holds 1 to 4 (0 to 4 in a sum where a zero was hidden, since the reader cannot tell which one it is) and a
"[c]" cell holds 5 or more. ``protected`` checks that, for that reader, every small count of a sum can still
hold at least two values. While one cannot, ``hide`` hides more of that sum, in this order: the smallest
visible non-zero count (as "[c]"), a zero count (as "<5"), and last the total (as "[c]"). A sum whose every
cell is already hidden is left as it is: that needs all its counts to be 1 and at least ``threshold - 1`` of
them with no zero beside them, and it tells the reader only that each of those categories holds one person.
Hidden cells are shared between sums (the same count appears in several), so the sums are checked again until
none changes. Each sum is audited on its own, the usual practice for published tables; combinations of
several sums, and differences between one month's rolling year and the next, are not audited.

Means and rates are hidden as "[c]" when a count they are worked out from is hidden.
With a threshold of 0 (or 1) nothing is suppressed: such a return is for merging within the service only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from exports import layout as L

SECONDARY = "[c]"
Value = float | int | str | None
SMALL, ZERO, BIG = "small", "zero", "secondary"  # how a hidden cell was hidden
INF = float("inf")


def small_marker(threshold: int) -> str:
    return f"<{threshold}"


def _bounds(kind: str, threshold: int, zero_in_sum: bool) -> tuple[int, float]:
    """What the reader knows of a hidden cell of this kind."""
    if kind == BIG:
        return threshold, INF
    return (0 if zero_in_sum or kind == ZERO else 1), threshold - 1


def protected(total: tuple[int, str | None], members: Sequence[tuple[int, str | None]], threshold: int) -> bool:
    """Whether every small count of one sum keeps two or more possible values for the reader.

    Each cell is ``(value, hidden)`` where ``hidden`` is None (shown), ``"small"`` (a count from 1 to
    threshold - 1, shown "<5"), ``"zero"`` (a zero shown "<5") or ``"secondary"`` (shown "[c]"). True values are
    used only to know what the reader sees: the visible cells.
    """
    zero_in_sum = any(h == ZERO for _, h in members)
    visible = sum(v for v, h in members if not h)
    hidden = [h for _, h in members if h]
    total_value, total_kind = total
    b = [_bounds(h, threshold, zero_in_sum) for h in hidden]
    lo_all, hi_all = sum(lo for lo, _ in b), sum(hi for _, hi in b)
    # the reader's range for the total: shown, or what its marker allows
    lo_t, hi_t = (total_value, total_value) if not total_kind else _bounds(total_kind, threshold, False)
    cells = [(h, bi) for h, bi in zip(hidden, b, strict=True)]
    if total_kind == SMALL:
        cells.append((SMALL, None))
    for kind, own in cells:
        if kind != SMALL:
            continue
        feasible = 0
        if own is None:  # the total: visible + hidden members must reach it
            rng = range(int(lo_t), int(hi_t) + 1)
            feasible = sum(1 for x in rng if lo_all <= x - visible <= hi_all)
        else:
            lo_rest, hi_rest = lo_all - own[0], hi_all - own[1]
            for x in range(int(own[0]), int(own[1]) + 1):
                # some total within [lo_t, hi_t] equals visible + x + (rest within its bounds)
                if visible + x + lo_rest <= hi_t and visible + x + hi_rest >= lo_t:
                    feasible += 1
        if feasible < 2:
            return False
    return True


def hide(
    values: Mapping[str, int], groups: Sequence[L.Group], count_keys: Sequence[str], threshold: int
) -> dict[str, str]:
    """The cells to hide among ``count_keys`` of one period: ``{key: "small" | "zero" | "secondary"}``."""
    hidden: dict[str, str] = {k: SMALL for k in count_keys if 0 < int(values.get(k) or 0) < threshold}
    changed = True
    while changed:
        changed = False
        for g in groups:
            while True:
                members = [(int(values.get(k) or 0), hidden.get(k)) for k in g.members]
                total = (int(values.get(g.total) or 0), hidden.get(g.total))
                if protected(total, members, threshold):
                    break
                big = [(v, i) for i, (v, h) in enumerate(members) if not h and v > 0]
                zeros = [i for i, (v, h) in enumerate(members) if not h and v == 0]
                if big:
                    hidden[g.members[min(big)[1]]] = BIG
                elif zeros:
                    hidden[g.members[zeros[0]]] = ZERO
                elif not total[1] and total[0] > 0:
                    hidden[g.total] = BIG
                else:  # every cell of the sum is hidden already
                    break
                changed = True
    return hidden


def suppress(figures: Mapping[str, Mapping[str, float | int | None]], threshold: int) -> dict[str, dict[str, Value]]:
    """The figures as shown: ``{period: {key: value}}`` with small counts, protecting cells, and the means and
    rates that would reveal them replaced by their markers."""
    shown = {p: dict(vals) for p, vals in figures.items()}
    if threshold <= 1:
        return shown
    small = small_marker(threshold)
    for period, vals in figures.items():
        hidden = hide({k: vals.get(k) or 0 for k in L.COUNT_KEYS}, L.GROUPS, L.COUNT_KEYS, threshold)
        out = shown[period]
        for k, how in hidden.items():
            out[k] = SECONDARY if how == BIG else small
        for key, m in L.MEASURES.items():
            if m.kind in ("mean", "rate") and (m.num in hidden or m.den in hidden):
                out[key] = SECONDARY
    return shown
