"""The combined consent form of seed 004 Appendix 2, pre-filled for signature: the client's name, date of
birth and GP surgery, the requirements assessed marked, and the service's contact details.

The consent is taken at assessment and renewed every 12 months in treatment, so the form is refused only for
a case that has ended.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import REQUIREMENT_LABELS, Draft, base_fields, requirements_assessed
from records.identity import ValidationError

TEMPLATE = "consent_form.docx"
TICKED, UNTICKED = "\u2612", "\u2610"  # ballot box with X, empty ballot box


def consent_form(cf: CaseFile) -> Draft:
    if cf.detail.get("closed"):
        raise ValidationError(
            f"{cf.ref} is closed ({cf.detail['stage_label'].lower()}); a consent form is for a case still open"
        )
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    if not fields["gp_practice"]:
        warnings.append("no GP practice")
    assessed = requirements_assessed(cf)
    fields.update(
        title="Combined consent",
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
    )
    return Draft("consent-form", TEMPLATE, fields["title"], fields, warnings)
