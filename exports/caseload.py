"""The caseload data: one row per case as it stood at the end of a month, for the service's own spreadsheet.

It replaces the hand-kept "MHTR caseload data" spreadsheet (seed 004): reference, age band, key dates, stage,
sessions attended of planned, attendance counts, first and last scores and risk level. It is pseudonymised
(the case reference is a running number) but it is record-level, so it stays within the service: it is not
part of the return sent to the steering group chair, where a list of cases would undo small-count suppression.
The details the return counts (support recommended, what the sentence would otherwise have been, the sentencer
feedback form, accommodation at the start and end, referrals at completion, reasons for a breach or a withdrawal)
are columns too, always as fixed categories: free text never leaves the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from exports.facts import CaseFacts
from exports.measures import first_attended, last_attended
from exports.outcomes import first_and_last, score, score_value
from exports.reasons import NOT_RECORDED, NOT_RECORDED_LABEL, categories
from questionnaires.options import ScoringOptions
from vocabulary.event_kinds import (
    ACCOMMODATION_CHOICES,
    KINDS,
    NONE,
    OTHERWISE,
    RECOMMENDED,
    REFERRED,
    SUPPORT,
)
from vocabulary.stages import STAGE_LABELS, Event, derive_state

_SUPPORT_LABELS = {cid: label[:1].upper() + label[1:] for cid, label in SUPPORT}
_NONE_LABELS = {  # the "none" box's own label on each form
    prefix: field.label
    for prefix, kind in ((RECOMMENDED, "assessment"), (REFERRED, "completion"))
    if (field := KINDS[kind].field(f"{prefix}_{NONE}")) is not None
}
_OTHERWISE = dict(OTHERWISE)
_ACCOMMODATION = dict(ACCOMMODATION_CHOICES)

SCORED = (("CORE-OM", "CORE-34"), ("PHQ-9", "PHQ-9"), ("GAD-7", "GAD-7"))
REQUIREMENT_LABELS = {None: "MHTR", "DRR": "MHTR & DRR", "ATR": "MHTR & ATR"}

# (column heading, kind) in the order the sheet shows them; kind "date" cells are real dates.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Case reference", "text"),
    ("Requirement", "text"),
    ("Age band at assessment", "text"),
    ("Stage", "text"),
    ("Screened at court", "date"),
    ("Assessed", "date"),
    ("Support recommended at assessment", "text"),
    ("Consent given", "date"),
    ("Clinical Lead decision", "date"),
    ("Clinical Lead decision outcome", "text"),
    ("Court report sent", "date"),
    ("Court outcome", "date"),
    ("Court outcome: MHTR made", "text"),
    ("Order", "text"),
    ("Sentenced on the day", "text"),
    ("Sentence otherwise", "text"),
    ("Sentencer feedback form sent", "date"),
    ("Sentencer feedback form returned", "date"),
    ("Case management meeting", "date"),
    ("First session attended", "date"),
    ("Last session attended", "date"),
    ("Completed", "date"),
    ("Accommodation at the start", "text"),
    ("Accommodation at the end", "text"),
    ("Referrals and signposting at completion", "text"),
    ("Consent withdrawn", "date"),
    ("Consent withdrawn: reason", "text"),
    ("Not eligible", "date"),
    ("Sessions planned", "number"),
    ("Sessions attended", "number"),
    ("Acceptable absences", "number"),
    ("Unacceptable absences", "number"),
    ("Cancelled by the service", "number"),
    ("Rescheduled", "number"),
    ("Breaches", "number"),
    ("Breach reasons", "text"),
    ("Follow-ups done (months)", "text"),
    *((f"{label} first score", "number") for _, label in SCORED),
    *((f"{label} last score", "number") for _, label in SCORED),
    ("Risk level", "text"),
)
HEADINGS = tuple(h for h, _ in COLUMNS)


def _first_date(events: list[Event], kind: str, **match) -> date | None:
    for e in events:
        if e.kind == kind and all(e.data.get(k) == v for k, v in match.items()):
            return e.date
    return None


def _support(event: Event | None, prefix: str) -> str:
    """The support ticked on the assessment (``recommended``) or the completion (``referred``): the categories'
    labels, the "none" box's label, "Not recorded" when neither is ticked, blank when there is no such event."""
    if event is None:
        return ""
    ticked = event.data.get(prefix) or ()  # the category ids the facts keep (exports.facts.clean_event_data)
    if ticked:
        return "; ".join(_SUPPORT_LABELS[c] for c in ticked)
    if event.data.get(f"{prefix}_{NONE}"):
        return _NONE_LABELS[prefix]
    return NOT_RECORDED_LABEL


def _reasons(events: list[Event], kind: str) -> str:
    """The fixed category of each ``kind`` event's reason (``exports.reasons``; the words never leave), in date
    order, joined; blank when there is none."""
    labels = dict(categories(kind))
    return "; ".join(labels[e.data.get("reason_category") or NOT_RECORDED] for e in events if e.kind == kind)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def _stage(case: CaseFacts, stage: str, end: date) -> str:
    """The stage as at ``end``; "Archived (In treatment)" once the case had been put away, so that a duplicate or
    a transferred case is not read as someone still on the caseload."""
    label = STAGE_LABELS.get(stage, stage)
    return f"Archived ({label})" if case.archived_by(end) else label


def caseload_row(case: CaseFacts, end: date, scoring: ScoringOptions) -> list:
    """The case's row as at ``end`` (events and scores after it are left out); first and last scores are the
    first and last forms valid under the service's ``scoring`` settings."""
    events = case.events_to(end)
    st = derive_state(events)
    court = next((e for e in events if e.kind == "court-outcome"), None)
    cl = next((e for e in events if e.kind == "cl-decision"), None)
    counts = {
        o: 0 for o in ("attended", "acceptable-absence", "unacceptable-absence", "cancelled-by-service", "rescheduled")
    }
    for e in events:
        if e.kind == "session" and e.data.get("outcome") in counts:
            counts[e.data["outcome"]] += 1
    scores = [s for s in case.scores if s.date <= end]
    firsts, lasts = [], []
    for instrument, _ in SCORED:
        first, last = first_and_last(scores, instrument, scoring)
        firsts.append(score_value(instrument, score(first.instrument, first.items, scoring)) if first else None)
        lasts.append(score_value(instrument, score(last.instrument, last.items, scoring)) if last else None)
    assessment = next((e for e in events if e.kind == "assessment"), None)
    forms = {e.data.get("form"): e.date for e in reversed(events) if e.kind == "sentencer-feedback"}
    completion = next((e for e in events if e.kind == "completion"), None)
    start = case.fields.get("accommodation") or NOT_RECORDED_LABEL
    end_place = ""
    if completion:
        end_place = _ACCOMMODATION.get(completion.data.get("accommodation_end") or "", NOT_RECORDED_LABEL)
    court_data = court.data if court else {}
    accepted = court_data.get("outcome") == "accepted" if court else None
    requirement = REQUIREMENT_LABELS.get(court_data.get("combined") or None) if accepted else case.requirement
    return [
        case.ref,
        requirement,
        case.age_band_assessed or "",
        _stage(case, st.stage, end),
        _first_date(events, "screening"),
        _first_date(events, "assessment"),
        _support(assessment, RECOMMENDED),
        _first_date(events, "consent"),
        cl.date if cl else None,
        {"approved": "Approved", "declined": "Declined"}.get(cl.data.get("decision") or "", "") if cl else "",
        _first_date(events, "court-report-sent"),
        court.date if court else None,
        _yes_no(accepted),
        (court_data.get("order") or "") if accepted else "",
        _yes_no(st.sentenced_on_day) if accepted else "",  # from the dates, or as recorded (vocabulary.stages)
        _OTHERWISE.get(court_data.get("sentence_otherwise") or "", NOT_RECORDED_LABEL) if accepted else "",
        forms.get("sent"),
        forms.get("returned"),
        st.case_meeting,
        first_attended(events),  # blank when not known: an imported session without its own date is never shown
        last_attended(events),  # on the stand-in date it was stored on
        st.completed,
        start if assessment else "",
        end_place,
        _support(completion, REFERRED),
        _first_date(events, "withdrawal"),
        _reasons(events, "withdrawal"),
        _first_date(events, "not-eligible"),
        st.planned_sessions,
        counts["attended"],
        counts["acceptable-absence"],
        counts["unacceptable-absence"],
        counts["cancelled-by-service"],
        counts["rescheduled"],
        st.breaches,
        _reasons(events, "breach"),
        ", ".join(str(m) for m in sorted(st.follow_ups)),
        *firsts,
        *lasts,
        case.fields.get("risk_level") or "",
    ]


def caseload_rows(cases: Iterable[CaseFacts], end: date, *, scoring: ScoringOptions) -> list[list]:
    """One row per case started on or before ``end``, in reference order (``scoring``: the service's settings)."""
    return [caseload_row(c, end, scoring) for c in sorted(cases, key=lambda c: c.ref) if c.started <= end]
