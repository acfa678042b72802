"""The parts every document shares: letterhead, date, the client, the GP, signatures, and the Draft itself.

A Draft is what a context builder returns: the template to fill, the fields (exactly the context docxtpl
gets, so the preview shows what the document will say) and warnings naming what is missing. Missing
details never stop a document; they are named so the practitioner can fill them first or send it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from letters.case_file import CaseFile
from letters.text import address_lines, clean_line, person_lines
from records.dates import long_date
from records.event_kinds import ORDER_LABELS
from records.identity import format_nhs_number
from records.stages import DEFAULT_PLANNED_SESSIONS

REQUIREMENT_LABELS = {
    "MHTR": "Mental Health Treatment Requirement",
    "DRR": "Drug Rehabilitation Requirement",
    "ATR": "Alcohol Treatment Requirement",
}


@dataclass
class Draft:
    """A document ready to render: ``fields`` is the template context, ``warnings`` what is missing.

    ``final`` is False for a document that is itself marked as a draft (a court report awaiting the Clinical
    Lead decision): it is written and recorded, but does not tick the checklist task that asks for the
    finished document."""

    kind: str
    template: str
    title: str
    fields: dict
    warnings: list[str] = field(default_factory=list)
    final: bool = True


def when(iso: str | None) -> str:
    """An ISO date as letters write it (``3 April 2026``); '' for none."""
    return long_date(iso) if iso else ""


def base_fields(cf: CaseFile, warnings: list[str], *, to_gp: bool) -> dict:
    """Letterhead, date, reference, client, GP and signatures; appends to ``warnings`` what is missing."""
    d, s = cf.detail, cf.settings
    for key, what in (
        ("service_name", "service name"),
        ("service_address", "service address"),
        ("service_phone", "service phone"),
        ("service_email", "service secure email"),
        ("practitioner", "practitioner"),
        ("clinical_lead", "Clinical Lead"),
    ):
        if not s.get(key):
            warnings.append(f"no {what} set (mhtr-tui settings set {key} VALUE)")
    if not d.get("nhs_number"):
        warnings.append("no NHS number")
    client_address = address_lines(d.get("address"))
    if d.get("postcode") and clean_line(d["postcode"]) not in client_address:
        client_address.append(clean_line(d["postcode"]))
    if to_gp:
        if not d.get("gp_practice"):
            warnings.append("no GP practice")
        if not d.get("gp_address"):
            warnings.append("no GP address")
        if not client_address:
            warnings.append("no client address")
    practitioner = person_lines(s.get("practitioner"))
    lead = person_lines(s.get("clinical_lead"))
    service_address = address_lines(s.get("service_address"))
    return {
        "ref": d["ref"],
        "date": long_date(cf.today),
        "service_name": clean_line(s.get("service_name")),
        "service_address": "\n".join(service_address),
        "service_address_line": ", ".join(service_address),
        "service_phone": clean_line(s.get("service_phone")),
        "service_email": clean_line(s.get("service_email")),
        "practitioner": clean_line(s.get("practitioner")),
        "practitioner_name": practitioner[0] if practitioner else "",
        "practitioner_role": practitioner[1] if len(practitioner) > 1 else "",
        "clinical_lead": clean_line(s.get("clinical_lead")),
        "clinical_lead_name": lead[0] if lead else "",
        "clinical_lead_role": lead[1] if len(lead) > 1 else "",
        "nps_contact": clean_line(s.get("nps_contact")),
        "client_name": clean_line(d.get("name")),
        "client_dob": when(d.get("dob")),
        "client_nhs": format_nhs_number(d["nhs_number"]) if d.get("nhs_number") else "",
        "client_address": "\n".join(client_address),
        "client_address_line": ", ".join(client_address),
        "gp_practice": clean_line(d.get("gp_practice")),
        "gp_address": "\n".join(address_lines(d.get("gp_address"))),
        "court": clean_line(d.get("court")),
    }


def requirements_assessed(cf: CaseFile) -> list[str]:
    """The requirements assessed for this case: MHTR always; DRR and ATR when the case or sentence names them."""
    text = (cf.detail.get("requirement") or "MHTR").upper()
    outcome = cf.last("court-outcome")
    combined = (outcome or {}).get("data", {}).get("combined") or ""
    found = ["MHTR"]
    for req in ("DRR", "ATR"):
        if req in text or combined == req:
            found.append(req)
    return found


def sentence_fields(cf: CaseFile, warnings: list[str]) -> dict:
    """The sentence as letters describe it, from the accepted court outcome."""
    outcome = cf.last("court-outcome")
    data = outcome["data"] if outcome else {}
    order = ORDER_LABELS.get(data.get("order") or "", data.get("order") or "")
    combined = data.get("combined")
    text = f"{order} with a Mental Health Treatment Requirement" if order else "Mental Health Treatment Requirement"
    if combined:
        text += f" and a {REQUIREMENT_LABELS.get(combined, combined)}"
    months = data.get("length_months")
    if outcome and not months:
        warnings.append("no order length recorded")
    if not cf.detail.get("court"):
        warnings.append("no court recorded")
    return {
        "order": order,
        "order_text": text,
        "combined": REQUIREMENT_LABELS.get(combined, combined or ""),
        "sentence_date": when(outcome["date"]) if outcome else "",
        "order_length": f"{months} months" if months else "",
        "planned_sessions": str(data.get("sessions") or DEFAULT_PLANNED_SESSIONS),
    }
