"""The return's Outcomes sheet: the clinical outcomes of the MHTRs completed (each questionnaire's first and
last scores, reliable change and recovery, PHQ-9 and GAD-7 together by NHS Talking Therapies definitions,
suicide, self-harm and risk to others, the follow-ups, accommodation at the start and end, the referrals made).
"""

from __future__ import annotations

from exports import mhtr_table
from exports.table_spec import MONTH_COLUMNS, NOT_RECORDED_ID, Register, TableSpec
from vocabulary.event_kinds import ACCOMMODATION_CHOICES, SUPPORT

R = Register(mhtr_table.R)  # the completions it follows are MHTR sheet measures
_m, _group, _mean, _rate, _lines = R.measure, R.group, R.mean, R.rate, R.lines

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
