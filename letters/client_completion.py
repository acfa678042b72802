"""The letter to the client at the end of treatment, with the signposting resources seed 004 §4.5.2 recommends
sharing "with clients at the end of treatment": mental health and crisis helplines (national and local), local
services and their contact details, recommended apps, books or websites, and public health information.

National helplines are printed as they are (they are the same everywhere in England); the local ones come from
the service's settings (``signposting_crisis``, ``signposting_local``, ``signposting_resources``), since only the
service knows them. The letter also says what was achieved in plain words (sessions attended), any
recommendations recorded for the end of treatment, the outcome follow-ups to expect, and that one to three
further sessions can be asked for (§4.5.2). It says nothing about risk: it is the client's own letter, and the
crisis lines are there for them.

It goes by post, so it cannot be final without the client's address, and §4.5.2's local resource is its point,
so not without the local services either (``REQUIRED``). It follows completion and is refused before.
"""

from __future__ import annotations

from letters.case_file import CaseFile
from letters.common import Draft, and_list, base_fields, follow_ups, missing_of, when
from letters.text import clean_text
from vocabulary.identity import ValidationError

TEMPLATE = "client_completion.docx"
NATIONAL_HELPLINES = (
    "In an emergency, or if you feel you might act on thoughts of harming yourself or someone else: call 999 or go "
    "to A&E.",
    "NHS 111: call 111 and choose the mental health option, any time, for urgent help with your mental health.",
    "Samaritans: call 116 123, free, any time, day or night.",
    "Shout: text SHOUT to 85258, free, any time, if you would rather text than talk.",
)
PUBLIC_HEALTH = (
    "Every Mind Matters, the NHS's website on looking after your mental health: www.nhs.uk/every-mind-matters",
)
REQUIRED = {
    "client_address": "the client's address",
    "signposting_local": "the local services (setting signposting_local)",
}


def lines_of(text: str) -> list[str]:
    """A setting typed as several lines (or one line) as separate items."""
    return [line.strip(" -•\t") for line in clean_text(text).split("\n") if line.strip(" -•\t")]


def client_completion(cf: CaseFile) -> Draft:
    done = cf.last("completion")
    if not done:
        raise ValidationError(
            f"{cf.ref}: the end-of-treatment letter to the client follows completion, and none is recorded; "
            "nothing written"
        )
    warnings: list[str] = []
    fields = base_fields(cf, warnings, to_gp=False)
    attended = [
        e
        for e in cf.events("session")
        if e["data"].get("outcome") == "attended" and not e["data"].get("extra") and e["date"] <= done["date"]
    ]
    s = cf.settings
    crisis_local = lines_of(s.get("signposting_crisis") or "")
    local = lines_of(s.get("signposting_local") or "")
    resources = lines_of(s.get("signposting_resources") or "")
    if not crisis_local:
        warnings.append(
            "no local crisis lines set (mhtr-tui settings set signposting_crisis TEXT): national ones only"
        )
    if not resources:
        warnings.append(
            "no recommended apps, books or websites set (mhtr-tui settings set signposting_resources TEXT)"
        )
    first_name = (fields["client_name"].split() or [""])[0]
    fields.update(
        salutation=first_name or "Sir or Madam",
        completion_date=when(done["date"]),
        sessions_attended=str(len(attended)),
        recommendations=cf.field("end_recommendations"),
        follow_up_dates=and_list([day for _, day in follow_ups(cf)]),
        helplines=list(NATIONAL_HELPLINES),
        crisis_local=crisis_local,
        local_services=local,
        resources=resources,
        public_health=list(PUBLIC_HEALTH),
        signposting_local=local,
    )
    missing = missing_of(fields, REQUIRED)
    title = "Letter to the client at the end of treatment"
    return Draft("client-completion", TEMPLATE, title, fields, warnings, missing)
