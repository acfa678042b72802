"""The return's MHTR sheet: the pathway's counts month by month (screening, assessment, the Clinical Lead's and
the court's decisions, meetings, sessions, breaches, completions, follow-ups, the active caseload), each measure
with its definition, and the sums that tie them together.
"""

from __future__ import annotations

from exports.reasons import categories
from exports.table_spec import MONTH_COLUMNS, NOT_RECORDED_ID, Register, TableSpec
from vocabulary.event_kinds import OTHERWISE, SUPPORT

R = Register()
_m, _group, _mean, _rate, _lines = R.measure, R.group, R.mean, R.rate, R.lines


_m("screened", "Screened at court", "Cases with a screening event dated in the period.")
_m(
    "not_eligible",
    "Not eligible at screening",
    "Cases found not eligible in the period before any assessment (a not-eligible event with no assessment before it).",
)
_m(
    "not_eligible_assessed",
    "Not eligible after assessment",
    "Cases found not eligible in the period after their assessment (a not-eligible event after an assessment).",
)
_m(
    "assessed",
    "Assessed for an MHTR",
    "Cases with an assessment event dated in the period (a case assessed twice counts once).",
)

# The requirement proposed or made (seed 004: MHTR, MHTR & DRR, MHTR & ATR): (key suffix, label).
REQUIREMENT_TYPES = (("mhtr", "MHTR alone"), ("drr", "MHTR with a DRR"), ("atr", "MHTR with an ATR"))
REQUIREMENT_SUFFIX = {"MHTR": "mhtr", "MHTR & DRR": "drr", "MHTR & ATR": "atr"}


def _by_requirement(total: str, what: str, which: str) -> tuple[str, ...]:
    """The three rows of ``total`` by requirement, as a published sum."""
    keys = tuple(
        _m(f"{total}_{suffix}", f"{what}: {label}", f"{R.measure_of(total).label}, {which}: {label}.")
        for suffix, label in REQUIREMENT_TYPES
    )
    _group(total, *keys)
    return keys


PROPOSED = "by the requirement proposed for the case (recorded on the case)"
ASSESSED_BY_REQUIREMENT = _by_requirement("assessed", "Assessed", PROPOSED)
_m(
    "support_any",
    "Assessed: health or social support recommended",
    "Cases assessed in the period whose assessment recommended one or more health or social supports (ticked on the "
    "assessment; the first assessment in the period if there were two).",
)
SUPPORT_RECOMMENDED = tuple(
    _m(
        f"support.{cid}",
        f"Support recommended: {label}",
        "Cases assessed in the period with this support recommended at the assessment (a case may have several, so "
        "these rows do not add up to the cases).",
    )
    for cid, label in SUPPORT
)
_m("support_none", "Assessed: no support recommended", "Cases assessed in the period recorded as needing none.")
_m(
    "support_not_recorded",
    "Assessed: support recommended not recorded",
    "Cases assessed in the period whose assessment records neither a support nor that none was needed.",
)
_group("assessed", "support_any", "support_none", "support_not_recorded")
_m(
    "consented",
    "Consented to an MHTR after assessment",
    "Cases whose first consent (the consent at assessment) is dated in the period.",
)
_m(
    "consent_renewed",
    "Consent renewed (every 12 months in treatment)",
    "Consent events dated in the period that follow the case's first consent (the 12-monthly renewal).",
)
_m("cl_decided", "Clinical Lead decisions", "Cases with a Clinical Lead decision dated in the period.")
_m("cl_approved", "Approved by the Clinical Lead", "Clinical Lead decisions in the period that approved an MHTR.")
_m("cl_declined", "Declined by the Clinical Lead", "Clinical Lead decisions in the period that declined an MHTR.")
_group("cl_decided", "cl_approved", "cl_declined")
APPROVED_BY_REQUIREMENT = _by_requirement("cl_approved", "Approved by the Clinical Lead", PROPOSED)
CL_DECLINED_BY_REQUIREMENT = _by_requirement("cl_declined", "Declined by the Clinical Lead", PROPOSED)

_m(
    "psr",
    "Included in a pre-sentence report (court report sent)",
    "Cases whose court report was sent to probation for the pre-sentence report in the period.",
)
_m("court_decided", "Court decisions on a proposed MHTR", "Cases with a court outcome dated in the period.")
_m("court_accepted", "MHTR made by the court", "Court outcomes in the period that made an MHTR (sentence date).")
_m("court_declined", "MHTR declined by the court", "Court outcomes in the period that did not make an MHTR.")
_group("court_decided", "court_accepted", "court_declined")
COURT_DECLINED_BY_REQUIREMENT = _by_requirement("court_declined", "MHTR declined by the court", PROPOSED)
_m("order_co", "Made as part of a Community Order", "MHTRs made in the period with a Community Order.")
_m(
    "order_sso",
    "Made as part of a Suspended Sentence Order",
    "MHTRs made in the period with a Suspended Sentence Order.",
)
_group("court_accepted", "order_co", "order_sso")
_m("type_mhtr", "MHTR made: MHTR alone", "MHTRs made in the period without a DRR or ATR.")
_m("type_drr", "MHTR made: MHTR with a DRR", "MHTRs made in the period with a Drug Rehabilitation Requirement.")
_m("type_atr", "MHTR made: MHTR with an ATR", "MHTRs made in the period with an Alcohol Treatment Requirement.")
_group("court_accepted", "type_mhtr", "type_drr", "type_atr")
OTHERWISE_KEYS = tuple(
    _m(
        f"otherwise.{cid}",
        f"MHTR made, otherwise: {label[0].lower()}{label[1:]}",
        "MHTRs made in the period by what the sentence would otherwise have been (recorded on the court outcome, as "
        "the court said or the pre-sentence report proposed).",
    )
    for cid, label in (*OTHERWISE, (NOT_RECORDED_ID, "Not recorded"))
)
_group("court_accepted", *OTHERWISE_KEYS)
_m(
    "feedback_sent",
    "Sentencer feedback forms sent",
    "Sentencer feedback forms recorded as sent to the sentencer in the period (events; one form per case).",
)
_m(
    "feedback_returned",
    "Sentencer feedback forms completed",
    "Sentencer feedback forms recorded as returned completed by the sentencer in the period (events).",
)
_m(
    "on_day",
    "Sentenced on the day (within 24 hours)",
    "MHTRs made in the period on the day of the screening or assessment at court: the court outcome dated within "
    "one day of the last screening or assessment before it, or recorded as sentenced on the day.",
)
_m(
    "adjournments",
    "Court adjournments",
    "Adjournment events dated in the period (a case adjourned twice counts twice).",
)

_m(
    "meetings",
    "Case management meetings after sentence",
    "Cases whose first case management meeting after sentence is dated in the period.",
)
_m("meetings_14", "Within 14 days of sentence", "Of those meetings, held 14 days or fewer after the sentence date.")
_m("meetings_late", "More than 14 days after sentence", "Of those meetings, held more than 14 days after sentence.")
_group("meetings", "meetings_14", "meetings_late")
_mean(
    "meetings_days",
    "Mean days from sentence to case management meeting",
    "Mean of (meeting date - sentence date) in days over those meetings.",
    "meetings",
)
_m(
    "first_sessions",
    "First treatment sessions",
    "Cases whose first attended treatment session is dated in the period (not one imported without its own date, "
    "whose day is not known).",
)
_m("first_6w", "Within 6 weeks of sentence", "Of those first sessions, 42 days or fewer after the sentence date.")
_m("first_late", "More than 6 weeks after sentence", "Of those first sessions, more than 42 days after sentence.")
_group("first_sessions", "first_6w", "first_late")
_mean(
    "first_days",
    "Mean days from sentence to first treatment session",
    "Mean of (first session date - sentence date) in days over those first sessions.",
    "first_sessions",
)
_m(
    "sessions_offered",
    "Treatment sessions offered",
    "Session events dated in the period that were attended, missed with an acceptable reason, or missed without "
    "one (events, not cases; a session imported without its own date is not counted, its day is not known).",
)
_m("sessions_attended", "Sessions attended", "Of the sessions offered in the period, attended and complied with.")
_m("sessions_acceptable", "Acceptable absences", "Of the sessions offered in the period, missed with good reason.")
_m(
    "sessions_unacceptable",
    "Unacceptable absences (failed to attend)",
    "Of the sessions offered in the period, missed without an acceptable reason.",
)
_group("sessions_offered", "sessions_attended", "sessions_acceptable", "sessions_unacceptable")
_m(
    "sessions_cancelled",
    "Sessions cancelled by the service",
    "Session events dated in the period recorded as cancelled by the service (not counted as offered).",
)
_m("breaches", "Breaches", "Breach events dated in the period (information from probation).")
_m("breach_mhtr", "Breach related to the MHTR", "Breaches in the period recorded as related to the MHTR.")
_m("breach_other", "Breach related to another requirement", "Breaches recorded as related to another requirement.")
_m("breach_unknown", "Breach: relation not recorded", "Breaches with no record of which requirement they relate to.")
_group("breaches", "breach_mhtr", "breach_other", "breach_unknown")
BREACH_OUTCOME_KEYS = tuple(
    _m(
        f"breach_outcome.{cid}",
        f"Breach outcome: {label[0].lower()}{label[1:]}",
        "Breaches in the period by what the court did (the recorded outcome, put in a fixed category).",
    )
    for cid, label in categories("breach-outcome")
)
_group("breaches", *BREACH_OUTCOME_KEYS)
_m(
    "gp_registered",
    "Registered with a GP as a result of the MHTR",
    "Clients recorded as registered with a GP as a result of the MHTR, with the registration dated in the period.",
)

_m("completed", "MHTRs completed", "Cases with a completion event dated in the period.")
_m(
    "withdrawn",
    "Ended by withdrawal of consent (not completed)",
    "Cases with a consent-withdrawn event dated in the period; their reasons are on the Reasons sheet.",
)
_m(
    "active",
    "Active MHTRs at the end of the period",
    "Cases sentenced with an MHTR on or before the last day of the period and neither completed nor withdrawn by then, "
    "nor archived (opened by mistake, a duplicate, transferred).",
)
_m("active_treating", "In treatment (a session attended)", "Active MHTRs with at least one attended session by then.")
_m("active_waiting", "Awaiting the first session", "Active MHTRs with no attended session yet.")
_group("active", "active_treating", "active_waiting")
FOLLOW_UP_KEYS = []
for _months in (3, 6, 12):
    FOLLOW_UP_KEYS.append(
        _m(
            f"fu{_months}_due",
            f"{_months}-month follow-ups due",
            f"Completions whose date plus {_months} months falls in the period.",
        )
    )
    FOLLOW_UP_KEYS.append(
        _m(
            f"fu{_months}_done",
            f"{_months}-month follow-ups done",
            f"{_months}-month outcome follow-up events dated in the period.",
        )
    )


MHTR_TABLE = TableSpec(
    "MHTR",
    "MHTR monthly data return",
    ("Measure",),
    MONTH_COLUMNS,
    _lines(
        "# Pre-sentence",
        "screened",
        "not_eligible",
        "not_eligible_assessed",
        "assessed",
        *ASSESSED_BY_REQUIREMENT,
        "support_any",
        *SUPPORT_RECOMMENDED,
        "support_none",
        "support_not_recorded",
        "consented",
        "consent_renewed",
        "cl_decided",
        "cl_approved",
        *APPROVED_BY_REQUIREMENT,
        "cl_declined",
        *CL_DECLINED_BY_REQUIREMENT,
        "# Sentence",
        "psr",
        "court_decided",
        "court_accepted",
        "court_declined",
        *COURT_DECLINED_BY_REQUIREMENT,
        "order_co",
        "order_sso",
        "type_mhtr",
        "type_drr",
        "type_atr",
        *OTHERWISE_KEYS,
        "on_day",
        "adjournments",
        "feedback_sent",
        "feedback_returned",
        "# Post-sentence",
        "meetings",
        "meetings_14",
        "meetings_late",
        "meetings_days",
        "first_sessions",
        "first_6w",
        "first_late",
        "first_days",
        "sessions_offered",
        "sessions_attended",
        "sessions_acceptable",
        "sessions_unacceptable",
        "sessions_cancelled",
        "breaches",
        "breach_mhtr",
        "breach_other",
        "breach_unknown",
        *BREACH_OUTCOME_KEYS,
        "gp_registered",
        "# Sentence completion",
        "completed",
        "withdrawn",
        "active",
        "active_treating",
        "active_waiting",
        *FOLLOW_UP_KEYS,
    ),
)
