"""The combined consent form of seed 004 Appendix 2, pre-filled for signature: the client's name, date of
birth and GP surgery, the requirements assessed marked, and the service's contact details.

Appendix 2's wording stays, except where it would promise what the order does not say: the programme is the
case's planned sessions (the sentence's, else the service's default before sentence) at the service's
frequency (setting ``session_frequency``), and the retention paragraph is the service's policy (setting
``retention_statement``, by default the NHS records-management retention for mental health records).

The consent is taken at assessment and renewed every 12 months in treatment, so the form is refused only for
a case that has ended.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import REQUIREMENT_LABELS, Draft, base_fields, requirements_assessed
from vocabulary.identity import ValidationError
from vocabulary.stages import DEFAULT_PLANNED_SESSIONS, in_sentence

TEMPLATE = "consent_form.docx"
TICKED, UNTICKED = "\u2612", "\u2610"  # ballot box with X, empty ballot box


def programme_text(cf: CaseFile) -> str:
    """``the 12-session programme, consisting of one-hour sessions weekly or fortnightly``: the sentence's
    planned sessions once sentenced, the service's default before, at the service's frequency."""
    outcome = cf.last("court-outcome")
    planned = (outcome or {}).get("data", {}).get("sessions") or DEFAULT_PLANNED_SESSIONS
    frequency = cf.settings.get("session_frequency") or "weekly or fortnightly"
    return f"the {planned}-session programme, consisting of one-hour sessions {frequency}"


def consent_form(cf: CaseFile) -> Draft:
    if cf.detail.get("closed"):
        raise ValidationError(
            f"{cf.ref} is closed ({in_sentence(cf.detail['stage_label'])}); a consent form is for a case still open"
        )
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    if not fields["gp_practice"]:
        warnings.append("no GP practice")
    assessed = requirements_assessed(cf)
    fields.update(
        requirements=[
            {
                "code": code,
                "label": f"{label} ({code})",
                "assessed": code in assessed,
                "mark": TICKED if code in assessed else UNTICKED,
            }
            for code, label in REQUIREMENT_LABELS.items()
        ],
        requirements_text=", ".join(assessed),
        gp_surgery=", ".join(x for x in (fields["gp_practice"], fields["gp_address"].replace("\n", ", ")) if x),
        programme=programme_text(cf),
        retention=cf.settings.get("retention_statement") or "",
    )
    return Draft("consent-form", TEMPLATE, "Combined consent", fields, warnings)
