"""Small-count suppression: primary ("<5"), secondary ("[c]") so that no small count can be worked out from a
published total, checked against a brute-force reader who knows the rule; means and rates of hidden counts.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from exports import layout as L
from exports import table_spec
from exports.measures import empty_figures, finish
from exports.suppression import SECONDARY, complement, hide, pinned_by_fixed, protected, reader_ranges, suppress


def brute_force_values(total: int, members: list[int], hidden: dict[int, str], total_hidden: str | None, t: int):
    """Every value each small hidden cell could hold for a reader who sees the table and knows the rule, found by
    trying every assignment: "<t" holds 1..t-1 (0..t-1 in a sum where a zero was hidden), "[c]" t or more."""
    cap = total + sum(members) + t
    zero_in_sum = "zero" in hidden.values()
    small = range(0 if zero_in_sum else 1, t)
    dom = {"small": small, "zero": range(0, t), "secondary": range(t, cap + 1)}
    visible = sum(v for i, v in enumerate(members) if i not in hidden)
    idx = sorted(hidden)
    total_dom = {"small": range(1, t), "secondary": range(t, cap + 1)}[total_hidden] if total_hidden else [total]
    possible: dict[object, set[int]] = {i: set() for i in idx if hidden[i] == "small"}
    if total_hidden == "small":
        possible["total"] = set()
    for combo in itertools.product(*(dom[hidden[i]] for i in idx)):
        s = visible + sum(combo)
        if s in total_dom:
            for i, v in zip(idx, combo, strict=True):
                if i in possible:
                    possible[i].add(v)
            if "total" in possible:
                possible["total"].add(s)
    return possible


def _one_group(members: list[int], t: int) -> tuple[dict[str, str], table_spec.Group]:
    keys = [f"m{i}" for i in range(len(members))]
    group = table_spec.Group("total", tuple(keys))
    values = dict(zip(keys, members, strict=True)) | {"total": sum(members)}
    return hide(values, [group], [*keys, "total"], t), group


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=2, max_size=4), st.sampled_from([3, 5]))
def test_no_small_count_can_be_worked_out_from_its_total(members, t):
    hidden, group = _one_group(members, t)
    for key, how in hidden.items():
        value = members[int(key[1:])] if key != "total" else sum(members)
        assert (how == "small") == (0 < value < t)  # every small count hidden as small, nothing else
        assert how != "zero" or value == 0
    where = {int(k[1:]): how for k, how in hidden.items() if k != "total"}
    possible = brute_force_values(sum(members), members, where, hidden.get("total"), t)
    everything_hidden = len(hidden) == len(members) + (sum(members) > 0)
    for cell, values in possible.items():
        assert len(values) >= 2 or everything_hidden, (members, hidden, cell, values)


def test_when_every_cell_is_hidden_nothing_more_can_be_done():
    # 2 = 1 + 1 with a threshold of 3: a reader can tell each is 1, and nothing is left to hide.
    hidden, _ = _one_group([1, 1], 3)
    assert hidden == {"m0": "small", "m1": "small", "total": "small"}


def test_a_zero_is_hidden_only_when_every_other_cell_is_hidden():
    # 4 = 1 + 1 + 1 + 1 (+ 0): all four would be read as 1; hiding the zero as "<5" leaves each 0 or 1 or more.
    hidden, _ = _one_group([1, 1, 1, 1, 0], 5)
    assert hidden["m4"] == "zero" and hidden["total"] == "small"
    # 6 = [c] + <5 + 0 gives them away as 5 and 1. A hidden zero would leave "<5 + <5 = 1": one of them is the
    # zero, the other 1. The total goes instead (a shown 0 is a true 0).
    hidden, _ = _one_group([5, 1, 0], 5)
    assert hidden == {"m1": "small", "m0": "secondary", "total": "secondary"}


def test_a_lone_small_count_takes_a_partner():
    hidden, _ = _one_group([7, 1, 0], 5)
    assert hidden == {"m1": "small", "m0": "secondary"}  # 8 = [c] + <5: 1, 2 or 3 and 7, 6 or 5


def test_when_the_counts_cannot_protect_the_total_is_hidden_too():
    # 6 = 5 + 1: hiding the 5 is not enough (a reader knows [c] is 5 or more, so <5 must be 1).
    hidden, _ = _one_group([5, 1], 5)
    assert hidden == {"m1": "small", "m0": "secondary", "total": "secondary"}
    assert protected((6, "secondary"), [(5, "secondary"), (1, "small")], 5)
    assert not protected((6, None), [(5, None), (1, "small")], 5)
    assert not protected((6, None), [(5, "secondary"), (1, "small")], 5)


def test_zero_and_large_counts_stay_visible():
    hidden, _ = _one_group([0, 9, 12], 5)
    assert hidden == {}


def test_a_total_shared_by_several_sums_is_hidden_in_all_of_them():
    values = {"a": 5, "b": 1, "c": 3, "d": 3, "t": 6}
    groups = [table_spec.Group("t", ("a", "b")), table_spec.Group("t", ("c", "d"))]
    hidden = hide(values, groups, list(values), 5)
    assert hidden["t"] == "secondary"  # forced by the first sum, so the second sum shows it hidden too
    assert {k for k, h in hidden.items() if h == "small"} == {"b", "c", "d"}


def _figures(**counts) -> dict:
    f = empty_figures()
    f.update(counts)
    return finish(f)


def test_means_and_rates_of_hidden_counts_are_hidden():
    month = _figures(
        **{
            "phq9.pairs": 3,
            "phq9.improved": 2,
            "phq9.mean_pre.sum": 45.0,
            "meetings": 12,
            "meetings_14": 12,
            "meetings_days.sum": 96.0,
        }
    )
    shown = suppress({"month": month, "rolling": month}, 5)["month"]
    assert shown["phq9.pairs"] == "<5" and shown["phq9.improved"] == "<5"
    assert shown["phq9.mean_pre"] == SECONDARY and shown["phq9.improved_rate"] == SECONDARY
    assert shown["meetings"] == 12 and shown["meetings_days"] == 8.0


def test_threshold_zero_shows_everything():
    month = _figures(screened=2, assessed=1)
    assert suppress({"month": month}, 0)["month"]["screened"] == 2
    assert suppress({"month": month}, 3)["month"]["screened"] == "<3"


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(L.COUNT_KEYS[:60]), st.integers(0, 12), max_size=25))
def test_the_layout_suppression_never_shows_a_small_count_the_totals_do_not_give_away(counts):
    # A small count is shown only where a "<5" would claim a protection it does not have: the caseload totals
    # (always in full) and the counts they pin whatever else is hidden (``pinned_by_fixed``).
    month = _figures(**counts)
    shown = suppress({"month": month}, 5)["month"]
    given_away = set(L.STOCK_KEYS) | pinned_by_fixed(
        {k: int(month.get(k) or 0) for k in (*L.COUNT_KEYS, *L.PART_KEYS)},
        (*L.GROUPS, *L.IDENTITIES),
        [k for k in L.COUNT_KEYS if k not in L.STOCK_KEYS],
        5,
        frozenset((*L.STOCK_KEYS, *L.KNOWN_PART_KEYS)),
        frozenset(L.PART_KEYS) - L.KNOWN_PART_KEYS,
    )
    for key in L.COUNT_KEYS:
        value = shown[key]
        small_shown = isinstance(value, int) and 0 < value < 5
        assert value in ("<5", SECONDARY) or not small_shown or key in given_away, (key, value)


# The caseload identities (exports.balance): cells always shown (fixed), parts never shown (unpublished).
IDENTITY = [table_spec.Group("through", ("before", "made", "entered")), table_spec.Group("through", ("after", "ended"))]
ENDED = [table_spec.Group("ended", ("completed", "withdrawn"))]


def test_a_fixed_cell_is_shown_however_small_and_never_hidden_to_protect_another():
    # 10 before + 3 made = 11 after + 2 ended (completed 2, withdrawn 0): the totals 10 and 11 are shown; "made"
    # 3 and "completed" 2 are small; with "ended" unknown the two small counts protect each other
    values = {
        "before": 10,
        "made": 3,
        "entered": 0,
        "after": 11,
        "ended": 2,
        "through": 13,
        "completed": 2,
        "withdrawn": 0,
    }
    hidden = hide(
        values,
        IDENTITY + ENDED,
        ["made", "completed", "withdrawn", "after"],
        5,
        fixed={"before", "after", "entered"},
        unpublished={"through", "ended"},
    )
    assert "before" not in hidden and "after" not in hidden and "entered" not in hidden
    assert hidden["through"] == hidden["ended"] == "unpublished"
    assert hidden["made"] == hidden["completed"] == "small"
    # made = 1 + completed: each "<5" leaves the other 2 to 4 and 1 to 3 values; the 0 withdrawn can stay shown
    assert "withdrawn" not in hidden
    ranges = reader_ranges(values, IDENTITY + ENDED, hidden, 5)
    assert ranges["made"] == (2, 4) and ranges["completed"] == (1, 3)


def test_a_flow_pinned_through_the_totals_takes_a_partner_in_the_identity_not_in_its_own_sums():
    # made 3 (<5) is also the total of made = co + sso (2 + 1, both small); completed 6 is shown. Through the
    # totals made = 11 - 10 + ended, ended = completed + withdrawn: hiding co or sso cannot help, hiding completed
    # can.
    values = {
        "before": 10,
        "made": 3,
        "entered": 0,
        "after": 7,
        "ended": 6,
        "through": 13,
        "completed": 6,
        "withdrawn": 0,
        "co": 2,
        "sso": 1,
    }
    groups = [*IDENTITY, *ENDED, table_spec.Group("made", ("co", "sso"))]
    hidden = hide(
        values,
        groups,
        ["made", "completed", "withdrawn", "co", "sso"],
        5,
        fixed={"before", "after", "entered"},
        unpublished={"through", "ended"},
    )
    assert hidden["completed"] == "secondary" and "withdrawn" not in hidden
    assert {k: hidden.get(k) for k in ("co", "sso")} == {"co": "small", "sso": "small"}
    assert reader_ranges(values, groups, hidden, 5)["made"] == (2, 4)  # made = completed - 3, completed 5 or more


def test_a_cell_the_fixed_totals_give_away_whatever_is_hidden_is_shown_as_they_are():
    # the caseload grew by 4 (10 -> 14) with nothing that can have ended: 4 orders made, "<5" or not, so it is shown
    values = {
        "before": 10,
        "made": 4,
        "entered": 0,
        "after": 14,
        "ended": 0,
        "through": 14,
        "completed": 0,
        "withdrawn": 0,
        "co": 4,
        "sso": 0,
    }
    groups = [*IDENTITY, *ENDED, table_spec.Group("made", ("co", "sso"))]
    fixed, unpublished = {"before", "after", "entered", "completed", "withdrawn"}, {"through", "ended"}
    counts = ["made", "co", "sso"]
    assert pinned_by_fixed(values, groups, counts, 5, fixed, unpublished) == {"made"}
    hidden = hide(values, groups, counts, 5, fixed=fixed, unpublished=unpublished)
    assert "made" not in hidden  # a "<5" would claim a protection it does not have
    assert hidden["co"] == "small" and "sso" in hidden  # its own sum still protects co and sso from each other


def test_a_zero_total_is_the_last_cell_a_caseload_identity_can_hide():
    group = table_spec.Group("completed", ("completed_in_order", "completed_other"))
    hidden = {"completed_in_order": "unpublished"}
    values = {"completed": 0, "completed_in_order": 0, "completed_other": 0}
    assert complement(group, values, hidden, fixed={"completed_other"}) == ("completed", "zero")
    assert complement(group, values, {**hidden, "completed": "zero"}, fixed={"completed_other"}) is None
