"""The fields of the assessment record (seed 004 Appendix 1 topics, formulation, plan, the report to court and
the outcome fields), kept apart from the code that stores them so the command line can list them as options
without importing the database layer at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AssessmentField:
    """One field of the record: its name (for the command line and templates), label, and group.

    ``group`` is ``assessment`` (Appendix 1 and the formulation), ``report`` (what the Responsible Clinician
    tells the court) or ``outcome`` (after a decline or at the end of treatment; never locked).
    """

    name: str
    label: str
    group: str


FIELDS: tuple[AssessmentField, ...] = (
    AssessmentField("presenting_problem", "Presenting problem", "assessment"),
    AssessmentField(
        "social_circumstances",
        "Social circumstances (safeguarding, relationships, daily living, education, employment, housing, finance)",
        "assessment",
    ),
    AssessmentField("vulnerabilities", "Vulnerabilities, including any history of trauma and abuse", "assessment"),
    AssessmentField("communication_needs", "Speech and communication needs", "assessment"),
    AssessmentField("physical_health", "Physical health needs and their management", "assessment"),
    AssessmentField("drugs_alcohol", "Drug and alcohol issues", "assessment"),
    AssessmentField("cultural_needs", "Cultural and gender needs", "assessment"),
    AssessmentField("medication", "Medication and medication history", "assessment"),
    AssessmentField(
        "forensic_history", "Forensic history: behaviours that led to involvement with criminal justice", "assessment"
    ),
    AssessmentField("previous_help", "Previous help: therapy or mental health support, and what helped", "assessment"),
    AssessmentField("daily_impact", "Impact of mental health on daily living; coping that has helped", "assessment"),
    AssessmentField("risk", "Risk (from the local service risk assessment)", "assessment"),
    AssessmentField("mhtr_goals", "MHTR goals", "assessment"),
    AssessmentField("main_problem", "Main problem / difficulties", "assessment"),
    AssessmentField("barriers", "Barriers to attendance", "assessment"),
    AssessmentField("other_information", "Anything else the client felt important", "assessment"),
    AssessmentField("formulation", "Formulation", "assessment"),
    AssessmentField("plan", "Outcome of assessment / plan", "assessment"),
    AssessmentField("court_recommendations", "Recommendations to court from the Responsible Clinician", "report"),
    AssessmentField("treatment_plan", "Treatment plan, including details of the treatment provider", "report"),
    AssessmentField("first_therapy", "When and where initial therapy will be available", "report"),
    AssessmentField("signposting", "Recommendations and signposting (if the MHTR was declined)", "outcome"),
    AssessmentField(
        "absence_actions", "What was tried after missed appointments (for the non-attendance letter)", "outcome"
    ),
    AssessmentField("end_risk", "Risk at the end of treatment", "outcome"),
    AssessmentField("end_recommendations", "Recommendations at the end of treatment", "outcome"),
    AssessmentField("end_follow_up", "Follow-up arranged at the end of treatment", "outcome"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
LABELS = {f.name: f.label for f in FIELDS}
