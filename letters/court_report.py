"""The court report: the Responsible Clinician's report of seed 004 Appendix 3, for the National Probation
Service contact to use in the pre-sentence report.

It draws on the assessment record (presenting problem, formulation, plan, risk, the Responsible Clinician's
recommendations), the Clinical Lead decision and consent events, and a table of the screening tools stored
for the case, each with a plain-English line a magistrate can read ("PHQ-9 16: moderately severe symptoms of
depression"). Where the treatment plan or the start of therapy is empty, a plain standard sentence stands in
and the preview says so.

A report cannot go to court without the presenting problem, the risk information, the plan, the
recommendations and the screening results (``REQUIRED``): without any of them it is a DRAFT on every page and
ticks nothing. The report carries the Clinical Lead's approval (Appendix 3 is "Information from Clinical Lead
Approval for PSR"), so before the Clinical Lead has decided it is also a draft for that decision and makes no
recommendation to court. A declined decision is refused outright (there is no report to write), and the
recommendation text never recommends an MHTR the Clinical Lead declined. After sentence the report has done its
job: writing it again asks first.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, base_fields, missing_of, requirements_assessed, risk_fields, when
from letters.scores import assessment_results
from vocabulary.identity import ValidationError
from vocabulary.stages import DEFAULT_PLANNED_SESSIONS

TEMPLATE = "court_report.docx"
TITLE = "Responsible Clinician's report"
DRAFT_NOTICE = "DRAFT: awaiting the Clinical Lead decision"
REQUIRED = {
    "presenting_problem": "the presenting problem",
    "risk": "the risk information",
    "plan": "the outcome of assessment / plan",
    "court_recommendations": "the recommendations to court",
    "results": "the screening tool results",
}


def _refuse(cf: CaseFile) -> dict:
    """Refuse a court report there is no reason to write; else the assessment it reports on."""
    if cf.last("not-eligible"):
        raise ValidationError(f"{cf.ref} was found not eligible; there is no court report to write")
    cl = cf.last("cl-decision")
    if cl and cl["data"].get("decision") == "declined":
        raise ValidationError(
            f"{cf.ref}: the Clinical Lead declined the MHTR on {when(cl['date'])}; there is no court report to write"
        )
    assessed = cf.last("assessment")
    if not assessed:
        raise ValidationError(f"{cf.ref}: the court report follows an assessment, and none is recorded yet")
    return assessed


def recommendation_text(cl: dict | None, recorded: str) -> str:
    """What the "Recommendations to court" row may say, given the Clinical Lead decision event ``cl`` (None if
    there is none yet) and the recommendations the practitioner ``recorded``: only an approval lets the
    recorded text stand as the Responsible Clinician's recommendation."""
    if cl is None:
        return f"{DRAFT_NOTICE}. No recommendation to court is made until the Clinical Lead has decided."
    if cl["data"].get("decision") != "approved":
        return f"The Clinical Lead declined an MHTR on {when(cl['date'])}; an MHTR is not recommended."
    return recorded or "Not recorded."


def decision_text(cl: dict | None, lead: str) -> str:
    """The "Clinical Lead decision" row: approved (by whom, when), declined, or a draft awaiting the decision."""
    if cl is None:
        return f"{DRAFT_NOTICE}. This report is not for the court until the Clinical Lead has decided."
    if cl["data"].get("decision") != "approved":
        reason = cl["data"].get("reason")
        return f"Declined by {lead} on {when(cl['date'])}" + (f": {reason}" if reason else ".")
    return f"Approved by {lead}, Responsible Clinician, on {when(cl['date'])}."


def court_report(cf: CaseFile) -> Draft:
    assessed = _refuse(cf)
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    consent = cf.last("consent")
    cl = cf.last("cl-decision")
    if not fields["nps_contact"]:
        warnings.append("no NPS contact set (mhtr-tui settings set nps_contact VALUE)")
    held = [] if cl else ["awaiting the Clinical Lead decision (no recommendation to court until then)"]
    if not consent:
        warnings.append("no consent recorded")
    if not cf.field("formulation"):
        warnings.append("no formulation recorded")
    results = assessment_results(cf.administrations)
    lead = fields["clinical_lead_name"] or "the Clinical Lead"
    recommendations = cf.field("court_recommendations")
    treatment_plan = cf.field("treatment_plan")
    service = fields["service_name"] or "the Primary Care MHTR service"
    if not treatment_plan:
        warnings.append("no treatment plan recorded; the standard wording is used")
        who = fields["practitioner"] or "an MHTR practitioner"
        treatment_plan = (
            f"About {DEFAULT_PLANNED_SESSIONS} one-to-one psychological sessions, {fields['session_frequency']}, "
            f"with {who} of {service}, under the direction of {fields['clinical_lead'] or 'the Clinical Lead'} as "
            "Responsible Clinician."
        )
    first_therapy = cf.field("first_therapy")
    if not first_therapy:
        warnings.append("no time and place for initial therapy recorded; the standard wording is used")
        where = f"{service}, {fields['service_address_line']}" if fields["service_address_line"] else service
        first_therapy = f"The first session will be offered within six weeks of sentence, at {where}."
    reqs = requirements_assessed(cf)
    risk = risk_fields(cf, warnings)
    missing = missing_of(
        {
            "presenting_problem": cf.field("presenting_problem"),
            "risk": cf.field("risk"),
            "plan": cf.field("plan"),
            "court_recommendations": recommendations,
            "results": results,
        },
        REQUIRED,
    )
    confirm = None
    outcome = cf.last("court-outcome")
    if outcome:
        confirm = (
            f"The court decided on {when(outcome['date'])}: this report was for the pre-sentence report. "
            "Write it again anyway?"
        )
        warnings.append(f"the court has already decided ({when(outcome['date'])}): this re-issues the report")
    fields.update(
        requirements=", ".join(reqs),
        assessment_date=when(assessed["date"]),
        assessed_by=fields["practitioner"] or "not recorded",
        consent=f"Yes, on {when(consent['date'])}" if consent else "Not recorded",
        presenting_problem=cf.field("presenting_problem"),
        formulation=cf.field("formulation"),
        plan=cf.field("plan"),
        risk="\n".join(risk["risk_lines"]),
        probation_risk_level=cf.detail.get("risk_level") or "",
        decision=decision_text(cl, lead),
        court_recommendations=recommendation_text(cl, recommendations),
        treatment_plan=treatment_plan,
        first_therapy=first_therapy,
        results=results,
        **risk,
    )
    title = f"{TITLE} ({DRAFT_NOTICE})" if not cl else TITLE
    return Draft("court-report", TEMPLATE, title, fields, warnings, missing, held, confirm)
