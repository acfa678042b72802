"""The named conditions a checklist item may require, as pure predicates.

Each takes the event being recorded and the case's state just before and just after it. The checklist file
refers to them by name; an unknown name is refused when the file is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from records.stages import CaseState, Event

Condition = Callable[[Event, CaseState, CaseState], bool]

CONDITIONS: dict[str, Condition] = {
    "accepted": lambda e, b, a: e.data.get("outcome") == "accepted",
    "declined": lambda e, b, a: e.data.get("outcome") == "declined" or e.data.get("decision") == "declined",
    "approved": lambda e, b, a: e.data.get("decision") == "approved",
    "attended": lambda e, b, a: e.data.get("outcome") == "attended",
    "unacceptable-absence": lambda e, b, a: e.data.get("outcome") == "unacceptable-absence",
    "second-unacceptable-absence": lambda e, b, a: (
        e.data.get("outcome") == "unacceptable-absence" and a.unacceptable_absences == 2
    ),
    "final": lambda e, b, a: bool(e.data.get("final")),
    "before-assessment": lambda e, b, a: b.assessed is None,
    "after-assessment": lambda e, b, a: b.assessed is not None,
    "in-treatment": lambda e, b, a: a.in_order,
    "months-3": lambda e, b, a: e.data.get("months") == 3,
    "months-6": lambda e, b, a: e.data.get("months") == 6,
    "months-12": lambda e, b, a: e.data.get("months") == 12,
}


def holds(name: str, event: Event, before: CaseState, after: CaseState) -> bool:
    return CONDITIONS[name](event, before, after)
