"""The parts of an event kind (``vocabulary.event_kinds.KINDS``): its fields, the context its rule is given, and how
what was typed for a field is checked and cleaned before it is stored.

Generic on purpose: nothing here names a kind, so a new field of a known type needs no code, only its line in
the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from vocabulary.identity import ValidationError
from vocabulary.stages import CaseState, Event
from vocabulary.text import check_text, one_line

MAX_NOTE = 4000  # a note (a session's risk, summary, plan, notes), in characters

# What a field holds, which decides its widget on the form and its cleaning here.
TEXT, NOTE, NUMBER, CHOICE, FLAG, YES_NO = "text", "note", "number", "choice", "flag", "yes-no"


@dataclass(frozen=True)
class Field:
    """One detail of an event: the key it is stored under in the event's data and how it is entered.

    ``choices`` are ``(value, label)`` pairs. ``required`` is True, or ``(other field, value)``: required when that
    field has that value (a reason when the decision is "declined"); ``applies`` the same for a field that is kept
    only then (the order's details when the court accepted). ``missing`` is the refusal when a required field is
    empty. On the command line a choice is ``--name VALUE``, or with ``flags`` one option per value
    (``--approved`` / ``--declined``); a yes-no field is ``--name`` / ``--not-name``.
    """

    name: str
    label: str
    type: str
    help: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool | tuple[str, str] = False
    applies: tuple[str, str] | None = None
    missing: str = ""
    default: Any = None
    lo: int | None = None
    hi: int | None = None
    upper: bool = False  # a choice typed in either case (co, CO), stored in capitals
    flags: bool = False
    omit_false: bool = False  # a flag stored only when set
    cli_choices: bool = False  # the command line lists the choices itself (and refuses others before running)
    what: str = ""  # how a refusal names it ("planned sessions"); default: its label
    invalid: str = ""  # the refusal of a value not among the choices, with {value!r}; default: lists them

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.choices)


@dataclass(frozen=True)
class Context:
    """What a kind's rule may look at: the event as typed and the case's events before it."""

    kind: str
    label: str
    when: date
    data: Mapping[str, Any]
    history: Sequence[Event]
    state: CaseState

    @property
    def kinds(self) -> set[str]:
        return {e.kind for e in self.history}

    def need(self, cond: bool, message: str) -> None:
        if not cond:
            raise ValidationError(message)

    # The checks every event meets (a prior event, the sentence) write their refusal only when they refuse: an
    # event recorded passes them, and formatting the dates of a message nobody reads was most of their cost.
    def prior(self, *needed: str, what: str) -> None:
        """Refuse unless one of ``needed`` is recorded, and on or before this event's date."""
        dates = [e.date for e in self.history if e.kind in needed]
        if not dates:
            raise ValidationError(f"{self.label} needs {what} first")
        last = max(dates)
        if self.when < last:
            noun = what.removeprefix("an ").removeprefix("a ").removeprefix("the ")
            raise ValidationError(f"{self.label} on {self.when:%d/%m/%Y} is before the {noun} on {last:%d/%m/%Y}")

    def sentenced(self) -> None:
        """Refuse unless the court made an MHTR, on or before this event's date."""
        st = self.state
        sentence = st.sentence_date
        if st.accepted is not True or sentence is None:
            raise ValidationError(
                f"{self.label.lower()} needs an accepted court outcome (a sentence with an MHTR) first"
            )
        if self.when < sentence:
            raise ValidationError(f"{self.label} on {self.when:%d/%m/%Y} is before the sentence on {sentence:%d/%m/%Y}")


Rule = Callable[[Context], None]
Finish = Callable[[Context, dict], None]


def _no_rule(ctx: Context) -> None:
    return None


def _no_finish(ctx: Context, clean: dict) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    """One kind of event: what it is called, what it holds, when it may be recorded and how."""

    name: str
    label: str
    fields: tuple[Field, ...] = ()
    check: Rule = _no_rule  # the order of events and the case's state; raises ValidationError
    finish: Finish = _no_finish  # what the stored data gains from the case (a session's number)
    action: str = "event"  # "event", "session" or "withdrawal": see the module docstring
    open_when_closed: bool = False  # may be recorded on a closed case
    fields_first: bool = False  # what was typed is checked before the case (which problem is named first)

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


# --- checking what was typed -----------------------------------------------------------------------------------


def _holds(condition: bool | tuple[str, str] | None, data: Mapping[str, Any]) -> bool:
    if condition is None or isinstance(condition, bool):
        return bool(condition) if condition is not None else True
    other, value = condition
    return str(data.get(other) or "") == value


def _number(value: Any, f: Field) -> int:
    what = f.what or f.label.lower()
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{what} must be a whole number, not {value!r}") from None
    if (f.lo is not None and n < f.lo) or (f.hi is not None and n > f.hi):
        raise ValidationError(f"{what} must be between {f.lo} and {f.hi}, not {n}")
    if f.choices and str(n) not in f.values:
        raise ValidationError(f.missing or f"{what} is one of {', '.join(f.values)}")
    return n


def _note(value: Any, f: Field) -> str | None:
    text = "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines()).strip()
    if len(text) > MAX_NOTE:
        raise ValidationError(f"{f.name} is longer than {MAX_NOTE} characters")
    return text or None


def _choice(value: Any, f: Field, kind: Kind) -> str:
    text = str(value).strip()
    text = text.upper() if f.upper else text.lower()
    if text not in f.values:
        if f.invalid:
            raise ValidationError(f.invalid.format(value=text))
        if f.missing:
            raise ValidationError(f.missing)
        raise ValidationError(f"{kind.name} {f.name.replace('_', ' ')} {text!r} is one of {', '.join(f.values)}")
    return text


YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


def _yes_no(value: Any, f: Field) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in YES + NO:
        raise ValidationError(f"{f.what or f.label.lower()} is yes or no, not {value!r}")
    return text in YES


def clean_fields(kind: Kind, data: Mapping[str, Any]) -> dict:
    """The kind's fields from ``data``, checked and cleaned; what is not one of its fields is dropped."""
    clean: dict = {}
    for f in kind.fields:
        if f.applies is not None and not _holds(f.applies, data):
            continue
        value = data.get(f.name)
        if f.type == FLAG:
            if value or not f.omit_false:
                clean[f.name] = bool(value)
            continue
        if f.type == YES_NO:
            if value is not None and value != "":
                clean[f.name] = _yes_no(value, f)
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            if f.required is not False and _holds(f.required, data):
                raise ValidationError(f.missing or f"{kind.label} needs {f.label.lower()}")
            if f.default is not None:
                clean[f.name] = f.default
            elif f.applies is not None:
                clean[f.name] = None  # the order's details are always stored, empty when not given
            continue
        if f.type == NUMBER:
            clean[f.name] = _number(value, f)
        elif f.type == CHOICE:
            clean[f.name] = _choice(value, f, kind)
        elif f.type == NOTE:
            text = _note(check_text(str(value), f.label.lower(), multiline=True), f)
            if text:
                clean[f.name] = text
        else:
            text = one_line(str(value), f.label.lower())
            if text:
                clean[f.name] = text
    for f in kind.fields:  # a field kept only under a condition (a reason when declined) goes with it
        if f.required not in (True, False) and not _holds(f.required, clean) and f.name in clean:
            del clean[f.name]
    return clean
