"""What the record says about risk, gathered from every source at once: the one place a document (or a screen)
learns what it may say about risk.

A letter that says "no current thoughts of self-harm" beside a PHQ-9 whose item 9 was endorsed misleads a GP or
a magistrate, whichever of the two is right. So nothing states risk from one source alone. The sources are:

- every risk item endorsed on a stored questionnaire (which form, which item, the response, the date);
- the risk text typed by the practitioner: the assessment's risk field, the risk noted at the latest attended
  session, and the risk at the end of treatment;
- the case's open risk tasks (an endorsed item raises one; it stays open until the crisis plan is done).

``summarise`` is pure (plain values in, a ``RiskSummary`` out) and ``risk_summary`` reads one case. A summary
never says "no risk": with nothing endorsed and nothing typed it says that no risk information is recorded, and
where typed text reads as a denial while an item is endorsed or a risk task is open, ``disagreement`` says so,
for the preview to warn; the document shows both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from db.database import Database
from questionnaires.options import ScoringOptions
from vocabulary.dates import long_date

# How the manual names an instrument where the app's name differs (seed 004 calls the CORE-OM "CORE-34").
MANUAL_NAMES = {"CORE-OM": "CORE-34"}

# Typed risk text that reads as "no risk": only ever used to warn, never to decide what a document shows.
_DENIAL = re.compile(
    r"^\s*(?:none|nil|n/?a|nothing|denie[sd])\b"
    r"|\bno\s+(?:current\s+|known\s+|active\s+|reported\s+|apparent\s+|identified\s+|significant\s+)*"
    r"(?:risks?|thoughts?|concerns?|self[- ]?harm|suicidal|ideation)\b"
    r"|\bdenie[sd]\b",
    re.IGNORECASE,
)  # "no plan" or "no intent" qualifies a risk rather than denying one, so they are not here


def manual_name(instrument: str) -> str:
    """The instrument as seed 004 and its readers name it (``CORE-34`` for the CORE-OM)."""
    return MANUAL_NAMES.get(instrument, instrument)


def reads_as_denial(text: str) -> bool:
    """Whether typed risk text says there is no risk ("None", "No current thoughts of self-harm", "Denies")."""
    return bool(_DENIAL.search(text or ""))


@dataclass(frozen=True)
class EndorsedItem:
    """One risk item endorsed on one stored form."""

    instrument: str
    item: int
    wording: str
    response: str
    to_others: bool
    date: str
    timepoint: str

    @property
    def text(self) -> str:
        """``item 9 (thoughts that you would be better off dead ...), answered "several days"``."""
        about = "risk to others: " if self.to_others else ""
        return f"item {self.item} ({about}{self.wording}), answered \u201c{self.response}\u201d"


@dataclass(frozen=True)
class TypedRisk:
    """Risk as the practitioner wrote it, with where and when."""

    source: str
    date: str | None
    text: str

    @property
    def line(self) -> str:
        when = f" ({long_date(self.date)})" if self.date else ""
        return f"{self.source}{when}: {self.text}"


@dataclass(frozen=True)
class RiskSummary:
    """Everything the record says about risk for one case, and the sentences every document uses."""

    endorsed: tuple[EndorsedItem, ...] = ()
    typed: tuple[TypedRisk, ...] = ()
    open_tasks: tuple[str, ...] = ()
    cleared: tuple[str, ...] = field(default=())  # "PHQ-9 on 10 December 2026": latest form, nothing endorsed
    forms_checked: tuple[str, ...] = ()  # every instrument with risk items that was given, for "none endorsed"

    @property
    def flagged(self) -> bool:
        """An endorsed item or an open risk task: the record says there is risk to attend to."""
        return bool(self.endorsed or self.open_tasks)

    @property
    def recorded(self) -> bool:
        return bool(self.endorsed or self.typed or self.open_tasks or self.forms_checked)

    def disagreement(self) -> str | None:
        """Why the typed text and the other sources disagree (a warning for the preview), or None."""
        if not self.flagged:
            return None
        denials = [t for t in self.typed if reads_as_denial(t.text)]
        if not denials:
            return None
        evidence = (
            f"{manual_name(self.endorsed[-1].instrument)} item {self.endorsed[-1].item} was endorsed on "
            f"{long_date(self.endorsed[-1].date)}"
            if self.endorsed
            else f"a risk task is open ({self.open_tasks[0]})"
        )
        said = denials[0]
        return (
            f"risk: {said.source.lower()} says \u201c{_short(said.text)}\u201d but {evidence}; the document shows "
            "both: check they agree"
        )

    def lines(self) -> list[str]:
        """The sentences a document prints about risk, every source named; never "no risk"."""
        out = [t.line for t in self.typed]
        forms: dict[tuple[str, str], list[EndorsedItem]] = {}
        for e in self.endorsed:
            forms.setdefault((e.instrument, e.date), []).append(e)
        for (name, day), items in forms.items():
            out.append(
                f"Risk {'item' if len(items) == 1 else 'items'} endorsed on the {manual_name(name)} of "
                f"{long_date(day)}: " + "; ".join(e.text for e in items) + "."
            )
        out += [f"Not endorsed on the latest {c}." for c in self.cleared]
        if self.open_tasks:
            out.append("Risk actions still open on the date of this document: " + "; ".join(self.open_tasks) + ".")
        if not self.endorsed and self.forms_checked:
            out.append(f"No risk item was endorsed on the questionnaires given ({', '.join(self.forms_checked)}).")
        if not self.typed and not self.endorsed and not self.open_tasks:
            out.append("No risk assessment is recorded.")
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def endorsed_items(administrations: list[dict], options: ScoringOptions | None = None) -> list[EndorsedItem]:
    """Every endorsed risk item on the stored forms, in date order (``administrations`` as
    ``records.questionnaire_records.scored_administrations`` returns them)."""
    import questionnaires
    from questionnaires.instruments import INSTRUMENTS

    out = []
    for a in sorted(administrations, key=lambda a: (a["date"], a.get("id") or 0)):
        ins = INSTRUMENTS.get(a["instrument"])
        if ins is None or not ins.risk_items:
            continue
        args = (a["instrument"], a["items"]) if options is None else (a["instrument"], a["items"], options)
        for n in questionnaires.risk_items(*args):
            value = a["items"][n - 1]
            response = ins.responses[value - ins.low] if isinstance(value, int) else str(value)
            wording = ins.items[n - 1].replace(" (risk)", "")
            out.append(
                EndorsedItem(
                    instrument=a["instrument"],
                    item=n,
                    wording=wording[:1].lower() + wording[1:],
                    response=(response or str(value)).lower(),
                    to_others=n in ins.risk_others,
                    date=a["date"],
                    timepoint=a["timepoint"],
                )
            )
    return out


def _cleared(administrations: list[dict], endorsed: list[EndorsedItem]) -> list[str]:
    """Instruments endorsed earlier whose latest form endorses nothing: "PHQ-9 (10 December 2026)"."""
    out = []
    for name in dict.fromkeys(e.instrument for e in endorsed):
        forms = [a for a in administrations if a["instrument"] == name]
        latest = max(forms, key=lambda a: (a["date"], a.get("id") or 0))
        if not any(e.instrument == name and e.date == latest["date"] for e in endorsed):
            out.append(f"{manual_name(name)} ({long_date(latest['date'])})")
    return out


def _forms_checked(administrations: list[dict]) -> list[str]:
    from questionnaires.instruments import INSTRUMENTS

    names = dict.fromkeys(
        a["instrument"] for a in administrations if (ins := INSTRUMENTS.get(a["instrument"])) and ins.risk_items
    )
    return [manual_name(n) for n in names]


def is_risk_task(task: dict) -> bool:
    """A task about risk: raised by an endorsed item or a risk note (stage or key ``risk``, origin ``risk``)."""
    return (
        task.get("stage") == "risk" or str(task.get("key") or "").startswith("risk.") or task.get("origin") == "risk"
    )


def summarise(
    administrations: list[dict],
    typed: list[TypedRisk],
    tasks: list[dict],
    options: ScoringOptions | None = None,
) -> RiskSummary:
    """The risk summary from plain values: scored forms, typed risk texts (empty ones ignored), the case's tasks."""
    endorsed = endorsed_items(administrations, options)
    open_risk = [t for t in sorted(tasks, key=lambda t: t["due"]) if t["status"] == "open" and is_risk_task(t)]
    open_tasks = tuple(dict.fromkeys(t["title"] for t in open_risk))
    return RiskSummary(
        endorsed=tuple(endorsed),
        typed=tuple(t for t in typed if t.text.strip()),
        open_tasks=open_tasks,
        cleared=tuple(_cleared(administrations, endorsed)),
        forms_checked=tuple(_forms_checked(administrations)),
    )


def typed_risk(assessment_fields: dict, assessment_date: str | None, events: list[dict]) -> list[TypedRisk]:
    """The typed risk texts of a case: the assessment's, the latest attended session's note, the end's."""
    out = [TypedRisk("Risk assessment", assessment_date, assessment_fields.get("risk") or "")]
    for e in reversed(events):
        if e["kind"] == "session" and e["data"].get("outcome") == "attended" and e["data"].get("risk"):
            number = e["data"].get("number")
            source = f"Risk noted at session {number}" if number else "Risk noted at the latest session"
            out.append(TypedRisk(source, e["date"], str(e["data"]["risk"])))
            break
    done = [e["date"] for e in events if e["kind"] == "completion"]
    end = assessment_fields.get("end_risk") or ""
    out.append(TypedRisk("Risk at the end of treatment", done[-1] if done else None, end))
    return [t for t in out if t.text.strip()]


def risk_summary(db: Database, ref: str, today: date | None = None) -> RiskSummary:
    """The risk summary of case ``ref`` as its record stands (ValidationError if there is no such case)."""
    from db import assessments as adb
    from db import records as rec
    from db import tasks as taskdb
    from records.clients import require_case
    from records.questionnaire_records import scored_administrations, scoring_options

    case = require_case(db, ref)
    events = rec.events_of_case(db, case["case_id"])
    row = adb.assessment_of_case(db, case["case_id"])
    assessed = [e["date"] for e in events if e["kind"] == "assessment"]
    typed = typed_risk(row["fields"] if row else {}, max(assessed) if assessed else None, events)
    tasks = taskdb.tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)
    return summarise(scored_administrations(db, case["case_id"]), typed, tasks, scoring_options(db))
