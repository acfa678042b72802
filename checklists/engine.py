"""From a recorded event to dated tasks: pure functions over a loaded checklist.

``tasks_for_event`` says which items an event starts and when each falls due; ``closures_for_event`` says
which open items the event completes or makes unnecessary; ``recurring_tasks`` lists the practitioner's
weekly and monthly items for the periods in a date range. The database layer stores what these return and
its unique index makes storing the same recurring period twice a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from checklists.conditions import holds
from checklists.model import RECORD_EVENT, Checklist, Item, Trigger
from vocabulary.dates import add_months
from vocabulary.event_kinds import EVENT_KINDS
from vocabulary.stages import CaseState, Event, new_breach_clock


@dataclass(frozen=True)
class TaskSpec:
    """A task to create: what, for which checklist item, and when it is due."""

    key: str
    title: str
    stage: str
    due: date
    action: str | None = None
    urgent: bool = False
    origin: str = "checklist"
    period: str | None = None
    done_by: tuple[str, ...] = ()

    @property
    def born_done(self) -> bool:
        """Recording the event is the work (``done_by = record-event``): the task is stored done by mhtr-tui."""
        return RECORD_EVENT in self.done_by


@dataclass(frozen=True)
class Closure:
    """An open task (by item key) that an event completes ("done") or makes unnecessary ("skipped")."""

    key: str
    status: str
    reason: str


def _spec(item: Item, due: date, period: str | None = None) -> TaskSpec:
    return TaskSpec(item.key, item.title, item.stage, due, item.action, item.urgent, item.source, period, item.done_by)


# The dates an item may count from (``from`` in the checklist file), read off the case after the event.
ANCHORS: dict[str, Callable[[CaseState], date | None]] = {
    "order-end": lambda state: state.order_end,
}
# The dates an item may count from that only the change an event made shows (the case before and after it).
STARTED: dict[str, Callable[[CaseState, CaseState], date | None]] = {
    "breach-clock": new_breach_clock,
}


def count_start(item: Item, event: Event, before: CaseState, after: CaseState) -> date | None:
    """The date ``item``'s due rule counts from for ``event``: the event's own date unless the item says ``from``."""
    if item.count_from is None:
        return event.date
    if item.count_from in STARTED:
        return STARTED[item.count_from](before, after)
    return ANCHORS[item.count_from](after)


def tasks_for_event(
    checklist: Checklist, event: Event, before: CaseState, after: CaseState, facts: frozenset[str] = frozenset()
) -> list[TaskSpec]:
    """The items ``event`` (or an occurrence) starts, with due dates, in checklist order. An item counted from a
    date the case does not have yet (an order with no length has no end) is not raised. An occurrence's
    ``about`` (``PHQ-9 item 9``) is added to its tasks' titles."""
    out = []
    for item in checklist.items_started_by(event.kind):
        if all(holds(c, event, before, after, facts) for c in item.when):
            start = count_start(item, event, before, after)
            if start is None:
                continue
            due = item.due.due_after(start)
            if outlives(item, due, after) is None:
                spec = _spec(item, due)
                about = event.data.get("about")
                out.append(replace(spec, title=f"{spec.title} ({about})") if about else spec)
    return out


def outlives(item: Item, due: date, state: CaseState) -> date | None:
    """The date ``item`` is needed until (``until`` in the checklist file) if a task of it due on ``due`` falls
    after it, else None: a consent renewal due after the order has ended is not needed."""
    if item.until is None:
        return None
    last = ANCHORS[item.until](state)
    return last if last is not None and due > last else None


def _fires(trigger: Trigger, event: Event, before: CaseState, after: CaseState, facts: frozenset[str]) -> bool:
    return trigger.kind == event.kind and (
        trigger.condition is None or holds(trigger.condition, event, before, after, facts)
    )


def closures_for_event(
    checklist: Checklist, event: Event, before: CaseState, after: CaseState, facts: frozenset[str] = frozenset()
) -> list[Closure]:
    """Open items that ``event`` completes or cancels; the reason names the event and its date."""
    label = f"{EVENT_KINDS[event.kind].lower()} recorded {event.date:%d/%m/%Y}"
    out = []
    for item in checklist.items_closed_by(event.kind):
        if any(_fires(t, event, before, after, facts) for t in item.done_on):
            out.append(Closure(item.key, "done", label))
        elif any(_fires(t, event, before, after, facts) for t in item.cancel_on):
            out.append(Closure(item.key, "skipped", f"not needed: {label}"))
    return out


def _weeks(start: date, end: date) -> Iterator[tuple[date, str]]:
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        iso = monday.isocalendar()
        yield monday, f"{iso.year}-W{iso.week:02d}"
        monday += timedelta(days=7)


def _months(start: date, end: date) -> Iterator[tuple[date, str]]:
    first = start.replace(day=1)
    while first <= end:
        yield first, f"{first:%Y-%m}"
        first = add_months(first, 1)


def _recurring(checklist: Checklist, start: date, end: date) -> Iterator[tuple[Item, date, str]]:
    for stage in checklist.stages:
        if stage.every == "week":
            periods = list(_weeks(start, end))
        elif stage.every == "month":
            periods = list(_months(start, end))
        else:
            continue
        for item in stage.items:
            for first_day, label in periods:
                yield item, first_day, label


def recurring_periods(checklist: Checklist, start: date, end: date) -> list[tuple[str, str]]:
    """``(item key, period)`` of every weekly and monthly task for [start, end], without working out due dates
    (which needs the bank holiday calendar): enough to tell whether any is missing."""
    return [(item.key, label) for item, _, label in _recurring(checklist, start, end)]


def recurring_tasks(
    checklist: Checklist, start: date, end: date, have: set[tuple[str, str]] | frozenset = frozenset()
) -> list[TaskSpec]:
    """Practitioner tasks of weekly and monthly stages for every period that touches [start, end], except the
    ``(item key, period)`` pairs in ``have``.

    A monthly item's period is the month the work is about (the data return for October is due in
    November); a weekly item's period is the ISO week.
    """
    return [
        _spec(item, item.due.due_in_period(first_day), period=label)
        for item, first_day, label in _recurring(checklist, start, end)
        if (item.key, label) not in have
    ]
