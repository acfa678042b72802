"""The parts every document shares: letterhead, date, the client, the GP, the Responsible Officer, signatures,
what the record says about risk, and the Draft itself.

A Draft is what a context builder returns: the template to fill, the fields (exactly the context docxtpl
gets, so the preview shows what the document will say), warnings naming what is missing or doubtful, and
``missing``: the fields the kind declares it needs before it can be sent. A document with anything missing
(or ``held`` for another reason, such as a court report before the Clinical Lead has decided) is still
written, so the practitioner can work on it, but it is marked DRAFT on every page and ticks nothing;
``finish`` sets the marking fields from ``missing`` and ``held`` so every template marks a draft the same way.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from letters.case_file import CaseFile
from letters.text import address_lines, clean_line, person_lines
from records.risk import RiskSummary, summarise, typed_risk
from vocabulary.dates import long_date
from vocabulary.event_kinds import ORDER_LABELS
from vocabulary.identity import format_nhs_number
from vocabulary.stages import DEFAULT_PLANNED_SESSIONS

REQUIREMENT_LABELS = {
    "MHTR": "Mental Health Treatment Requirement",
    "DRR": "Drug Rehabilitation Requirement",
    "ATR": "Alcohol Treatment Requirement",
}


@dataclass
class Draft:
    """A document ready to render: ``fields`` is the template context, ``warnings`` what the preview lists.

    ``missing`` names the fields this kind needs before it can be sent, ``held`` any other reason it is not
    final yet; either makes it a DRAFT on every page that ticks no checklist task. ``confirm`` is a question
    the user must answer yes to before it is written (re-issuing a court report after sentence)."""

    kind: str
    template: str
    title: str
    fields: dict
    warnings: list[str] = field(default_factory=list)
    missing: Missing = field(default_factory=lambda: Missing())
    held: list[str] = field(default_factory=list)
    confirm: str | None = None

    @property
    def final(self) -> bool:
        """Complete: nothing missing and nothing held, so it may be sent and may tick its task."""
        return not self.missing and not self.held

    def finish(self) -> Draft:
        """Set the fields every template reads to mark a draft, and the title; returns self."""
        reasons = list(self.held)
        self.warnings[:0] = [f"missing {label}: written as a DRAFT until it is filled" for label in self.missing]
        if self.missing:
            reasons.append("missing " + and_list(self.missing))
        self.fields["draft"] = not self.final
        self.fields["draft_notice"] = (
            f"DRAFT, not for sending: {'; '.join(reasons)}. Fill these in and write it again." if reasons else ""
        )
        self.fields["missing"] = list(self.missing)
        if not self.final and not self.title.startswith("DRAFT"):
            self.title = f"DRAFT: {self.title}"
        self.fields["title"] = self.title
        return self


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


class Missing(list[str]):
    """The labels of what a document still needs (what the preview and the DRAFT notice name), with the field
    names behind them in ``names``: the assessment form opens on the first of those it holds."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        pairs = list(pairs)
        super().__init__(label for _name, label in pairs)
        self.names = [name for name, _label in pairs]


def missing_of(values: dict, required: dict[str, str]) -> Missing:
    """The labels of ``required`` (field name -> what it is called) whose value in ``values`` is empty."""
    return Missing([(name, label) for name, label in required.items() if not values.get(name)])


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
    if to_gp and not client_address:
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
        "session_frequency": clean_line(s.get("session_frequency")) or "weekly or fortnightly",
        "client_name": clean_line(d.get("name")),
        "client_dob": when(d.get("dob")),
        "client_nhs": format_nhs_number(d["nhs_number"]) if d.get("nhs_number") else "",
        "client_address": "\n".join(client_address),
        "client_address_line": ", ".join(client_address),
        "gp_practice": clean_line(d.get("gp_practice")),
        "gp_address": "\n".join(address_lines(d.get("gp_address"))),
        "gp_registered": d.get("gp_registered") or "",
        "court": clean_line(d.get("court")),
        "ro_name": clean_line(d.get("ro_name")),
        "ro_contact": clean_line(d.get("ro_contact")),
        "ro_line": ro_line(d),
    }


def ro_line(detail: dict) -> str:
    """The Responsible Officer as a letter names them: ``Sam Okafor (probation.team@justice.example)``."""
    name, contact = clean_line(detail.get("ro_name")), clean_line(detail.get("ro_contact"))
    if name and contact:
        return f"{name} ({contact})"
    return name or (f"not yet named (probation contact: {contact})" if contact else "")


def risk_of(cf: CaseFile) -> RiskSummary:
    """What this case's record says about risk (``records.risk``): every document's one source for it."""
    return summarise(
        cf.administrations,
        typed_risk(cf.assessment["fields"], cf.assessment.get("date"), cf.detail["events"]),
        cf.detail.get("tasks") or [],
        cf.scoring,
    )


def risk_fields(cf: CaseFile, warnings: list[str]) -> dict:
    """``risk_lines`` (every source, dated) for a template, with the preview's warning where they disagree."""
    summary = risk_of(cf)
    problem = summary.disagreement()
    if problem:
        warnings.append(problem)
    return {"risk_lines": summary.lines(), "risk_flagged": summary.flagged}


def appointment_words(appt: dict, *, with_date: bool = True) -> str:
    """A booked appointment as a letter says it: ``Wednesday 30 September 2026 at 10:00, Brook House`` (or
    ``10:00, Brook House`` where the date is already said)."""
    from records.appointments import from_iso
    from records.diary_views import where_text

    start = from_iso(appt["starts_at"])
    where = where_text(appt.get("mode") or "in person", appt.get("place"))
    when_words = f"{start:%A} {long_date(start.date())} at {start:%H:%M}" if with_date else f"{start:%H:%M}"
    return when_words + (f", {where}" if where else "")


FOLLOW_UP_PREFIX = "completion.follow-up-"


def follow_ups(cf: CaseFile) -> list[tuple[str, str]]:
    """The outcome follow-ups the checklist set for this case, as ``("3 months", "23 March 2027")`` pairs in
    order: the dates are the case's own follow-up tasks (the checklist is where those deadlines live)."""
    out = []
    for t in sorted(cf.detail.get("tasks") or [], key=lambda t: t["due"]):
        key = str(t.get("key") or "")
        if key.startswith(FOLLOW_UP_PREFIX) and key[len(FOLLOW_UP_PREFIX):].isdigit():
            out.append((f"{key[len(FOLLOW_UP_PREFIX):]} months", long_date(t["due"])))
    return out


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
        "combined": REQUIREMENT_LABELS.get(combined or "", combined or ""),
        "sentence_date": when(outcome["date"]) if outcome else "",
        "order_length": f"{months} months" if months else "",
        "planned_sessions": str(data.get("sessions") or DEFAULT_PLANNED_SESSIONS),
    }
