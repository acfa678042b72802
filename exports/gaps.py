"""What is missing for a month's return: the list the Month screen shows, each item with the case to jump to.

A gap is something the practitioner can still record that would change the return: an equality field left
blank for someone assessed, a completion without before-and-after scores, a breach without its outcome. The
checks look at the rolling twelve months, since both columns of the return are built from them. An archived
case is left out, whatever month is asked about: nothing can be recorded on it (``records.archive``), so asking
for its missing details would be a reminder no one can act on. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exports import characteristics_table, outcomes_table
from exports.facts import CaseFacts
from exports.outcomes import first_and_last
from exports.periods import Period
from exports.reasons import NOT_RECORDED
from questionnaires.options import ScoringOptions
from vocabulary.event_kinds import NONE, RECOMMENDED, REFERRED

# Short names, so that a case missing most equality fields still fits on one line of the Month screen.
FIELD_LABELS = {
    "referral_source": "referral source",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "looked_after": "looked after",
    "ehc_plan": "EHC plan",
    "pregnancy": "pregnancy",
    "caring": "caring",
    "disability": "disability",
    "armed_forces": "armed forces",
    "accommodation": "accommodation",
    "offence_type": "offence type",
    "gp_registered": "GP registration",
}


# Asked for before and after treatment besides CORE-34, PHQ-9 and GAD-7: the WSAS (seed 004's "coping skills with
# work/social adjustment"). The K10 is an alternative to the CORE-34, so its absence is no gap.
ASKED_AT_COMPLETION = ("WSAS",)
FOLLOW_UP_SCORED = tuple(name for name, *_ in outcomes_table.INSTRUMENTS)


@dataclass(frozen=True)
class Gap:
    ref: str
    what: str


def _support_recorded(data, prefix: str) -> bool:
    """Whether an assessment's support recommended (or a completion's referrals) is recorded: a service ticked,
    or "none" ticked."""
    return bool(data.get(prefix)) or bool(data.get(f"{prefix}_{NONE}"))


def gaps(cases: Iterable[CaseFacts], rolling: Period, *, scoring: ScoringOptions) -> list[Gap]:
    """Everything incomplete for the return whose rolling period is ``rolling``, by case reference; "without
    scores" means without forms valid under the service's ``scoring`` settings, as the return counts them."""
    out: list[Gap] = []
    for case in sorted(cases, key=lambda c: c.ref):
        if case.archived is not None:
            continue
        events = [e for e in case.events_to(rolling.end)]
        inside = [e for e in events if e.date in rolling]
        kinds = {e.kind for e in inside}
        if "assessment" in kinds:
            missing = [
                FIELD_LABELS[f]
                for f, *_ in characteristics_table.CHARACTERISTICS
                if f != "age_band"
                and case.fields.get(f) is None
                and f not in case.unrecognised
                and f not in case.not_applicable  # no pregnancy for a man, no EHC plan over 25
            ]
            if missing:
                out.append(Gap(case.ref, "not recorded: " + ", ".join(missing)))
            if case.unrecognised:
                odd = ", ".join(FIELD_LABELS.get(f, f.replace("_", " ")) for f in case.unrecognised)
                out.append(Gap(case.ref, f"not one of the return's categories: {odd}"))
            if case.age_band_assessed is None:
                out.append(Gap(case.ref, "no date of birth, so no age band"))
        assessment = next((e for e in inside if e.kind == "assessment"), None)
        if assessment is not None and not _support_recorded(assessment.data, RECOMMENDED):
            out.append(Gap(case.ref, f"assessed {assessment.date:%d/%m/%Y}: support recommended not recorded"))
        completion = next((e for e in inside if e.kind == "completion"), None)
        if completion is not None:
            unsaid = [
                what
                for what, known in (
                    ("accommodation at the start", case.fields.get("accommodation")),
                    ("accommodation at the end", completion.data.get("accommodation_end")),
                    ("referrals or signposting", _support_recorded(completion.data, REFERRED)),
                )
                if not known
            ]
            if unsaid:
                out.append(Gap(case.ref, f"completed {completion.date:%d/%m/%Y}, not recorded: " + ", ".join(unsaid)))
            lacking = []
            scored = [(name, title) for name, _k, title, *_ in outcomes_table.INSTRUMENTS]
            scored += [(n, n) for n in ASKED_AT_COMPLETION]
            for instrument, title in scored:
                first, last = first_and_last(case.scores, instrument, scoring)
                if first is None:
                    lacking.append(f"{title} before and after")
                elif last is None:
                    lacking.append(f"{title} after")
            if lacking:
                out.append(Gap(case.ref, f"completed {completion.date:%d/%m/%Y} without scores: " + "; ".join(lacking)))
        for fu in (e for e in inside if e.kind == "follow-up" and e.data.get("months")):
            timepoint = f"follow-up-{fu.data['months']}"
            if not any(s.timepoint == timepoint and s.instrument in FOLLOW_UP_SCORED for s in case.scores):
                out.append(Gap(case.ref, f"{fu.data['months']}-month follow-up {fu.date:%d/%m/%Y} without scores"))
        for br in (e for e in inside if e.kind == "breach"):
            if br.data.get("reason_category") == NOT_RECORDED:
                out.append(Gap(case.ref, f"breach {br.date:%d/%m/%Y}: the reason is not recorded"))
            if "mhtr_related" not in br.data:
                out.append(Gap(case.ref, f"breach {br.date:%d/%m/%Y}: not recorded whether it relates to the MHTR"))
            if br.data.get("outcome_category") == NOT_RECORDED:
                out.append(Gap(case.ref, f"breach {br.date:%d/%m/%Y}: the court's decision is not recorded"))
        if case.gp_registered_via_mhtr and case.gp_registered_date is None:
            out.append(Gap(case.ref, "registered with a GP through the MHTR, but the date is not recorded"))
        accepted = next((e for e in events if e.kind == "court-outcome" and e.data.get("outcome") == "accepted"), None)
        if accepted is not None and accepted.date in rolling and case.fields.get("risk_level") is None:
            out.append(Gap(case.ref, "sentenced without a risk level recorded"))
        if accepted is not None and accepted.date in rolling and "sentence_otherwise" not in accepted.data:
            otherwise = "not recorded what the sentence would otherwise have been"
            out.append(Gap(case.ref, f"sentenced {accepted.date:%d/%m/%Y}: {otherwise}"))
    return out
