"""Every kind of event, in one registry: its label, its fields, its rules and the action that records it.

The app's event form (``tui.forms.EventScreen``) and the command line's ``mhtr-tui event`` arguments and help
(``cli.events``) are generated from ``KINDS``, and ``check_event`` refuses what it does not allow, so a field the
domain accepts can be entered from both front ends and a rule is written once.

Adding a field: append a ``Field`` to its kind's ``fields`` (its name is the key in the event's stored data and,
with dashes, the command-line option). Adding a kind: add a ``Kind`` to ``KINDS`` with its fields, its rule
(``check``: the order of events and anything about the case's state, given a ``Context``) and, when recording it
is more than storing the event, its ``action`` (``"session"``: through ``records.sessions.log_session``;
``"withdrawal"``: ``records.sessions.withdraw_consent``). What the event does to the case's stage is
``vocabulary.stages.derive_state``; which checklist items it starts is the checklist file's business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from vocabulary.dates import EVENT_DATE, check_date
from vocabulary.event_fields import (
    CHOICE,
    FLAG,
    NOTE,
    NUMBER,
    TEXT,
    YES_NO,
    Context,
    Field,
    Kind,
    clean_fields,
)
from vocabulary.identity import ACCOMMODATION, ValidationError
from vocabulary.stages import DEFAULT_PLANNED_SESSIONS, MAX_EXTRA_SESSIONS, UNDATED, CaseState, Event, derive_state

SESSION_OUTCOMES = (
    "attended",
    "acceptable-absence",
    "unacceptable-absence",
    "cancelled-by-service",
    "rescheduled",
)
SESSION_OUTCOME_LABELS = {
    "attended": "Attended and complied",
    "acceptable-absence": "Acceptable absence",
    "unacceptable-absence": "Unacceptable absence / failed to attend",
    "cancelled-by-service": "Cancelled by service",
    "rescheduled": "Rescheduled",
}
ORDERS = ("CO", "SSO")
ORDER_LABELS = {"CO": "Community Order", "SSO": "Suspended Sentence Order"}
COMBINED = ("DRR", "ATR")
COMBINED_LABELS = {"DRR": "Drug Rehabilitation Requirement", "ATR": "Alcohol Treatment Requirement"}
MIN_MINUTES, MAX_MINUTES = 10, 240  # a session's length
# The order's legal limits (Sentencing Act 2020): a Community Order up to three years; a Suspended Sentence
# Order's supervision period up to two years.
CO_MAX_MONTHS, SSO_MAX_MONTHS = 36, 24
# What the sentence would otherwise have been, had an MHTR not been available (the court outcome; seed 004 asks
# for it to show where a short custodial sentence was avoided).
OTHERWISE = (
    ("custody", "Custody"),
    ("suspended", "Suspended sentence"),
    ("community", "Community order without treatment"),
    ("other", "Other"),
    ("not-known", "Not known"),
)
# The client's accommodation (``vocabulary.identity.ACCOMMODATION``) as a choice typed on the command line: the
# accommodation at the end, recorded on the completion (the start is the client's record, made at assessment).
ACCOMMODATION_CHOICES = tuple(
    zip(("settled", "family", "supported", "temporary", "homeless", "other"), ACCOMMODATION, strict=True)
)
# The health and social support a person is pointed to: recommended at the assessment, referred or signposted
# to at completion. One list for both, so that what was recommended and what was done line up in the return.
SUPPORT = (
    ("therapy", "talking therapy or counselling"),
    ("secondary", "secondary mental health care (CMHT)"),
    ("substance", "drug or alcohol service"),
    ("housing", "housing or homelessness support"),
    ("work", "employment, education or training"),
    ("money", "benefits, debt or money advice"),
    ("community", "community or voluntary sector support"),
    ("other", "other health or social support"),
)
RECOMMENDED, REFERRED = "recommended", "referred"  # the field prefixes: recommended_therapy, referred_none
NONE = "none"

def _support(prefix: str, verb: str, doing: str, when: str, none: str) -> tuple[Field, ...]:
    """One tick box per ``SUPPORT`` category (``--referred-housing``), and one for "none" (``--referred-none``):
    none ticked means not recorded, which the return counts apart and the completeness list asks for."""
    fields = tuple(
        Field(f"{prefix}_{cid}", f"{verb}: {label}", FLAG, f"{doing} {when}: {label}", omit_false=True)
        for cid, label in SUPPORT
    )
    return (*fields, Field(f"{prefix}_{NONE}", none, FLAG, f"{none.lower()} {when}", omit_false=True))


def support_of(prefix: str, data: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``SUPPORT`` categories ticked in an event's data, in the list's order."""
    return tuple(cid for cid, _ in SUPPORT if data.get(f"{prefix}_{cid}") is True)


def _support_finish(prefix: str, none: str) -> Callable[[Context, dict], None]:
    """Refuse "none" ticked together with a category: one of the two is a slip."""

    def finish(ctx: Context, clean: dict) -> None:
        ctx.need(
            not (clean.get(f"{prefix}_{NONE}") and support_of(prefix, clean)),
            f"{ctx.label.lower()}: \"{none.lower()}\" is ticked together with a service; untick one",
        )

    return finish


def _reason(help_text: str = "why", *, required: bool | tuple[str, str] = False, missing: str = "") -> Field:
    return Field("reason", "Reason", TEXT, help_text, required=required, missing=missing)


# --- the rules of each kind ----------------------------------------------------------------------------------


def _screening(ctx: Context) -> None:
    ctx.need(ctx.state.sentence_date is None, "screening is recorded before sentence, not after")


def _not_eligible(ctx: Context) -> None:
    ctx.need(ctx.state.cl_decision is None, "the Clinical Lead has already decided; record a CL decision instead")
    ctx.prior("screening", "assessment", what="a screening or assessment")


def _assessment(ctx: Context) -> None:
    ctx.need(ctx.state.sentence_date is None, "the MHTR assessment comes before sentence")
    first = min((e.date for e in ctx.history), default=None)
    if first:
        ctx.need(ctx.when >= first, f"assessment on {ctx.when:%d/%m/%Y} is before the case's first event")


def _consent(ctx: Context) -> None:
    ctx.need(ctx.state.completed is None, "consent is not recorded after completion")
    _within_order(ctx, "consent is renewed while the order runs")


def _within_order(ctx: Context, what: str) -> None:
    """Refuse an event dated after the order's last day (sentence date + length), saying when it ended."""
    end = ctx.state.order_end
    if end is not None and ctx.when > end:  # the message written only when it refuses (see Context.prior)
        raise ValidationError(f"{ctx.label} on {ctx.when:%d/%m/%Y} is after the order ended on {end:%d/%m/%Y}; {what}")


def _cl_decision(ctx: Context) -> None:
    ctx.prior("assessment", what="an assessment")
    ctx.need(ctx.state.cl_decision is None, f"the Clinical Lead already decided ({ctx.state.cl_decision})")


def _keep_undated(ctx: Context, clean: dict) -> None:
    """A decision imported without its date (``importer.rows``) keeps its stand-in mark, through corrections too,
    which replay the stored data."""
    if ctx.data.get(UNDATED) is True:
        clean[UNDATED] = True


def _court_report_sent(ctx: Context) -> None:
    ctx.need(ctx.state.cl_decision == "approved", "the court report is sent after the Clinical Lead approves")
    ctx.prior("cl-decision", what="the Clinical Lead decision")


def _adjournment(ctx: Context) -> None:
    ctx.need(ctx.state.sentence_date is None, "the case has already been sentenced")
    ctx.prior("screening", "assessment", what="a screening or assessment")


def _court_outcome(ctx: Context) -> None:
    ctx.prior("assessment", what="an assessment")
    ctx.need(ctx.state.accepted is None, "the court outcome is already recorded; record a correction instead")
    if ctx.data.get("outcome") == "accepted":
        ctx.need(ctx.state.cl_decision == "approved", "an MHTR can only be made after the Clinical Lead approves it")


def _court_outcome_finish(ctx: Context, clean: dict) -> None:
    """The legal limits of the order (Sentencing Act 2020): a Community Order up to 36 months (the length field's
    limit), a Suspended Sentence Order's supervision period up to 24 months."""
    months = clean.get("length_months")
    if clean.get("order") == "SSO" and months is not None:
        ctx.need(months <= SSO_MAX_MONTHS,
                 f"a Suspended Sentence Order's supervision period is at most {SSO_MAX_MONTHS} months, not {months}")


def _session(ctx: Context) -> None:
    ctx.sentenced()
    ctx.need(
        ctx.state.completed is None or bool(ctx.data.get("extra")),
        "treatment is complete; mark a session after completion as an extra session",
    )
    if ctx.state.completed is None:  # an extra session after completion stays allowed
        _within_order(ctx, "sessions are held within the order (an extra session after completion excepted)")


def _session_finish(ctx: Context, clean: dict) -> None:
    """A session's number (attended ones, counted) and whether it is the final one (the planned number reached)."""
    st = ctx.state
    if ctx.data.get(UNDATED) is True:  # kept through corrections too, which replay the stored data
        clean[UNDATED] = True
    if clean["outcome"] == "attended":
        clean["number"] = st.sessions_attended + 1
        if st.planned_sessions:
            most = st.planned_sessions + MAX_EXTRA_SESSIONS
            ctx.need(clean["number"] <= most, f"session {clean['number']} would be more than the {st.planned_sessions} "
                     f"planned and {MAX_EXTRA_SESSIONS} extra sessions")
        if st.planned_sessions and clean["number"] >= st.planned_sessions and not clean.get("extra"):
            clean["final"] = True


def _completion(ctx: Context) -> None:
    ctx.sentenced()
    ctx.need(ctx.state.completed is None, "completion is already recorded")


def _withdrawal(ctx: Context) -> None:
    ctx.need(
        "consent" in ctx.kinds or ctx.state.accepted is True, "consent withdrawn needs consent or a sentence first"
    )


def _sentencer_feedback(ctx: Context) -> None:
    """A form goes to the sentencer after the court's decision and comes back once; a return without a form sent
    is a slip (the form sent is recorded first)."""
    ctx.prior("court-outcome", what="the court outcome")
    forms = [e for e in ctx.history if e.kind == "sentencer-feedback"]
    sent = next((e for e in forms if e.data.get("form") == "sent"), None)
    returned = next((e for e in forms if e.data.get("form") == "returned"), None)
    if ctx.data.get("form") == "sent":
        ctx.need(sent is None, f"a sentencer feedback form was already sent on {sent.date:%d/%m/%Y}" if sent else "")
    elif ctx.data.get("form") == "returned":
        if sent is None:
            raise ValidationError("a sentencer feedback form returned needs the form sent first")
        ctx.need(
            returned is None,
            f"the sentencer feedback form was already returned on {returned.date:%d/%m/%Y}" if returned else "",
        )
        ctx.need(
            ctx.when >= sent.date,
            f"the form returned on {ctx.when:%d/%m/%Y} is before it was sent on {sent.date:%d/%m/%Y}",
        )


def _ro_decision(ctx: Context) -> None:
    ctx.sentenced()
    ctx.need(
        ctx.state.awaiting_ro_decision,
        "an RO breach decision follows a second unacceptable absence (within 12 months of the first), and none is "
        "waiting for a decision",
    )


def _follow_up(ctx: Context) -> None:
    st = ctx.state
    months = ctx.data.get("months")
    completed = st.completed
    if completed is None:
        raise ValidationError("outcome follow-ups come after completion")
    if months not in (None, "") and str(months).strip() in ("3", "6", "12"):
        ctx.need(int(months) not in st.follow_ups, f"the {int(months)}-month follow-up is already recorded")
    ctx.need(ctx.when >= completed, f"the follow-up on {ctx.when:%d/%m/%Y} is before completion")


ACCEPTED = ("outcome", "accepted")

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("screening", "Screening at court", check=_screening),
        Kind(
            "not-eligible",
            "Not eligible",
            (_reason("why the person is not eligible", required=True, missing="not-eligible needs a reason"),),
            check=_not_eligible,
            fields_first=True,
        ),
        Kind(
            "assessment",
            "Assessment",
            (
                Field(
                    "concerns",
                    "Risk identified (urgent tasks)",
                    FLAG,
                    "a risk identified at the assessment (raises the urgent risk tasks)",
                    omit_false=True,
                ),
                *_support(RECOMMENDED, "Recommended", "recommended", "at the assessment", "No support recommended"),
            ),
            check=_assessment,
            finish=_support_finish(RECOMMENDED, "No support recommended"),
        ),
        Kind("consent", "Consent given", check=_consent),
        Kind(
            "cl-decision",
            "Clinical Lead decision",
            (
                Field(
                    "decision",
                    "Decision",
                    CHOICE,
                    "the Clinical Lead's decision",
                    (("approved", "Approved"), ("declined", "Declined")),
                    required=True,
                    missing="the Clinical Lead's decision is needed: approved or declined",
                    flags=True,
                ),
                _reason(
                    "why it was declined",
                    required=("decision", "declined"),
                    missing="a declined decision needs a reason",
                ),
            ),
            check=_cl_decision,
            finish=_keep_undated,
        ),
        Kind("court-report-sent", "Court report sent", check=_court_report_sent),
        Kind(
            "adjournment",
            "Court adjournment",
            (_reason("why the court adjourned", required=True, missing="an adjournment needs a reason"),),
            check=_adjournment,
            fields_first=True,
        ),
        Kind(
            "court-outcome",
            "Court outcome",
            (
                Field(
                    "outcome",
                    "Court outcome",
                    CHOICE,
                    "what the court decided",
                    (("accepted", "MHTR made (accepted)"), ("declined", "MHTR declined")),
                    required=True,
                    missing="the court's outcome is needed: accepted or declined",
                    flags=True,
                ),
                Field(
                    "order",
                    "Order",
                    CHOICE,
                    "Community Order or Suspended Sentence Order (default CO)",
                    tuple(ORDER_LABELS.items()),
                    applies=ACCEPTED,
                    default="CO",
                    upper=True,
                    cli_choices=True,
                    invalid="order {value!r} is CO (Community Order) or SSO (Suspended Sentence Order)",
                ),
                Field(
                    "length_months",
                    "Length (months)",
                    NUMBER,
                    "length of the order in months (CO up to 36, SSO supervision up to 24)",
                    applies=ACCEPTED,
                    lo=1,
                    hi=CO_MAX_MONTHS,
                    what="order length in months",
                ),
                Field(
                    "sessions",
                    "Planned sessions",
                    NUMBER,
                    f"planned sessions (default {DEFAULT_PLANNED_SESSIONS})",
                    applies=ACCEPTED,
                    default=DEFAULT_PLANNED_SESSIONS,
                    lo=1,
                    hi=52,
                    what="planned sessions",
                ),
                Field(
                    "sentenced_on_day",
                    "Sentenced on the day",
                    FLAG,
                    "sentenced on the day (within 24 h) where the dates do not show it: it is read from the "
                    "screening or assessment and the sentence dates",
                    applies=ACCEPTED,
                ),
                Field(
                    "combined",
                    "Combined with",
                    CHOICE,
                    "a combined requirement (DRR or ATR)",
                    tuple(COMBINED_LABELS.items()),
                    applies=ACCEPTED,
                    upper=True,
                    cli_choices=True,
                    invalid="combined requirement {value!r} is DRR or ATR",
                ),
                Field(
                    "sentence_otherwise",
                    "Sentence otherwise",
                    CHOICE,
                    "what the sentence would otherwise have been, as the court said or the report proposed",
                    OTHERWISE,
                    applies=ACCEPTED,
                    cli_choices=True,
                    invalid="sentence otherwise {value!r} is one of " + ", ".join(v for v, _ in OTHERWISE),
                ),
                _reason(
                    "why the court declined",
                    required=("outcome", "declined"),
                    missing="a declined court outcome needs a reason",
                ),
            ),
            check=_court_outcome,
            finish=_court_outcome_finish,
        ),
        Kind(
            "sentencer-feedback",
            "Sentencer feedback form",
            (
                Field(
                    "form",
                    "Form",
                    CHOICE,
                    "the sentencer feedback form",
                    (("sent", "Sent to the sentencer"), ("returned", "Returned by the sentencer")),
                    required=True,
                    missing="say whether the sentencer feedback form was sent or returned",
                    flags=True,
                ),
            ),
            check=_sentencer_feedback,
            open_when_closed=True,  # a form comes back after the case has closed (declined, completed)
            fields_first=True,
        ),
        Kind("case-meeting", "Case management meeting", check=Context.sentenced),
        Kind(
            "session",
            "Treatment session",
            (
                Field(
                    "outcome",
                    "Attendance",
                    CHOICE,
                    " | ".join(SESSION_OUTCOMES) + " (default attended)",
                    tuple(SESSION_OUTCOME_LABELS.items()),
                    default="attended",
                ),
                Field(
                    "duration",
                    "Minutes",
                    NUMBER,
                    f"how long it lasted, {MIN_MINUTES} to {MAX_MINUTES} minutes",
                    lo=MIN_MINUTES,
                    hi=MAX_MINUTES,
                    what="duration in minutes",
                ),
                Field("risk", "Risk", NOTE, "risk to self and others, safeguarding, changes since last time"),
                Field("summary", "Summary", NOTE, "what the session covered"),
                Field("plan", "Plan", NOTE, "what happens before and at the next session"),
                Field("notes", "Notes", NOTE, "anything else for the record"),
                Field("final", "Final session", FLAG, "the final session"),
                Field("extra", "Extra session", FLAG, "an extra session after completion", omit_false=True),
                Field(
                    "concerns",
                    "Risk or concerns (urgent tasks)",
                    FLAG,
                    "a risk marked (attended), or concerns about the person (an absence: tell the care coordinator)",
                    omit_false=True,
                ),
            ),
            check=_session,
            finish=_session_finish,
            action="session",
        ),
        Kind(
            "completion",
            "Completion",
            (
                Field(
                    "accommodation_end",
                    "Accommodation",
                    CHOICE,
                    "the client's accommodation at the end (at the start it is the client's record)",
                    ACCOMMODATION_CHOICES,
                    cli_choices=True,
                    what="accommodation at the end",
                    invalid="accommodation at the end {value!r} is one of "
                    + ", ".join(v for v, _ in ACCOMMODATION_CHOICES),
                ),
                *_support(
                    REFERRED, "Referred", "referred or signposted", "at completion", "No referral or signposting"
                ),
            ),
            check=_completion,
            finish=_support_finish(REFERRED, "No referral or signposting"),
        ),
        Kind(
            "breach",
            "Breach",
            (
                _reason("what the breach was"),
                Field("mhtr_related", "Related to the MHTR", YES_NO, "related to the MHTR (or to another requirement)"),
                Field("outcome", "Breach outcome", TEXT, "what the court did"),
            ),
            check=Context.sentenced,
        ),
        Kind(
            "ro-decision",
            "RO breach decision",
            (
                Field(
                    "decision",
                    "RO decided",
                    CHOICE,
                    "what the Responsible Officer decided after the unacceptable absences",
                    (("breach", "Breach (refer to enforcement)"), ("no-breach", "No breach")),
                    required=True,
                    missing="the RO's decision is needed: breach or no breach",
                    flags=True,
                ),
                _reason("the RO's reasons"),
            ),
            check=_ro_decision,
        ),
        Kind(
            "withdrawal",
            "Consent withdrawn",
            (_reason("why consent was withdrawn (the return reports it)"),),
            check=_withdrawal,
            action="withdrawal",
        ),
        Kind(
            "follow-up",
            "Outcome follow-up",
            (
                Field(
                    "months",
                    "Follow-up",
                    NUMBER,
                    "months after completion: 3, 6 or 12",
                    (("3", "3 months"), ("6", "6 months"), ("12", "12 months")),
                    required=True,
                    missing="a follow-up is at 3, 6 or 12 months",
                    lo=3,
                    hi=12,
                    what="follow-up months",
                ),
            ),
            check=_follow_up,
            open_when_closed=True,
            fields_first=True,
        ),
    )
}
# kind -> label, for lists and messages
EVENT_KINDS: dict[str, str] = {k.name: k.label for k in KINDS.values()}


def kind_of(name: str) -> Kind:
    """The registered kind ``name``, or a refusal naming the known ones."""
    kind = KINDS.get(name)
    if kind is None:
        raise ValidationError(f"unknown event kind {name!r} (known: {', '.join(KINDS)})")
    return kind


def check_event(
    kind: str,
    when: date,
    data: Mapping[str, Any],
    history: Sequence[Event],
    today: date,
    *,
    state: CaseState | None = None,
) -> dict:
    """Refuse an event that is unknown, incomplete, in the future or out of order; return clean data.

    ``history`` is the case's events so far; ``state`` is ``derive_state(history)`` when the caller has it already
    (recording an event needs it too), so the history is not derived twice. The returned dict is what gets stored.
    """
    spec = kind_of(kind)
    if when > today:
        raise ValidationError(f"{spec.label} on {when:%d/%m/%Y} is in the future; record it when it has happened")
    check_date(when, today, EVENT_DATE)  # nor before the service could have existed (a slip: 0001, 1900)
    if state is None:
        state = derive_state(history)
    if state.closed and not spec.open_when_closed:
        raise ValidationError(f"this case is closed ({state.label_in_sentence}); open a new case for a new referral")
    ctx = Context(kind, spec.label, when, data, history, state)
    if spec.fields_first:
        clean = clean_fields(spec, data)
        spec.check(ctx)
    else:
        spec.check(ctx)
        clean = clean_fields(spec, data)
    spec.finish(ctx, clean)
    return clean


def describe_event(kind: str, data: dict) -> str:
    """A few words on an event's details, for timelines and letters."""
    d = data or {}
    if kind == "cl-decision":
        return "approved" if d.get("decision") == "approved" else f"declined: {d.get('reason', '')}"
    if kind == "court-outcome":
        if d.get("outcome") != "accepted":
            return f"MHTR declined by the court: {d.get('reason', '')}"
        parts = [ORDER_LABELS.get(d.get("order") or "", d.get("order") or "")]
        if d.get("length_months"):
            parts.append(f"{d['length_months']} months")
        parts.append(f"{d.get('sessions', DEFAULT_PLANNED_SESSIONS)} sessions")
        if d.get("combined"):
            parts.append(f"with {d['combined']}")
        if d.get("sentenced_on_day"):
            parts.append("sentenced on the day")
        if d.get("sentence_otherwise"):
            parts.append(f"otherwise: {dict(OTHERWISE).get(d['sentence_otherwise'], '').lower()}")
        return "MHTR made: " + ", ".join(p for p in parts if p)
    if kind == "session":
        text = SESSION_OUTCOME_LABELS.get(d.get("outcome") or "", d.get("outcome") or "")
        if d.get("number"):
            text = f"session {d['number']}: {text}"
        if d.get("final"):
            text += " (final)"
        if d.get("extra"):
            text += " (extra)"
        return text
    if kind == "follow-up":
        return f"{d.get('months')} months after completion"
    if kind in ("assessment", "completion"):
        prefix = RECOMMENDED if kind == "assessment" else REFERRED
        bits = []
        if d.get("accommodation_end"):
            bits.append(f"accommodation: {dict(ACCOMMODATION_CHOICES).get(d['accommodation_end'], '').lower()}")
        services = [dict(SUPPORT)[c] for c in support_of(prefix, d)]
        if services:
            bits.append(f"{prefix}: " + " / ".join(services))
        elif d.get(f"{prefix}_{NONE}"):
            bits.append("no support recommended" if kind == "assessment" else "no referral or signposting")
        return "; ".join(bits)
    if kind == "sentencer-feedback":
        return "form sent to the sentencer" if d.get("form") == "sent" else "form returned by the sentencer"
    if kind == "ro-decision":
        decided = "breach (referred to enforcement)" if d.get("decision") == "breach" else "no breach"
        return decided + (f": {d['reason']}" if d.get("reason") else "")
    if kind == "breach":
        bits = [d.get("reason") or ""]
        if d.get("mhtr_related") is not None:
            bits.append("MHTR-related" if d["mhtr_related"] else "not MHTR-related")
        if d.get("outcome"):
            bits.append(f"outcome: {d['outcome']}")
        return "; ".join(b for b in bits if b)
    return d.get("reason", "")

