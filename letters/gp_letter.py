"""The GP letter after a decision on the MHTR: accepted (sentence made) or declined (by the Clinical Lead or by
the court), chosen from the case's events. Seed 004 asks for a GP letter after every court outcome, "for both
accepted and declined"; a Clinical Lead decline ends the case before court, so the GP hears then.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, base_fields, sentence_fields, when
from letters.scores import assessment_summary
from records.identity import ValidationError

TEMPLATE_ACCEPTED = "gp_letter_accepted.docx"
TEMPLATE_DECLINED = "gp_letter_declined.docx"


def decision(cf: CaseFile) -> tuple[str, dict]:
    """Which letter the events support: ``accepted``, ``court-declined`` or ``cl-declined``, with its event.

    Refuses (ValidationError) a case with neither a court outcome nor a Clinical Lead decline.
    """
    outcome = cf.last("court-outcome")
    if outcome:
        return ("accepted" if outcome["data"].get("outcome") == "accepted" else "court-declined"), outcome
    cl = cf.last("cl-decision")
    if cl and cl["data"].get("decision") == "declined":
        return "cl-declined", cl
    waiting = "the Clinical Lead approved it; the court has not decided yet" if cl else "no decision is recorded yet"
    raise ValidationError(
        f"{cf.ref}: the GP letter follows a court outcome or a Clinical Lead decline, and {waiting}; nothing written"
    )


def gp_letter(cf: CaseFile) -> Draft:
    which, event = decision(cf)
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=True)
    scores = assessment_summary(cf.administrations)
    assessed = cf.last("assessment")
    fields.update(
        assessment_date=when(assessed["date"]) if assessed else "",
        scores=scores,
        decision_date=when(event["date"]),
    )
    if which == "accepted":
        fields.update(sentence_fields(cf, warnings))
        if not scores:
            warnings.append("no assessment scores recorded")
        fields["title"] = "GP letter: MHTR made"
        return Draft("gp-letter", TEMPLATE_ACCEPTED, fields["title"], fields, warnings)
    reasons = event["data"].get("reason") or ""
    if not reasons:
        warnings.append("no reasons recorded for the decline")
    signposting = cf.field("signposting")
    if not signposting:
        warnings.append(
            f"no recommendations or signposting recorded (mhtr-tui assessment set {cf.ref} --signposting TEXT)"
        )
    if which == "court-declined":
        if not fields["court"]:
            warnings.append("no court recorded")
        outcome_text = (
            f"On {fields['decision_date']} {fields['court'] or 'the court'} did not make a Mental Health "
            "Treatment Requirement."
        )
        declined_by = "the court"
    else:
        lead = fields["clinical_lead_name"] or "the Clinical Lead"
        outcome_text = (
            f"On {fields['decision_date']} {lead}, Clinical Lead, decided that a Mental Health Treatment "
            "Requirement is not suitable at this time, so one was not proposed to the court."
        )
        declined_by = "the Clinical Lead"
    fields.update(declined_by=declined_by, outcome_text=outcome_text, reasons=reasons, signposting=signposting)
    fields["title"] = f"GP letter: MHTR declined by {declined_by}"
    return Draft("gp-letter", TEMPLATE_DECLINED, fields["title"], fields, warnings)
