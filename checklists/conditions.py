"""The named conditions a checklist item may require, as pure predicates.

Each takes the event being recorded (or an occurrence, see ``checklists.model.OCCURRENCES``), the case's state
just before and just after it, and the facts about the case that its events do not hold (``FACTS``: an open risk
task). The checklist file refers to them by name; an unknown name is refused when the file is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from vocabulary.stages import CaseState, Event

Condition = Callable[[Event, CaseState, CaseState, frozenset[str]], bool]

# Facts about a case beyond its events, worked out where the case's tasks are read (``records.casework``).
RISK_OPEN = "risk-open"  # a risk task of the case is still open: the person is a concern
# sessions are still booked from the event's day on: a completion leaves them in the Diary and the weekly share
BOOKED_AHEAD = "booked-ahead"
FACTS = frozenset({RISK_OPEN, BOOKED_AHEAD})


def _missed(e: Event) -> bool:
    """An appointment the person missed: an unacceptable absence, or one they cancelled."""
    if e.kind == "session":
        return e.data.get("outcome") == "unacceptable-absence"
    return e.kind == "appointment-cancelled" and e.data.get("by") == "client"


CONDITIONS: dict[str, Condition] = {
    "accepted": lambda e, b, a, f: e.data.get("outcome") == "accepted",
    "declined": lambda e, b, a, f: e.data.get("outcome") == "declined" or e.data.get("decision") == "declined",
    "approved": lambda e, b, a, f: e.data.get("decision") == "approved",
    "attended": lambda e, b, a, f: e.data.get("outcome") == "attended",
    "unacceptable-absence": lambda e, b, a, f: e.data.get("outcome") == "unacceptable-absence",
    "second-unacceptable-absence": lambda e, b, a, f: (
        e.data.get("outcome") == "unacceptable-absence" and a.unacceptable_absences == 2
    ),
    # an unacceptable absence that starts the RO's breach-decision clock (vocabulary.stages.derive_state)
    "breach-clock": lambda e, b, a, f: a.breach_clocks > b.breach_clocks,
    "decided-breach": lambda e, b, a, f: e.kind == "ro-decision" and e.data.get("decision") == "breach",
    "missed": lambda e, b, a, f: _missed(e),
    # the absence form's "concerns" box, or a risk still open on the case
    "concerns": lambda e, b, a, f: bool(e.data.get("concerns")) or RISK_OPEN in f,
    "booked-ahead": lambda e, b, a, f: BOOKED_AHEAD in f,
    "final": lambda e, b, a, f: bool(e.data.get("final")),
    "before-assessment": lambda e, b, a, f: b.assessed is None,
    "after-assessment": lambda e, b, a, f: b.assessed is not None,
    "in-treatment": lambda e, b, a, f: a.in_order,
    "months-3": lambda e, b, a, f: e.data.get("months") == 3,
    "months-6": lambda e, b, a, f: e.data.get("months") == 6,
    "months-12": lambda e, b, a, f: e.data.get("months") == 12,
}


def holds(
    name: str, event: Event, before: CaseState, after: CaseState, facts: frozenset[str] = frozenset()
) -> bool:
    return CONDITIONS[name](event, before, after, facts)
