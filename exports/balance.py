"""The caseload identities: how each month's published flows add up to the change in the caseload totals.

The caseload totals at the month end (active, in treatment, awaiting the first session) are shown in full
(``exports.suppression``). Each is last month's total plus what came in less what went out, so a reader holding two
consecutive returns has an equation in the month's flows (orders made, first sessions, completions, withdrawals)
with known ends, and a hidden flow that is the only unknown of it is given away. The month's suppression therefore
protects the flows against these equations too, within the month alone: the totals are exact, so nothing depends
on what an earlier return hid.

Every part of an equation is a count of cases, worked out from the case facts (``exports.measures``), 0 or more,
so each equation is a published sum (``Group``) that holds exactly, whatever happened. A published flow that only
partly moves a total is split into the part that does and the rest (a withdrawal while awaiting the first session,
one while in treatment, and one of a case that was not an active order), so no equation needs a negative term.

The parts are never published. Two kinds:

- ``KNOWN``: the parts that are nearly always 0 (an order ended otherwise than by completion or withdrawal, such as
  an archived case; a completion of a case not in treatment; a first session of a case that was not awaiting one;
  an order that became active otherwise than by being made). Suppression assumes the reader knows them: a reader
  who guesses that they are 0 is nearly always right, so a hidden count must not rest on their being unknown.
- ``UNKNOWN``: the parts no reader can know (how the month's withdrawals split between those awaiting the first
  session and those in treatment, and the totals that tie the equations together). The reader knows only that
  each is 0 or more.

The same parts are counted for the rolling year (against the totals at the end of the month a year before), so
the rolling year's equation holds exactly too; they merge by adding, like every count.
"""

from __future__ import annotations

from exports.mhtr_table import R as MHTR
from exports.table_spec import Register

R = Register(MHTR)
_m, _group = R.measure, R.group

# The caseload totals at the end of the day before the period (last month's, or a year before for the rolling
# year): exact, as the return before showed them.
BEFORE = {
    "active": _m(
        "active_before",
        "Active MHTRs at the start of the period",
        "Active MHTRs at the end of the day before the period began (not published: the return before shows it).",
        kind="part",
    ),
    "active_treating": _m(
        "active_treating_before",
        "In treatment at the start of the period",
        "In treatment at the end of the day before the period began.",
        kind="part",
    ),
    "active_waiting": _m(
        "active_waiting_before",
        "Awaiting the first session at the start of the period",
        "Awaiting the first session at the end of the day before the period began.",
        kind="part",
    ),
}

# Parts nearly always 0: the reader is assumed to know them.
ENTERED_WAITING = _m(
    "bal.entered_waiting_other",
    "Awaiting the first session by another route",
    "Cases awaiting their first session at the period's end that were not awaiting it before, not made an MHTR "
    "in the period and not given a first session in it (nearly always 0).",
    kind="part",
)
ENTERED_TREATING = _m(
    "bal.entered_treating_other",
    "In treatment by another route",
    "Cases in treatment at the period's end that were not before and whose first session in the period did not "
    "take them there (a first session whose date is not known; nearly always 0).",
    kind="part",
)
FIRST_OTHER = _m(
    "bal.first_sessions_other",
    "First sessions of cases not awaiting one",
    "First sessions in the period of cases that were neither awaiting one at its start nor made an MHTR in it.",
    kind="part",
)
COMPLETED_WAITING = _m(
    "bal.completed_waiting",
    "Completions of orders awaiting the first session",
    "Completions in the period that ended an order still awaiting its first session.",
    kind="part",
)
WAITING_OTHER = _m(
    "bal.waiting_ended_other",
    "Orders awaiting the first session that ended otherwise",
    "Orders awaiting the first session that ended in the period other than by completion or withdrawal (archived).",
    kind="part",
)
TREATING_OTHER = _m(
    "bal.treating_ended_other",
    "Orders in treatment that ended otherwise",
    "Orders in treatment that ended in the period other than by completion or withdrawal (archived).",
    kind="part",
)
COMPLETED_OTHER = _m(
    "bal.completed_other",
    "Completions of cases not on an active order",
    "Completions in the period of cases that were not an active order then.",
    kind="part",
)
WITHDRAWN_OTHER = _m(
    "bal.withdrawn_other",
    "Withdrawals of cases not on an active order",
    "Consent withdrawn in the period by cases that were not an active order then (before sentence).",
    kind="part",
)

# Parts no reader can know.
WAITING_THROUGH = _m(
    "bal.waiting_through",
    "Awaiting the first session at some point in the period",
    "Awaiting at the start, or made an MHTR in the period, and so on (the two sides of the awaiting equation).",
    kind="part",
)
TREATING_THROUGH = _m(
    "bal.treating_through",
    "In treatment at some point in the period",
    "In treatment at the start, or given a first session in the period (the two sides of the treating equation).",
    kind="part",
)
ACTIVE_THROUGH = _m(
    "bal.active_through",
    "Active at some point in the period",
    "Active at the start, or made active in the period (the two sides of the caseload equation).",
    kind="part",
)
ENDED = _m("bal.ended", "Orders ended", "Active orders that ended in the period, by any route.", kind="part")
ENDED_ALL = _m(
    "bal.ended_all",
    "Orders ended, with completions and withdrawals of cases not on an order",
    "Orders ended in the period plus the completions and withdrawals of cases that were not an active order.",
    kind="part",
)
WAITING_ENDED = _m(
    "bal.waiting_ended", "Orders ended while awaiting", "Orders awaiting the first session that ended.", kind="part"
)
TREATING_ENDED = _m(
    "bal.treating_ended", "Orders ended in treatment", "Orders in treatment that ended in the period.", kind="part"
)
WITHDRAWN_WAITING = _m(
    "bal.withdrawn_waiting",
    "Withdrawals while awaiting the first session",
    "Consent withdrawn in the period by a case on an order awaiting its first session.",
    kind="part",
)
WITHDRAWN_TREATING = _m(
    "bal.withdrawn_treating",
    "Withdrawals in treatment",
    "Consent withdrawn in the period by a case on an order in treatment.",
    kind="part",
)
COMPLETED_TREATING = _m(
    "bal.completed_treating",
    "Completions of orders in treatment",
    "Completions in the period that ended an order in treatment.",
    kind="part",
)

# The equations, as sums of counts (each holds exactly in every period, by the counting in exports.measures).
_group(WAITING_THROUGH, BEFORE["active_waiting"], "court_accepted", ENTERED_WAITING, FIRST_OTHER)
_group(WAITING_THROUGH, "active_waiting", "first_sessions", WAITING_ENDED)
_group(TREATING_THROUGH, BEFORE["active_treating"], "first_sessions", ENTERED_TREATING)
_group(TREATING_THROUGH, "active_treating", TREATING_ENDED, FIRST_OTHER)
_group(ACTIVE_THROUGH, BEFORE["active"], "court_accepted", ENTERED_WAITING, ENTERED_TREATING)
_group(ACTIVE_THROUGH, "active", ENDED)
_group(ENDED, WAITING_ENDED, TREATING_ENDED)
_group(WAITING_ENDED, WITHDRAWN_WAITING, COMPLETED_WAITING, WAITING_OTHER)
_group(TREATING_ENDED, COMPLETED_TREATING, WITHDRAWN_TREATING, TREATING_OTHER)
_group("completed", COMPLETED_TREATING, COMPLETED_WAITING, COMPLETED_OTHER)
_group("withdrawn", WITHDRAWN_WAITING, WITHDRAWN_TREATING, WITHDRAWN_OTHER)
_group(ENDED_ALL, ENDED, COMPLETED_OTHER, WITHDRAWN_OTHER)
_group(ENDED_ALL, "completed", "withdrawn", WAITING_OTHER, TREATING_OTHER)
_group(BEFORE["active"], BEFORE["active_treating"], BEFORE["active_waiting"])

IDENTITIES = tuple(R.groups)
PART_KEYS = tuple(R.measures)
KNOWN = (
    *BEFORE.values(),
    ENTERED_WAITING,
    ENTERED_TREATING,
    FIRST_OTHER,
    COMPLETED_WAITING,
    WAITING_OTHER,
    TREATING_OTHER,
    COMPLETED_OTHER,
    WITHDRAWN_OTHER,
)
UNKNOWN = tuple(k for k in PART_KEYS if k not in KNOWN)
