"""The update to probation after a decision on the MHTR (seed 004: the Clinical Lead's decision "will be conveyed
to Probation by the Primary Care MHTR Practitioner for inclusion in the Pre-Sentence Report"; after the court
outcome, "Update appropriate care teams and probation").

Which update the events support, the latest first:

- after the court outcome, to the Responsible Officer: an MHTR made (the order, when treatment starts, the
  post-sentence case management meeting and the first session, each as held, booked or due by the checklist's
  date, and how attendance will be reported), or not made by the court;
- after the Clinical Lead decision, to the National Probation Service contact, for the pre-sentence report:
  approved (the recommendation, the treatment plan, when therapy can start) or declined with the reasons.

Both carry the risk summary every document carries (``records.risk``) and the client's GP registration, which
probation must confirm before sentence (seed 004: "GP registration is a pre-requisite condition of an MHTR").
Without the person it goes to (the RO after sentence, the NPS contact before) or, for a decline, the reasons,
it is a DRAFT (``REQUIRED``). Before any decision it is refused.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, appointment_words, base_fields, missing_of, risk_fields, sentence_fields, when
from vocabulary.identity import ValidationError, not_registered_with_gp
from vocabulary.stages import DEFAULT_PLANNED_SESSIONS

TEMPLATE = "probation_update.docx"
CASE_MEETING_KEY = "outcome.case-meeting"
FIRST_SESSION_KEY = "outcome.first-session"


def which_update(cf: CaseFile) -> tuple[str, dict]:
    """``court-accepted``, ``court-declined``, ``cl-approved`` or ``cl-declined``, with its event; refuses before
    any decision."""
    outcome = cf.last("court-outcome")
    if outcome:
        return ("court-accepted" if outcome["data"].get("outcome") == "accepted" else "court-declined"), outcome
    cl = cf.last("cl-decision")
    if cl:
        return ("cl-approved" if cl["data"].get("decision") == "approved" else "cl-declined"), cl
    raise ValidationError(
        f"{cf.ref}: the probation update follows the Clinical Lead decision or the court outcome, and neither is "
        "recorded yet; nothing written"
    )


def _task_due(cf: CaseFile, key: str) -> dict | None:
    found = [t for t in cf.detail.get("tasks") or [] if t["key"] == key]
    return found[-1] if found else None


def _booked(cf: CaseFile) -> list[dict]:
    return [a for a in cf.appointments if a["status"] == "booked" and a["starts_at"][:10] >= cf.today.isoformat()]


def case_meeting_text(cf: CaseFile) -> str:
    """The post-sentence case management meeting: held (when), else due by the checklist's date."""
    held = cf.last("case-meeting")
    if held:
        return f"Held on {when(held['date'])}."
    task = _task_due(cf, CASE_MEETING_KEY)
    due = f" by {when(task['due'])}" if task else ""
    return f"Not yet held: to be arranged with you{due}. Please contact us to agree a date."


def first_session_text(cf: CaseFile) -> str:
    """The first treatment session: attended (when), booked (when and where), else due by the checklist's date."""
    attended = [e for e in cf.events("session") if e["data"].get("outcome") == "attended"]
    if attended:
        return f"Attended on {when(attended[0]['date'])}."
    booked = _booked(cf)
    if booked:
        return f"Booked for {appointment_words(booked[0])}."
    task = _task_due(cf, FIRST_SESSION_KEY)
    return "Not yet booked" + (f": to be offered by {when(task['due'])}." if task else ".")


def gp_registration_text(fields: dict) -> str:
    if not_registered_with_gp(fields):
        return "Not registered with a GP: registration is needed before treatment starts."
    if fields["gp_practice"]:
        return f"Registered with {fields['gp_practice']}" + (
            "." if fields["gp_registered"] == "yes" else " (registration not confirmed)."
        )
    return "Not recorded: please confirm the client's GP registration."


def probation_update(cf: CaseFile) -> Draft:
    which, event = which_update(cf)
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    fields.update(
        which=which,
        decision_date=when(event["date"]),
        gp_registration=gp_registration_text(fields),
        reasons=event["data"].get("reason") or "",
        **risk_fields(cf, warnings),
    )
    lead = fields["clinical_lead_name"] or "the Clinical Lead"
    required: dict[str, str] = {}
    if which.startswith("court"):
        fields["addressee"] = fields["ro_line"] if fields["ro_name"] else ""
        fields["addressee_name"] = fields["ro_name"]
        required["addressee"] = "the Responsible Officer"
        if which == "court-accepted":
            fields.update(sentence_fields(cf, warnings))
            fields.update(
                subject=f"Mental Health Treatment Requirement made on {fields['decision_date']}",
                case_meeting=case_meeting_text(cf),
                first_session=first_session_text(cf),
            )
            title = "Probation update: MHTR made"
        else:
            fields.update(
                subject=f"Mental Health Treatment Requirement not made by the court on {fields['decision_date']}",
                outcome_text=f"On {fields['decision_date']} {fields['court'] or 'the court'} did not make a Mental "
                "Health Treatment Requirement, so our service will not be providing treatment under one.",
            )
            title = "Probation update: MHTR not made"
    else:
        fields["addressee"] = fields["nps_contact"]
        fields["addressee_name"] = fields["nps_contact"].split(",")[0]
        required["addressee"] = "the NPS contact (setting nps_contact)"
        if which == "cl-approved":
            recommendation = cf.field("court_recommendations")
            if not recommendation:
                warnings.append("no recommendations to court recorded")
            fields.update(
                planned_sessions=str(DEFAULT_PLANNED_SESSIONS),
                subject="Clinical Lead decision on a Mental Health Treatment Requirement, for the pre-sentence report",
                outcome_text=f"On {fields['decision_date']} {lead}, Clinical Lead and Responsible Clinician, approved "
                "a Mental Health Treatment Requirement. Please include this in the pre-sentence report.",
                recommendation=recommendation,
                treatment_plan=cf.field("treatment_plan"),
                first_therapy=cf.field("first_therapy"),
            )
            title = "Probation update: MHTR approved by the Clinical Lead"
        else:
            required["reasons"] = "the reasons for the decline"
            fields.update(
                subject="Clinical Lead decision on a Mental Health Treatment Requirement, for the pre-sentence report",
                outcome_text=f"On {fields['decision_date']} {lead}, Clinical Lead, decided that a Mental Health "
                "Treatment Requirement is not suitable at this time, so one is not recommended to the court. "
                "Please include this in the pre-sentence report.",
            )
            title = "Probation update: MHTR declined by the Clinical Lead"
    missing = missing_of(fields, required)
    return Draft("probation-update", TEMPLATE, title, fields, warnings, missing)
