"""The GP letter after a decision on the MHTR: accepted (sentence made) or declined (by the Clinical Lead or by
the court), chosen from the case's events. Seed 004 asks for a GP letter after every court outcome, "for both
accepted and declined"; a Clinical Lead decline ends the case before court, so the GP hears then.

The letter cannot be sent without a practice and its address (``REQUIRED``): without them it is a DRAFT. It
names the Responsible Officer and how to reach them, carries the order in its subject line, and says what the
record says about risk from every source (``letters.common.risk_fields``). A client recorded as not registered
with a GP is not "your patient": the letter asks the practice to register them, since registration is part of
the pathway (seed 004). A declined letter with no signposting recorded says what the GP can do next.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, base_fields, missing_of, risk_fields, sentence_fields, when
from letters.scores import assessment_summary
from vocabulary.identity import ValidationError, not_registered_with_gp

TEMPLATE_ACCEPTED = "gp_letter_accepted.docx"
TEMPLATE_DECLINED = "gp_letter_declined.docx"
REQUIRED = {"gp_practice": "the GP practice", "gp_address": "the practice's address"}
NEXT_STEPS = (
    "No treatment has been arranged through our service. If their mental health needs support, the usual "
    "routes remain open: NHS Talking Therapies (which also takes self-referrals), a referral to the community "
    "mental health team where needs are more complex, and NHS 111 (the mental health option) or 999 in an "
    "emergency."
)


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


def _registration(fields: dict, warnings: list[str]) -> dict:
    """How the letter refers to the client: "your patient", or a request to register someone who is not."""
    unregistered = not_registered_with_gp(fields)
    if unregistered:
        warnings.append(
            "the client is recorded as not registered with a GP: the letter asks the practice to register them"
        )
    return {
        "unregistered": unregistered,
        "patient": fields["client_name"] if unregistered else f"your patient, {fields['client_name']}",
        "their": "their" if unregistered else "your patient's",
    }


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
        **_registration(fields, warnings),
        **risk_fields(cf, warnings),
    )
    missing = missing_of(fields, REQUIRED)
    if which == "accepted":
        fields.update(sentence_fields(cf, warnings))
        if not scores:
            warnings.append("no assessment scores recorded")
        if not fields["ro_name"]:
            warnings.append("no Responsible Officer recorded: the letter says probation will allocate one")
        fields["subject"] = f"Mental Health Treatment Requirement made on {fields['decision_date']}"
        title = "GP letter: MHTR made"
        return Draft("gp-letter", TEMPLATE_ACCEPTED, title, fields, warnings, missing)
    reasons = event["data"].get("reason") or ""
    if not reasons:
        warnings.append("no reasons recorded for the decline")
    signposting = cf.field("signposting")
    if not signposting:
        warnings.append(
            f"no recommendations or signposting recorded (mhtr-tui assessment set {cf.ref} --signposting TEXT); "
            "the letter gives the GP the usual next steps"
        )
    if which == "court-declined":
        if not fields["court"]:
            warnings.append("no court recorded")
        outcome_text = (
            f"On {fields['decision_date']} {fields['court'] or 'the court'} did not make a Mental Health "
            "Treatment Requirement."
        )
        declined_by = "the court"
        subject = f"Mental Health Treatment Requirement not made by the court on {fields['decision_date']}"
    else:
        lead = fields["clinical_lead_name"] or "the Clinical Lead"
        outcome_text = (
            f"On {fields['decision_date']} {lead}, Clinical Lead, decided that a Mental Health Treatment "
            "Requirement is not suitable at this time, so one was not proposed to the court."
        )
        declined_by = "the Clinical Lead"
        subject = (
            f"Mental Health Treatment Requirement not proposed (Clinical Lead decision of {fields['decision_date']})"
        )
    fields.update(
        declined_by=declined_by,
        outcome_text=outcome_text,
        reasons=reasons,
        signposting=signposting,
        next_steps="" if signposting else NEXT_STEPS,
        subject=subject,
    )
    title = f"GP letter: MHTR declined by {declined_by}"
    return Draft("gp-letter", TEMPLATE_DECLINED, title, fields, warnings, missing)
