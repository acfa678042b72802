"""What the monthly return holds: every measure (its key, heading and definition), the sums that tie counts
together (for secondary suppression and for merging), and the tables the figures are shown in.

The layout is fixed by the code, not by the data: every category of every breakdown appears in every return,
zero or not, so that returns of different months and different practitioners line up row for row, a person can
compare them by eye, and ``exports.merge`` can add them up. ``LAYOUT_VERSION`` changes when a row is added,
removed or renamed; merging refuses returns of different versions.

A measure's figure is kept per period ("month", "rolling"). Counts are whole numbers; a mean is ``sum / n``
(its ``num`` and ``den`` keys) and a rate is ``100 * num / den``, so both can be recomputed after counts from
several returns are added together.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.reasons import categories
from vocabulary.event_kinds import ACCOMMODATION_CHOICES, OTHERWISE, SUPPORT
from vocabulary.identity import ACCOMMODATION, AGE_BANDS, ETHNICITIES, GENDERS, OFFENCE_TYPES, REFERRAL_SOURCES

LAYOUT_VERSION = 3


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    note: str = ""
    kind: str = "count"  # count | mean | rate | sum (a hidden part of a mean)
    num: str = ""  # a mean's sum or a rate's numerator ("" for a count or a sum)
    den: str = ""  # a mean's or a rate's denominator


@dataclass(frozen=True)
class Group:
    """``total`` = the sum of ``members`` in every period (a published sum, so suppression must protect it)."""

    total: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """A row of a table: its label cells and the measure key it shows (None for a section heading)."""

    labels: tuple[str, ...]
    key: str | None = None


@dataclass(frozen=True)
class Column:
    """A figure column: its heading (``{month}``, ``{rolling}``, ``{end}`` filled in), the period, and a key
    prefix (the Characteristics table shows "assessed." and "active." figures of the same categories)."""

    heading: str
    period: str
    prefix: str = ""


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    label_headings: tuple[str, ...]
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]


MEASURES: dict[str, Measure] = {}
GROUPS: list[Group] = []


def _m(key: str, label: str, note: str = "", **kw) -> str:
    MEASURES[key] = Measure(key, label, note, **kw)
    return key


def _group(total: str, *members: str) -> None:
    GROUPS.append(Group(total, tuple(members)))


def _mean(key: str, label: str, note: str, n_key: str) -> str:
    _m(key + ".sum", label + " (sum)", kind="sum")
    return _m(key, label, note, kind="mean", num=key + ".sum", den=n_key)


def _rate(key: str, label: str, note: str, num: str, den: str) -> str:
    return _m(key, label, note, kind="rate", num=num, den=den)


# --- MHTR sheet ----------------------------------------------------------------------------------------------

MONTH_COLUMNS = (Column("{month}", "month"), Column("12 months to {month_short} ({rolling})", "rolling"))

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
        _m(f"{total}_{suffix}", f"{what}: {label}", f"{MEASURES[total].label}, {which}: {label}.")
        for suffix, label in REQUIREMENT_TYPES
    )
    _group(total, *keys)
    return keys


PROPOSED = "by the requirement proposed for the case (recorded on the case)"
ASSESSED_BY_REQUIREMENT = _by_requirement("assessed", "Assessed", PROPOSED)
NOT_RECORDED_ID = "not-recorded"  # the key suffix of a category left blank
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


def _lines(*items) -> tuple[Line, ...]:
    out = []
    for item in items:
        if item.startswith("#"):
            out.append(Line((item[1:].strip(),)))
        else:
            out.append(Line((MEASURES[item].label,), item))
    return tuple(out)


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

# --- Reasons -------------------------------------------------------------------------------------------------

# (section, category list, total, title): each reason section counts its total's cases or events by category.
REASON_SECTIONS = (
    ("not-eligible", "not-eligible", "not_eligible", "Not eligible at screening"),
    ("not-eligible-assessed", "not-eligible", "not_eligible_assessed", "Not eligible after assessment"),
    ("cl-declined", "cl-declined", "cl_declined", "Declined by the Clinical Lead"),
    ("court-declined", "court-declined", "court_declined", "MHTR declined by the court"),
    ("adjournment", "adjournment", "adjournments", "Court adjournments"),
    ("breach", "breach", "breaches", "Breaches"),
    ("withdrawal", "withdrawal", "withdrawn", "Not completed: consent withdrawn"),
)
_reason_lines: list[Line] = []
for _section, _kind, _total, _title in REASON_SECTIONS:
    _reason_lines.append(Line((_title,)))
    _keys = []
    for _cid, _label in categories(_kind):
        _keys.append(
            _m(
                f"reason.{_section}.{_cid}",
                f"{_title}: {_label}",
                f"{MEASURES[_total].label} in the period, by reason.",
            )
        )
        _reason_lines.append(Line((_title, _label), _keys[-1]))
    _group(_total, *_keys)
    _reason_lines.append(Line((_title, "All reasons"), _total))

REASONS_TABLE = TableSpec(
    "Reasons", "Reasons, in fixed categories", ("Decision", "Reason"), MONTH_COLUMNS, tuple(_reason_lines)
)

# --- Characteristics -----------------------------------------------------------------------------------------

NOT_RECORDED = "Not recorded"
NOT_APPLICABLE = "not applicable"  # a field that cannot apply to the person (``vocabulary.identity.field_applies``)
YES_NO_LABELS = (("yes", "Yes"), ("no", "No"))
_AGE = tuple((f"{lo}+" if hi >= 200 else f"{lo}-{hi}",) * 2 for lo, hi in AGE_BANDS) + (("under 18", "Under 18"),)


def _options(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


# (field, heading, ((value, label), ...)); a value outside the list and a missing value count as "Not recorded".
CHARACTERISTICS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("referral_source", "Source of referral", _options(REFERRAL_SOURCES)),
    ("gender", "Gender", _options(GENDERS)),
    ("age_band", "Age band", _AGE),
    ("ethnicity", "Ethnicity", _options(ETHNICITIES)),
    ("looked_after", "Looked-after child or care leaver", YES_NO_LABELS),
    ("ehc_plan", "Education, Health and Care Plan", (*YES_NO_LABELS, (NOT_APPLICABLE, "Not applicable (over 25)"))),
    ("pregnancy", "Pregnant", (*YES_NO_LABELS, (NOT_APPLICABLE, "Not applicable (recorded as male)"))),
    ("caring", "Caring responsibilities", YES_NO_LABELS),
    ("disability", "Disability", YES_NO_LABELS),
    ("armed_forces", "Armed forces history", YES_NO_LABELS),
    ("accommodation", "Accommodation", _options(ACCOMMODATION)),
    ("offence_type", "Offence type", _options(OFFENCE_TYPES)),
    ("gp_registered", "Registered with a GP", YES_NO_LABELS),
)
CHARACTERISTIC_SETS = (
    ("assessed", "assessed", "Assessed in the period"),
    ("active", "active", "Active MHTRs at the end of the period"),
)


def characteristic_key(prefix: str, field_name: str, value: str | None) -> str:
    return f"{prefix}.{field_name}={value if value is not None else NOT_RECORDED}"


_char_lines: list[Line] = []
for _field, _heading, _opts in CHARACTERISTICS:
    _char_lines.append(Line((_heading,)))
    for _value, _label in (*_opts, (None, NOT_RECORDED)):
        _suffix = characteristic_key("", _field, _value)[1:]
        for _prefix, _total, _what in CHARACTERISTIC_SETS:
            _m(f"{_prefix}.{_suffix}", f"{_what}: {_heading}: {_label}", kind="count")
        _char_lines.append(Line((_heading, _label), _suffix))
    for _prefix, _total, _ in CHARACTERISTIC_SETS:
        _group(_total, *(characteristic_key(_prefix, _field, v) for v, _ in (*_opts, (None, NOT_RECORDED))))
    _char_lines.append(Line((_heading, "All"), "#total"))

CHARACTERISTICS_TABLE = TableSpec(
    "Characteristics",
    "Who was assessed and who is on an MHTR",
    ("Characteristic", "Category"),
    (
        Column("Assessed in {month}", "month", "assessed."),
        Column("Assessed, 12 months to {month_short}", "rolling", "assessed."),
        Column("Active MHTRs on {end}", "month", "active."),
    ),
    tuple(_char_lines),
)
# The "All" row of each characteristic shows the totals: assessed (each period) and active at the month end.
CHARACTERISTIC_TOTALS = {"assessed.": "assessed", "active.": "active"}

# --- Outcomes ------------------------------------------------------------------------------------------------

INSTRUMENTS = (
    ("CORE-OM", "core", "CORE-34 (CORE-OM)", "clinical score 0-40", 10, 5),
    ("PHQ-9", "phq9", "PHQ-9", "0-27", 10, 6),
    ("GAD-7", "gad7", "GAD-7", "0-21", 8, 4),
)
_m(
    "finished",
    "Completed with 2 or more sessions attended (finished treatment)",
    "Cases completed in the period with at least two attended treatment sessions: the group whose outcomes follow.",
)
_out_lines: list[str] = ["# Completions", "completed", "finished"]
for _name, _k, _title, _range, _cut, _rci in INSTRUMENTS:
    pairs = _m(
        f"{_k}.pairs",
        f"{_title}: scored before and after",
        f"Finished treatment with a valid {_title} score before (the first) and after (the last, not a follow-up).",
    )
    _mean(f"{_k}.mean_pre", f"{_title}: mean score before ({_range})", "Mean of the first scores.", pairs)
    _mean(f"{_k}.mean_post", f"{_title}: mean score after ({_range})", "Mean of the last scores.", pairs)
    _m(f"{_k}.improved", f"{_title}: reliable improvement", f"Score fell by {_rci} or more points.")
    _rate(
        f"{_k}.improved_rate",
        f"{_title}: reliable improvement rate (%)",
        "Reliable improvement / scored.",
        f"{_k}.improved",
        pairs,
    )
    _m(f"{_k}.deteriorated", f"{_title}: reliable deterioration", f"Score rose by {_rci} or more points.")
    _rate(
        f"{_k}.deteriorated_rate",
        f"{_title}: reliable deterioration rate (%)",
        "Reliable deterioration / scored.",
        f"{_k}.deteriorated",
        pairs,
    )
    _m(f"{_k}.caseness", f"{_title}: at clinical level before (score {_cut} or more)", "First score at the cut-off.")
    _m(f"{_k}.recovered", f"{_title}: recovered", "At clinical level before and below the cut-off after.")
    _rate(
        f"{_k}.recovery_rate",
        f"{_title}: recovery rate (%)",
        "Recovered / (scored - not at clinical level before).",
        f"{_k}.recovered",
        f"{_k}.caseness",
    )
    _m(f"{_k}.reliable_recovery", f"{_title}: reliable recovery", "Recovered and reliably improved.")
    _rate(
        f"{_k}.reliable_recovery_rate",
        f"{_title}: reliable recovery rate (%)",
        "Reliable recovery / at clinical level before.",
        f"{_k}.reliable_recovery",
        f"{_k}.caseness",
    )
    _out_lines += [f"# {_title}"] + [
        f"{_k}.{s}"
        for s in (
            "pairs",
            "mean_pre",
            "mean_post",
            "improved",
            "improved_rate",
            "deteriorated",
            "deteriorated_rate",
            "caseness",
            "recovered",
            "recovery_rate",
            "reliable_recovery",
            "reliable_recovery_rate",
        )
    ]

_IAPT = "PHQ-9 and GAD-7 together"
_m("iapt.pairs", f"{_IAPT}: scored before and after", "Finished treatment with valid PHQ-9 and GAD-7 before and after.")
_m("iapt.caseness", f"{_IAPT}: at clinical level before", "PHQ-9 10 or more, or GAD-7 8 or more, before.")
_m(
    "iapt.improved",
    f"{_IAPT}: reliable improvement",
    "PHQ-9 fell by 6 or more or GAD-7 by 4 or more, and neither rose by that much (NHS Talking Therapies).",
)
_rate(
    "iapt.improved_rate",
    f"{_IAPT}: reliable improvement rate (%)",
    "Reliable improvement / scored.",
    "iapt.improved",
    "iapt.pairs",
)
_m("iapt.deteriorated", f"{_IAPT}: reliable deterioration", "Either rose reliably and neither fell reliably.")
_rate(
    "iapt.deteriorated_rate",
    f"{_IAPT}: reliable deterioration rate (%)",
    "Reliable deterioration / scored.",
    "iapt.deteriorated",
    "iapt.pairs",
)
_m("iapt.recovered", f"{_IAPT}: recovered", "At clinical level before and below both cut-offs after.")
_rate(
    "iapt.recovery_rate",
    f"{_IAPT}: recovery rate (%)",
    "Recovered / (scored - not at clinical level before).",
    "iapt.recovered",
    "iapt.caseness",
)
_m("iapt.reliable_recovery", f"{_IAPT}: reliable recovery", "Recovered and reliably improved.")
_rate(
    "iapt.reliable_recovery_rate",
    f"{_IAPT}: reliable recovery rate (%)",
    "Reliable recovery / at clinical level before.",
    "iapt.reliable_recovery",
    "iapt.caseness",
)
_out_lines += [f"# {_IAPT} (NHS Talking Therapies definitions)"] + [
    f"iapt.{s}"
    for s in (
        "pairs",
        "caseness",
        "improved",
        "improved_rate",
        "deteriorated",
        "deteriorated_rate",
        "recovered",
        "recovery_rate",
        "reliable_recovery",
        "reliable_recovery_rate",
    )
]
for _when, _which in (("start", "first"), ("end", "last")):
    _m(
        f"sush_{_when}",
        f"Risk to self (SU/SH) known at the {_when}",
        f"Completed in the period with the risk-to-self items answered on the {_which} PHQ-9 or CORE-34.",
    )
    _m(
        f"sush_{_when}_yes",
        f"Risk to self indicated at the {_when}",
        f"A risk-to-self item (PHQ-9 item 9; CORE-34 items 9, 16, 24, 34) scored 1 or more on the {_which} form.",
    )
    _m(f"sush_{_when}_no", f"No risk to self indicated at the {_when}", "Risk-to-self items answered, all 0.")
    _group(f"sush_{_when}", f"sush_{_when}_yes", f"sush_{_when}_no")
_out_lines += ["# Suicide and self-harm (SU/SH)"] + [
    f"sush_{w}{s}" for w in ("start", "end") for s in ("", "_yes", "_no")
]
for _when, _which in (("start", "first"), ("end", "last")):
    _m(
        f"others_{_when}",
        f"Risk to others known at the {_when}",
        f"Completed in the period with the risk-to-others items answered on the {_which} CORE-34.",
    )
    _m(
        f"others_{_when}_yes",
        f"Risk to others indicated at the {_when}",
        f"A risk-to-others item (CORE-34 items 6, 22) scored 1 or more on the {_which} CORE-34.",
    )
    _m(f"others_{_when}_no", f"No risk to others indicated at the {_when}", "Risk-to-others items answered, all 0.")
    _group(f"others_{_when}", f"others_{_when}_yes", f"others_{_when}_no")
_out_lines += ["# Risk to others"] + [f"others_{w}{s}" for w in ("start", "end") for s in ("", "_yes", "_no")]

# Instruments with no reliable-change rule in their sources: before and after means only.
PLAIN_INSTRUMENTS = (
    ("WSAS", "wsas", "WSAS (work and social adjustment)", "0-40"),
    ("K10", "k10", "K10 (psychological distress)", "10-50"),
)
for _name, _k, _title, _range in PLAIN_INSTRUMENTS:
    _pairs = _m(
        f"{_k}.pairs",
        f"{_title}: scored before and after",
        f"Finished treatment with a valid {_name} score before (the first) and after (the last, not a follow-up).",
    )
    _mean(f"{_k}.mean_pre", f"{_title}: mean score before ({_range})", f"Mean of the first {_name} scores.", _pairs)
    _mean(f"{_k}.mean_post", f"{_title}: mean score after ({_range})", f"Mean of the last {_name} scores.", _pairs)
    _out_lines += [f"# {_title}", f"{_k}.pairs", f"{_k}.mean_pre", f"{_k}.mean_post"]

FOLLOW_UP_MONTHS = (3, 6, 12)
_out_lines.append("# Scores at the follow-ups after completion")
for _months in FOLLOW_UP_MONTHS:
    for _name, _k, _title, _range, _cut, _rci in INSTRUMENTS:
        _key = f"fu{_months}.{_k}"
        _scored = _m(
            f"{_key}.scored",
            f"{_months}-month follow-up: {_title} scored",
            f"Cases with a valid {_months}-month follow-up {_title} dated in the period (the last, if several).",
        )
        _mean(
            f"{_key}.mean",
            f"{_months}-month follow-up: {_title} mean score ({_range})",
            "Mean of those follow-up scores.",
            _scored,
        )
        _m(
            f"{_key}.improved",
            f"{_months}-month follow-up: {_title} reliably better than before treatment",
            f"Of those, a score {_rci} or more points below the first score before treatment.",
        )
        _out_lines += [f"{_key}.scored", f"{_key}.mean", f"{_key}.improved"]

# Accommodation at the start (the client's record, made at assessment) and at the end (recorded on the completion),
# of the MHTRs completed in the period; and the referrals and signposting made at completion.
_out_lines.append("# Accommodation at the start and end")
for _when, _where in (("start", "the client's record (made at assessment)"), ("end", "recorded on the completion")):
    _accom = tuple(
        _m(
            f"accom_{_when}.{cid}",
            f"Accommodation at the {_when}: {label[0].lower()}{label[1:]}",
            f"MHTRs completed in the period by the accommodation at the {_when}: {_where}.",
        )
        for cid, label in (*ACCOMMODATION_CHOICES, (NOT_RECORDED_ID, "Not recorded"))
    )
    _group("completed", *_accom)
    _out_lines += list(_accom)
_m("accom_same", "Accommodation the same at the end", "Completed in the period with the same accommodation at both.")
_m(
    "accom_settled",
    "Moved into settled accommodation",
    "Completed in the period not in settled accommodation (owner or tenant) at the start and settled at the end.",
)
_m(
    "accom_moved",
    "Other change of accommodation",
    "Completed in the period with a different accommodation at the end, other than a move into settled.",
)
_m(
    "accom_unknown",
    "Change of accommodation not known",
    "Completed in the period with the accommodation at the start or at the end not recorded.",
)
_group("completed", "accom_same", "accom_settled", "accom_moved", "accom_unknown")
_out_lines += ["accom_same", "accom_settled", "accom_moved", "accom_unknown"]
_m(
    "referred_any",
    "Referred or signposted to another service at completion",
    "MHTRs completed in the period whose completion records one or more referrals or signposting (ticked on it).",
)
REFERRED_KEYS = tuple(
    _m(
        f"referred.{cid}",
        f"Referred at completion: {label}",
        "MHTRs completed in the period referred or signposted to this service (a case may have several, so these rows "
        "do not add up to the cases).",
    )
    for cid, label in SUPPORT
)
_m("referred_none", "No referral or signposting at completion", "Completed in the period, recorded as needing none.")
_m(
    "referred_not_recorded",
    "Referrals at completion not recorded",
    "Completed in the period with neither a referral nor that none was made recorded on the completion.",
)
_group("completed", "referred_any", "referred_none", "referred_not_recorded")
_out_lines += [
    "# Referrals and signposting at completion",
    "referred_any",
    *REFERRED_KEYS,
    "referred_none",
    "referred_not_recorded",
]

OUTCOMES_TABLE = TableSpec(
    "Outcomes", "Clinical outcomes of MHTRs completed", ("Measure",), MONTH_COLUMNS, _lines(*_out_lines)
)

TABLES = (MHTR_TABLE, CHARACTERISTICS_TABLE, OUTCOMES_TABLE, REASONS_TABLE)
COUNT_KEYS = tuple(k for k, m in MEASURES.items() if m.kind == "count")
SUM_KEYS = tuple(k for k, m in MEASURES.items() if m.kind == "sum")
# Figures read on the period's last day (a stock, not a flow): the same in the month and the rolling-year column,
# so never the sum of twelve months.
STOCK_KEYS = tuple(k for k in COUNT_KEYS if k == "active" or k.startswith(("active_", "active.")))
FLOW_KEYS = tuple(k for k in COUNT_KEYS if k not in STOCK_KEYS)  # what happened in the period: adds up over months


def _published(period: str) -> frozenset[str]:
    keys = set()
    for spec in TABLES:
        for line in spec.lines:
            for col in spec.columns:
                if line.key and col.period == period:
                    keys.add(CHARACTERISTIC_TOTALS[col.prefix] if line.key == "#total" else col.prefix + line.key)
    return frozenset(keys)


# The keys some table shows in each period's column (the rolling column shows no "active." breakdown).
PUBLISHED = {period: _published(period) for period in ("month", "rolling")}
