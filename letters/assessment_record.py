"""The assessment record of seed 004 Appendix 1 ("MHTR Practitioner Assessment Template"), for the checklist's
"Send/save the assessment, consent form and questionnaires to CL/RC/admin support".

It follows the Appendix's order: the psychometric outcomes (each score with its plain-English line), the CORE
areas of difficulty and distress (functioning, symptoms, wellbeing, risk), then the semi-structured interview
topics about the individual, risk, mental health and the intervention, the interview close, and the
formulation and plan. Every topic comes from the assessment record (``letters.assessment``) and the risk
section from ``records.risk``, as in every other document; a topic not filled says "Not recorded." so the
Clinical Lead sees what was not asked rather than a blank that reads as "nothing".

It goes to the Clinical Lead to decide on, so it cannot be final without the questionnaire results, the
presenting problem, the risk and the plan (``REQUIRED``). It follows an assessment and is refused before one.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, base_fields, missing_of, requirements_assessed, risk_fields, when
from letters.scores import ASSESSMENT_TIMEPOINTS, CORE_DOMAINS, assessment_results
from vocabulary.identity import ValidationError

TEMPLATE = "assessment_record.docx"
REQUIRED = {
    "results": "the questionnaire results",
    "presenting_problem": "the presenting problem",
    "risk": "the risk assessment",
    "plan": "the outcome of assessment / plan",
}
# (heading, [(field name, label)]) in Appendix 1's order; the risk section comes from records.risk.
SECTIONS = (
    (
        "About the individual",
        (
            ("social_circumstances", "Social circumstances (safeguarding, relationships, leisure, daily living, "
             "education and employment, housing, finance)"),
            ("vulnerabilities", "Vulnerabilities, including any history of trauma and abuse"),
            ("communication_needs", "Speech and communication needs"),
            ("physical_health", "Physical health needs and their management"),
            ("drugs_alcohol", "Drug and alcohol issues"),
            ("cultural_needs", "Cultural and gender needs"),
            ("medication", "Medication and medication history"),
            ("forensic_history", "Behaviours that have led to involvement with the criminal justice system"),
        ),
    ),
    (
        "About mental health",
        (
            ("previous_help", "Previous therapy or mental health support: what helped, what did not"),
            ("daily_impact", "Impact of mental health on daily living; times things felt better, coping that helped"),
        ),
    ),
    (
        "About the intervention",
        (
            ("mhtr_goals", "MHTR goals"),
            ("main_problem", "Main problem / difficulties"),
            ("barriers", "Barriers to attendance"),
        ),
    ),
    ("Interview close", (("other_information", "Anything else the client felt important or relevant"),)),
    (
        "Formulation and plan",
        (
            ("presenting_problem", "Presenting problem"),
            ("formulation", "Formulation"),
            ("plan", "Outcome of assessment / plan"),
        ),
    ),
)


def core_areas(cf: CaseFile) -> list[dict]:
    """Appendix 1's "Look at CORE assessment results": the latest CORE-34 at screening or assessment, each
    domain's mean item score (0-4) with what it covers."""
    forms = [a for a in cf.administrations if a["instrument"] == "CORE-OM" and a["timepoint"] in ASSESSMENT_TIMEPOINTS]
    if not forms:
        return []
    latest = forms[-1]
    domains = latest["score"].get("domains") or {}
    out = []
    for key, label in CORE_DOMAINS:
        mean = (domains.get(key) or {}).get("mean")
        out.append(
            {
                "label": label,
                "text": f"{mean:.1f} (mean item score, 0-4), {when(latest['date'])}" if mean is not None
                else "not scorable (too many items missing)",
            }
        )
    return out


def assessment_record(cf: CaseFile) -> Draft:
    assessed = cf.last("assessment")
    if not assessed:
        raise ValidationError(f"{cf.ref}: the assessment record follows an assessment, and none is recorded yet")
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    results = assessment_results(cf.administrations)
    consent = cf.last("consent")
    sections = [
        {
            "heading": heading,
            "topics": [{"label": label, "text": cf.field(name) or "Not recorded."} for name, label in topics],
        }
        for heading, topics in SECTIONS
    ]
    empty = [label for _, topics in SECTIONS for name, label in topics if not cf.field(name)]
    if empty:
        warnings.append(f"{len(empty)} topic(s) not recorded (shown as 'Not recorded.')")
    areas = core_areas(cf)
    if not areas:
        warnings.append("no CORE-34 at screening or assessment: the CORE areas are left out")
    fields.update(
        assessment_date=when(assessed["date"]),
        assessed_by=fields["practitioner"] or "not recorded",
        requirements=", ".join(requirements_assessed(cf)),
        consent=f"Yes, on {when(consent['date'])}" if consent else "Not recorded",
        results=results,
        core_areas=areas,
        sections=sections,
        **risk_fields(cf, warnings),
    )
    missing = missing_of(
        {
            "results": results,
            "presenting_problem": cf.field("presenting_problem"),
            "risk": cf.field("risk"),
            "plan": cf.field("plan"),
        },
        REQUIRED,
    )
    return Draft("assessment-record", TEMPLATE, "MHTR practitioner assessment", fields, warnings, missing)
