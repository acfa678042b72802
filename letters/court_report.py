"""The court report: the Responsible Clinician's report of seed 004 Appendix 3, for the National Probation
Service contact to use in the pre-sentence report.

It draws on the assessment record (presenting problem, formulation, plan, risk, the Responsible Clinician's
recommendations), the Clinical Lead decision and consent events, and a table of the screening tools stored
for the case. Where a report field is empty, a plain standard sentence stands in for the treatment plan and
the start of therapy, and the preview says so.

The report carries the Clinical Lead's approval (Appendix 3 is "Information from Clinical Lead Approval for
PSR"), so before the Clinical Lead has decided it can only be a draft for that decision: it says DRAFT in its
heading and makes no recommendation to court, and writing it does not tick the checklist's "complete the
court report" task. A declined decision is refused outright (there is no report to write), and the
recommendation text never recommends an MHTR the Clinical Lead declined.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, base_fields, requirements_assessed, when
from letters.scores import assessment_results
from records.identity import ValidationError
from records.stages import DEFAULT_PLANNED_SESSIONS

TEMPLATE = "court_report.docx"
TITLE = "Responsible Clinician's report"
DRAFT_NOTICE = "DRAFT: awaiting the Clinical Lead decision"
REQUIRED_TEXT = (
    ("presenting_problem", "no presenting problem recorded"),
    ("formulation", "no formulation recorded"),
    ("plan", "no outcome of assessment / plan recorded"),
    ("risk", "no risk information recorded"),
)


def _refuse(cf: CaseFile) -> None:
    if cf.last("not-eligible"):
        raise ValidationError(f"{cf.ref} was found not eligible; there is no court report to write")
    cl = cf.last("cl-decision")
    if cl and cl["data"].get("decision") == "declined":
        raise ValidationError(
            f"{cf.ref}: the Clinical Lead declined the MHTR on {when(cl['date'])}; there is no court report to write"
        )
    if not cf.last("assessment"):
        raise ValidationError(f"{cf.ref}: the court report follows an assessment, and none is recorded yet")


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
    _refuse(cf)
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    assessed = cf.last("assessment")
    consent = cf.last("consent")
    cl = cf.last("cl-decision")
    if not fields["nps_contact"]:
        warnings.append("no NPS contact set (mhtr-tui settings set nps_contact VALUE)")
    if not cl:
        warnings.append("no Clinical Lead decision yet: written as a DRAFT with no recommendation to court")
    if not consent:
        warnings.append("no consent recorded")
    for name, text in REQUIRED_TEXT:
        if not cf.field(name):
            warnings.append(text)
    results = assessment_results(cf.administrations)
    if not results:
        warnings.append("no screening tool results stored")
    lead = fields["clinical_lead_name"] or "the Clinical Lead"
    recommendations = cf.field("court_recommendations")
    if not recommendations:
        warnings.append("no recommendations to court recorded")
    treatment_plan = cf.field("treatment_plan")
    service = fields["service_name"] or "the Primary Care MHTR service"
    if not treatment_plan:
        warnings.append("no treatment plan recorded; the standard wording is used")
        who = fields["practitioner"] or "an MHTR practitioner"
        treatment_plan = (
            f"About {DEFAULT_PLANNED_SESSIONS} one-to-one psychological sessions, weekly or fortnightly, with {who} "
            f"of {service}, under the direction of {fields['clinical_lead'] or 'the Clinical Lead'} as "
            "Responsible Clinician."
        )
    first_therapy = cf.field("first_therapy")
    if not first_therapy:
        warnings.append("no time and place for initial therapy recorded; the standard wording is used")
        where = f"{service}, {fields['service_address_line']}" if fields["service_address_line"] else service
        first_therapy = f"The first session will be offered within six weeks of sentence, at {where}."
    reqs = requirements_assessed(cf)
    draft = cl is None
    fields.update(
        title=f"{TITLE} ({DRAFT_NOTICE})" if draft else TITLE,
        draft=draft,
        requirements=", ".join(reqs),
        assessment_date=when(assessed["date"]),
        assessed_by=fields["practitioner"] or "not recorded",
        consent=f"Yes, on {when(consent['date'])}" if consent else "Not recorded",
        presenting_problem=cf.field("presenting_problem"),
        formulation=cf.field("formulation"),
        plan=cf.field("plan"),
        risk=cf.field("risk"),
        probation_risk_level=cf.detail.get("risk_level") or "",
        decision=decision_text(cl, lead),
        court_recommendations=recommendation_text(cl, recommendations),
        treatment_plan=treatment_plan,
        first_therapy=first_therapy,
        results=results,
    )
    return Draft("court-report", TEMPLATE, fields["title"], fields, warnings, final=not draft)
