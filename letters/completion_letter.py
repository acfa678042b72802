"""The completion letter to the GP at the end of treatment: sessions attended of planned, the first and last
scores of each measure with change, reliable improvement and recovery, risk at the end, recommendations and
the follow-up arranged.

Risk at the end is the end-of-treatment field of the assessment record, else the risk note of the last
attended session; without either the letter is a DRAFT, as it is without the practice and its address
(``REQUIRED``). The risk section is the same summary the GP letter and the court report carry
(``records.risk``): every source, dated, so "no concerns" at the last session never hides an item endorsed
on the last form. Follow-up defaults to the outcome measures at 3, 6 and 12 months after completion that the
national guidance asks for, with the dates the checklist set for this case.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, base_fields, follow_ups, missing_of, risk_fields, sentence_fields, when
from letters.scores import FOLLOW_UP_PREFIX, outcome_rows, talking_therapies_outcome
from records.risk import manual_name
from vocabulary.identity import ValidationError
from vocabulary.stages import in_sentence

TEMPLATE = "completion_letter.docx"
REQUIRED = {
    "gp_practice": "the GP practice",
    "gp_address": "the practice's address",
    "end_risk": "the risk at the end of treatment",
}


def _last_session_risk(cf: CaseFile) -> str:
    for e in reversed(cf.events("session")):
        if e["data"].get("outcome") == "attended" and e["data"].get("risk"):
            return str(e["data"]["risk"])
    return ""


def completion_letter(cf: CaseFile) -> Draft:
    done = cf.last("completion")
    if not done:
        raise ValidationError(
            f"{cf.ref}: the completion letter follows completion, and none is recorded "
            f"(stage: {in_sentence(cf.detail['stage_label'])}); nothing written"
        )
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=True)
    fields.update(sentence_fields(cf, warnings))
    # Sessions of the course itself: extra sessions after completion are not part of "attended of planned".
    attended = [
        e
        for e in cf.events("session")
        if e["data"].get("outcome") == "attended" and not e["data"].get("extra") and e["date"] <= done["date"]
    ]
    planned = cf.detail.get("sessions_planned")
    rows = outcome_rows(cf.administrations, cf.scoring)
    if not cf.administrations:
        warnings.append("no questionnaires stored")
    # An instrument with no scorable form has no baseline and is left out of the table: say so, not silently.
    in_table = {r["measure"] for r in rows}
    treatment = [a for a in cf.administrations if not a["timepoint"].startswith(FOLLOW_UP_PREFIX)]
    for name in dict.fromkeys(a["instrument"] for a in treatment):
        if manual_name(name) not in in_table:
            warnings.append(f"{name}: no form could be scored (too many items missing); left out of the outcomes")
    for r in rows:
        if not r["repeated"]:
            warnings.append(f"{r['measure']} was not repeated at the end of treatment")
    end_risk = cf.field("end_risk") or _last_session_risk(cf)
    if not end_risk:
        warnings.append(
            f"no risk at the end recorded (mhtr-tui assessment set {cf.ref} --end-risk TEXT, or a risk note on "
            "the last session)"
        )
    risk = risk_fields(cf, warnings)
    recommendations = cf.field("end_recommendations")
    if not recommendations:
        warnings.append(f"no recommendations recorded (mhtr-tui assessment set {cf.ref} --end-recommendations TEXT)")
    dates = ", ".join(f"{months} ({day})" for months, day in follow_ups(cf))
    follow_up = cf.field("end_follow_up") or (
        f"We will repeat the outcome measures at {dates} after completion, and will contact you if there is "
        "any concern."
        if dates
        else "We will contact you if there is any concern."
    )
    fields.update(
        subject="End of treatment under the Mental Health Treatment Requirement"
        + (f" made on {fields['sentence_date']}" if fields["sentence_date"] else ""),
        completion_date=when(done["date"]),
        sessions_attended=str(len(attended)),
        sessions_planned=str(planned) if planned else "",
        sessions_text=f"{len(attended)} of {planned} planned" if planned else str(len(attended)),
        first_session=when(attended[0]["date"]) if attended else "",
        last_session=when(attended[-1]["date"]) if attended else "",
        unacceptable_absences=str(cf.detail.get("unacceptable_absences") or 0),
        outcomes=rows,
        talking_therapies=talking_therapies_outcome(cf.administrations, cf.scoring),
        end_risk=end_risk,
        end_recommendations=recommendations,
        end_follow_up=follow_up,
        **risk,
    )
    missing = missing_of({**fields, "end_risk": end_risk}, REQUIRED)
    return Draft("completion-letter", TEMPLATE, "Completion letter", fields, warnings, missing)
