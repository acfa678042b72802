"""Loading a checklist file into frozen dataclasses, refusing a malformed one with file, line and reason."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from checklists.conditions import CONDITIONS
from checklists.rules import DueRule, RuleError, parse_rule
from vocabulary.event_kinds import EVENT_KINDS

DEFAULT_FILE = Path(__file__).with_name("cambs_peterborough.toml")
ACTIONS = frozenset(
    {
        "score",
        "gp-letter",
        "court-report",
        "consent-form",
        "completion-letter",
        "assessment-record",
        "probation-update",
        "non-attendance",
        "client-completion",
        "session-log",
        "diary",
        "export-month",
    }
)
# What the app can do that completes an item (``done_by``): the task then closes as done "by mhtr-tui" with the
# time, so Today holds only what needs a person. ``record-event``: recording the event that starts the item is
# the work (data capture: the app is the caseload spreadsheet), so the task is born done. The others close the
# case's open tasks when the action happens (``records.app_done.complete_by_app``). Document kinds are those of
# ``letters.kinds.KINDS`` and timepoints those of ``records.questionnaire_records.TIMEPOINTS`` (a test keeps the
# three lists in step).
DOCUMENT_ACTIONS = (
    "gp-letter",
    "court-report",
    "consent-form",
    "completion-letter",
    "assessment-record",
    "probation-update",
    "non-attendance",
    "client-completion",
)
QUESTIONNAIRE_TIMEPOINTS = ("screening", "pre", "session", "post", "follow-up-3", "follow-up-6", "follow-up-12")
RECORD_EVENT = "record-event"
HEALTH_ENTRY = "health-entry"
SHARE_WEEK = "share-week"
BOOK_APPOINTMENT = "book-appointment"
APP_ACTIONS = frozenset(
    {RECORD_EVENT, HEALTH_ENTRY, SHARE_WEEK, BOOK_APPOINTMENT}
    | {f"questionnaire:{t}" for t in QUESTIONNAIRE_TIMEPOINTS}
    | {f"document:{k}" for k in DOCUMENT_ACTIONS}
)


# What happens to a case that is not an event but starts checklist items (a stage's or item's ``on`` may name
# them beside event kinds): a risk identified (an endorsed questionnaire risk item, a risk marked in a session's
# or the assessment's record) and an appointment cancelled (``by`` client or service). The app raises them
# through ``records.casework.raise_occurrence``; they are not stored as events.
OCCURRENCES: dict[str, str] = {"risk": "Risk identified", "appointment-cancelled": "Appointment cancelled"}

# Dates an item's due rule may count from instead of its event's date (``from = "order-end"``): the engine reads
# them off the case's state (``checklists.engine.ANCHORS``); an item whose date is not known yet is not raised.
# ``until = "order-end"``: the task is needed only while the order runs (a consent renewal due after the order
# has ended is not raised, and is skipped when a sentence shows the order ends first).
# ``from = "breach-clock"``: from the absence whose breach clock the event started (an absence recorded late may
# make an earlier-recorded one the second in the order). The engine dates each name (``ANCHORS`` or ``STARTED``;
# a test keeps the lists in step, since this module cannot import the engine).
COUNT_FROM = ("order-end", "breach-clock")
UNTIL = ("order-end",)


def questionnaire_action(timepoint: str) -> str:
    """The ``done_by`` action a questionnaire of ``timepoint`` performs (``session-5`` -> ``questionnaire:session``)."""
    kind = "session" if timepoint.startswith("session") else timepoint
    return f"questionnaire:{kind}"


def document_action(kind: str) -> str:
    """The ``done_by`` action writing a final document of ``kind`` performs."""
    return f"document:{kind}"


class ChecklistError(ValueError):
    """A checklist file that cannot be used; the message names the file, the line and what is wrong."""


@dataclass(frozen=True)
class Trigger:
    """``kind`` or ``kind:condition`` as written in done_on / cancel_on."""

    kind: str
    condition: str | None = None


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    stage: str
    on: tuple[str, ...]
    when: tuple[str, ...]
    due: DueRule
    action: str | None = None
    done_on: tuple[Trigger, ...] = ()
    cancel_on: tuple[Trigger, ...] = ()
    urgent: bool = False
    source: str = "checklist"
    done_by: tuple[str, ...] = ()
    count_from: str | None = None
    until: str | None = None
    clock: str | None = None  # a guidance clock: its name, "{due}" and "{n}" standing for the due rule's words
    clock_short: str | None = None  # the clock's name in a one-line summary
    warn: int = 0  # days before it falls due that the clock warns


# What a clock may run from (see records.clocks): the sentence, consent, a second unacceptable absence, completion.
CLOCK_EVENTS = ("court-outcome", "consent", "session", "completion")


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    on: tuple[str, ...]
    every: str | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Checklist:
    name: str
    path: Path
    stages: tuple[Stage, ...]

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.stages for i in s.items)

    @cached_property
    def _by_kind(self) -> tuple[dict[str, tuple[Item, ...]], dict[str, tuple[Item, ...]]]:
        started: dict[str, list[Item]] = {}
        closed: dict[str, list[Item]] = {}
        for item in self.items:
            for kind in dict.fromkeys(item.on):
                started.setdefault(kind, []).append(item)
            for kind in dict.fromkeys(t.kind for t in (*item.done_on, *item.cancel_on)):
                closed.setdefault(kind, []).append(item)
        return ({k: tuple(v) for k, v in started.items()}, {k: tuple(v) for k, v in closed.items()})

    def items_started_by(self, kind: str) -> tuple[Item, ...]:
        """The items an event of ``kind`` may start (``on`` names it), in checklist order: every event recorded
        looks here, so the engine does not test every item of the checklist each time."""
        return self._by_kind[0].get(kind, ())

    def items_closed_by(self, kind: str) -> tuple[Item, ...]:
        """The items an event of ``kind`` may complete or cancel (``done_on``/``cancel_on`` name it), in order."""
        return self._by_kind[1].get(kind, ())

    @cached_property
    def _by_action(self) -> dict[str, tuple[Item, ...]]:
        done_by: dict[str, list[Item]] = {}
        for item in self.items:
            for action in dict.fromkeys(item.done_by):
                done_by.setdefault(action, []).append(item)
        return {action: tuple(items) for action, items in done_by.items()}

    def items_done_by(self, action: str) -> tuple[Item, ...]:
        """The items the app's ``action`` completes (``done_by`` names it), in checklist order: each questionnaire
        saved and each booking asks, so the checklist is not walked each time."""
        return self._by_action.get(action, ())

    @cached_property
    def _by_key(self) -> dict[str, Item]:
        by_key: dict[str, Item] = {}
        for item in self.items:
            by_key.setdefault(item.key, item)
        return by_key

    @cached_property
    def limited_items(self) -> tuple[Item, ...]:
        """The items needed only until a date of the case (``until``: while the order runs), in checklist order:
        every event recorded asks which they are."""
        return tuple(i for i in self.items if i.until is not None)

    def item(self, key: str) -> Item | None:
        """The item ``key`` (the first, were a key written twice), looked up once per key, not by a walk of the
        checklist."""
        return self._by_key.get(key)

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def stage_title(self, stage_id: str) -> str:
        s = self.stage(stage_id)
        return s.title if s else stage_id


def _line_of(text: str, needle: str, field: str | None = None) -> int | None:
    """The line matching ``needle`` or, with ``field``, the first ``field =`` line after it (the culprit)."""
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        if re.search(needle, line):
            if field:
                for m in range(n, len(lines) + 1):
                    if re.match(rf"\s*{re.escape(field)}\s*=", lines[m - 1]):
                        return m
                    if m > n and re.match(r"\s*\[", lines[m - 1]):
                        break
            return n
    return None


def load(path: Path | str | None = None) -> Checklist:
    """Read and check a checklist file (default: ``MHTR_CHECKLIST`` or the bundled C&P checklist)."""
    path = Path(path or os.environ.get("MHTR_CHECKLIST") or DEFAULT_FILE)
    return _load_cached(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int) -> Checklist:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChecklistError(f"{path}: cannot read the checklist file ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistError(f"{path}: {exc}") from None
    return parse(data, text, path)


def parse(data: dict, text: str, path: Path) -> Checklist:
    def fail(where: str | None, message: str, field: str | None = None) -> ChecklistError:
        line = _line_of(text, where, field) if where else None
        return ChecklistError(f"{path}{f', line {line}' if line else ''}: {message}")

    stages_raw = data.get("stage")
    if not isinstance(stages_raw, list) or not stages_raw:
        raise fail(None, "no [[stage]] tables: a checklist needs at least one stage")
    seen_keys: set[str] = set()
    stages = []
    for s in stages_raw:
        sid = s.get("id")
        if not isinstance(sid, str) or not sid:
            raise fail(r"^\s*\[\[stage\]\]", "a [[stage]] has no id")
        where_stage = rf'^\s*id\s*=\s*"{re.escape(sid)}"'
        every = s.get("every")
        if every not in (None, "week", "month"):
            raise fail(where_stage, f'stage {sid!r}: every = {every!r} must be "week" or "month"', "every")
        on = tuple(s.get("on", ()))
        for kind in on:
            if kind not in EVENT_KINDS and kind not in OCCURRENCES:
                raise fail(where_stage, f"stage {sid!r}: unknown event kind {kind!r} in on", "on")
        if not on and not every:
            raise fail(where_stage, f'stage {sid!r} needs on = [event kinds] or every = "week"/"month"')
        items = []
        for raw in s.get("item", ()):
            key = raw.get("key")
            if not isinstance(key, str) or not key:
                raise fail(where_stage, f"stage {sid!r}: an item has no key")
            where = rf'^\s*key\s*=\s*"{re.escape(key)}"'
            if key in seen_keys:
                raise fail(where, f"item key {key!r} is used twice")
            seen_keys.add(key)
            title = raw.get("title")
            if not isinstance(title, str) or not title.strip():
                raise fail(where, f"item {key!r} has no title", "title")
            unknown = set(raw) - {
                "key",
                "title",
                "on",
                "when",
                "due",
                "action",
                "done_on",
                "cancel_on",
                "urgent",
                "source",
                "done_by",
                "from",
                "until",
                "clock",
                "clock_short",
                "warn",
            }
            if unknown:
                raise fail(where, f"item {key!r}: unknown field(s) {', '.join(sorted(unknown))}", sorted(unknown)[0])
            try:
                due = parse_rule(raw.get("due", "same day"))
            except RuleError as exc:
                raise fail(where, f"item {key!r}: {exc}", "due") from None
            count_from = raw.get("from")
            if count_from is not None and (every or count_from not in COUNT_FROM):
                raise fail(where, f"item {key!r}: from = {count_from!r} must be one of {', '.join(COUNT_FROM)}", "from")
            until = raw.get("until")
            if until is not None and (every or until not in UNTIL):
                raise fail(where, f"item {key!r}: until = {until!r} must be one of {', '.join(UNTIL)}", "until")
            if due.n < 0 and count_from is None:
                raise fail(where, f"item {key!r}: {due.text!r} is before its event; give from = \"order-end\"", "due")
            if every and due.unit not in ("weekday", "monthday"):
                raise fail(where, f"item {key!r}: a recurring item is due on a weekday or 'day N of next month'", "due")
            if not every and due.unit in ("weekday", "monthday"):
                raise fail(where, f"item {key!r}: {due.text!r} is only for weekly or monthly stages", "due")
            item_on = tuple(raw.get("on", on))
            for kind in item_on:
                if kind not in EVENT_KINDS and kind not in OCCURRENCES:
                    raise fail(where, f"item {key!r}: unknown event kind {kind!r}", "on")
            when = tuple(raw.get("when", ()))
            for cond in when:
                if cond not in CONDITIONS:
                    raise fail(
                        where, f"item {key!r}: unknown condition {cond!r} (known: {', '.join(CONDITIONS)})", "when"
                    )
            action = raw.get("action")
            if action is not None and action not in ACTIONS:
                raise fail(
                    where, f"item {key!r}: unknown action {action!r} (known: {', '.join(sorted(ACTIONS))})", "action"
                )
            done_by = raw.get("done_by", ())
            if isinstance(done_by, str):
                done_by = (done_by,)
            for act in done_by:
                if act not in APP_ACTIONS:
                    raise fail(
                        where,
                        f"item {key!r}: done_by names unknown app action {act!r} "
                        f"(known: {', '.join(sorted(APP_ACTIONS))})",
                        "done_by",
                    )
            triggers = {}
            for field_name in ("done_on", "cancel_on"):
                out = []
                for t in raw.get(field_name, ()):
                    kind, _, cond = str(t).partition(":")
                    if kind not in EVENT_KINDS:
                        raise fail(where, f"item {key!r}: {field_name} names unknown event kind {kind!r}", field_name)
                    if cond and cond not in CONDITIONS:
                        raise fail(where, f"item {key!r}: {field_name} names unknown condition {cond!r}", field_name)
                    out.append(Trigger(kind, cond or None))
                triggers[field_name] = tuple(out)
            clock = raw.get("clock")
            if clock is not None:
                if not isinstance(clock, str) or not clock.strip():
                    raise fail(where, f"item {key!r}: clock is the clock's name", "clock")
                if every or not set(item_on) & set(CLOCK_EVENTS) or len(item_on) != 1:
                    raise fail(
                        where,
                        f"item {key!r}: a clock runs from one of {', '.join(CLOCK_EVENTS)} (on = [...])",
                        "clock",
                    )
            warn = raw.get("warn", 0)
            if not isinstance(warn, int) or isinstance(warn, bool) or warn < 0:
                raise fail(where, f"item {key!r}: warn = {warn!r} must be a whole number of days", "warn")
            items.append(
                Item(
                    key=key,
                    title=" ".join(title.split()),
                    stage=sid,
                    on=item_on,
                    when=when,
                    due=due,
                    action=action,
                    done_on=triggers["done_on"],
                    cancel_on=triggers["cancel_on"],
                    urgent=bool(raw.get("urgent", False)),
                    source=str(raw.get("source", "checklist")),
                    done_by=tuple(done_by),
                    count_from=count_from,
                    until=until,
                    clock=" ".join(clock.split()) if clock else None,
                    clock_short=str(raw["clock_short"]) if raw.get("clock_short") else None,
                    warn=warn,
                )
            )
        if not items:
            raise fail(where_stage, f"stage {sid!r} has no items")
        stages.append(Stage(sid, str(s.get("title", sid)), on, every, tuple(items)))
    name = str(data.get("checklist", {}).get("name", path.stem))
    return Checklist(name=name, path=path, stages=tuple(stages))
