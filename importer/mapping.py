"""Which column holds what: guessed from the headings, corrected by the user, remembered for next time.

Headings are compared after tidying (case, spaces, punctuation and anything in brackets ignored), first as
written and then without the words "date", "of" and "the", so "Date of screening", "Screening date" and
"Screened" all find the screening date. A column whose heading matches nothing is left out and listed, never
guessed. The user's corrections are kept in the settings table under a key made from the sheet's headings, so
the same spreadsheet next month maps itself.
"""

from __future__ import annotations

import hashlib
import json
import re

from vocabulary.identity import ValidationError

IGNORE = "ignore"

# field -> (label shown to the user, headings that mean it)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Name", ("name", "client name", "client", "full name", "service user", "service user name",
                      "su name", "offender name", "patient name", "client full name")),
    "first_name": ("First name", ("first name", "forename", "forenames", "given name", "first names")),
    "surname": ("Surname", ("surname", "last name", "family name")),
    "dob": ("Date of birth", ("dob", "d o b", "birth", "date of birth", "birth date", "birthdate", "born")),
    "nhs_number": ("NHS number", ("nhs no", "nhs number", "nhs", "nhs num", "nhs no number")),
    "gp_practice": ("GP practice", ("gp", "gp surgery", "gp practice", "surgery", "gp name", "registered gp",
                                    "gp practice name", "practice")),
    "gp_address": ("GP address", ("gp address", "surgery address", "practice address", "gp practice address")),
    "referral_source": ("Referral source", ("referral from", "referred by", "referral source", "source of referral",
                                            "referrer", "referral route", "referred from")),
    "offence_type": ("Offence type", ("offence", "offence type", "index offence", "type of offence",
                                      "offence category", "offences")),
    "gender": ("Gender", ("gender", "sex")),
    "court": ("Court", ("court", "court name", "sentencing court")),
    "ro_name": ("Responsible Officer", ("ro", "ro name", "responsible officer", "probation officer",
                                       "offender manager")),
    "screening": ("Screening date", ("screened", "screening", "screening date", "date screened")),
    "not_eligible": ("Not eligible", ("not eligible", "ineligible", "not suitable", "not eligible date")),
    "assessment": ("Assessment date", ("assessed", "assessment", "assessment date", "date assessed")),
    "consent": ("Consent date", ("consent", "consent date", "consent signed", "consent given")),
    "cl_decision": ("CL decision", ("cl decision", "clinical lead decision", "cl approval", "cl approved",
                                    "rc decision", "clinical lead", "cl outcome", "cl", "approved",
                                    "approved by cl")),
    "cl_decision_date": ("CL decision date", ("cl decision date", "clinical lead decision date", "cl date",
                                              "decision date", "date of cl decision", "cl approval date")),
    "court_report": ("Court report sent", ("court report", "court report sent", "report sent", "report to court",
                                           "court report date")),
    "court_outcome": ("Court outcome", ("court outcome", "outcome at court", "court result", "sentence outcome",
                                        "outcome of court")),
    "sentence_date": ("Sentence date", ("sentence date", "sentence", "sentenced", "date sentenced",
                                        "date of sentence", "sentencing date", "sentencing")),
    "order": ("Order (CO/SSO)", ("order", "order type", "type of order", "sentence type", "co sso")),
    "sessions_planned": ("Sessions planned", ("sessions planned", "planned sessions", "sessions ordered",
                                              "no sessions planned", "number of sessions planned")),
    "case_meeting": ("Case meeting date", ("case meeting", "case management meeting", "cmm", "post sentence meeting",
                                           "three way meeting", "3 way meeting")),
    "first_session": ("First session date", ("first session", "1st session", "date of first session",
                                             "first appointment")),
    "last_session": ("Last session date", ("last session", "most recent session", "latest session",
                                           "date of last session", "last attended")),
    "sessions_attended": ("Sessions attended", ("sessions attended", "sessions", "no sessions attended",
                                                "number of sessions attended", "sessions completed", "attended",
                                                "no of sessions attended", "sessions to date")),
    "completion": ("Completion date", ("completed", "completion", "completion date", "date completed",
                                       "completed on", "end of treatment")),
    "withdrawal": ("Consent withdrawn", ("withdrawn", "consent withdrawn", "withdrawal", "withdrew")),
    # The details the monthly return counts (importer.details reads them against the event form's lists).
    "accommodation": ("Accommodation", ("accommodation", "accommodation at start", "accommodation at assessment",
                                        "accommodation status", "housing status", "housing")),
    "support_recommended": ("Support recommended", ("support recommended", "recommended support", "recommended",
                                                    "support recommended at assessment", "recommendations",
                                                    "health and social support recommended")),
    "sentence_otherwise": ("Sentence otherwise", ("sentence otherwise", "otherwise", "alternative sentence",
                                                  "sentence would otherwise have been", "sentence if no mhtr",
                                                  "likely sentence", "otherwise sentence")),
    "feedback_sent": ("Sentencer feedback sent", ("feedback sent", "feedback form sent", "sentencer feedback sent",
                                                  "sentencer feedback form sent")),
    "feedback_returned": ("Sentencer feedback returned", ("feedback returned", "feedback form returned",
                                                          "sentencer feedback returned", "feedback received",
                                                          "sentencer feedback form returned")),
    "breach": ("Breach date", ("breach", "breach date", "breached", "date breached")),
    "breach_reason": ("Breach reason", ("breach reason", "reason for breach", "breach reasons", "breach details")),
    "accommodation_end": ("Accommodation at the end", ("accommodation at end", "accommodation at the end",
                                                       "accommodation end", "end accommodation",
                                                       "accommodation at completion", "accommodation on completion",
                                                       "housing at end")),
    "referrals": ("Referrals at completion", ("referrals", "referrals made", "referred to", "signposting",
                                              "signposted to", "referrals and signposting", "onward referrals",
                                              "referrals at completion", "signposting at completion")),
    "withdrawal_reason": ("Withdrawal reason", ("withdrawal reason", "reason for withdrawal", "reason withdrawn",
                                                "why withdrawn", "withdrawal reasons")),
}
_DROP = {"date", "of", "the", "dd", "mm", "yyyy", "yy", "no"}


def normalise(heading: str) -> str:
    """``' Date of Birth (dd/mm/yyyy): '`` -> ``'date of birth'``: the form headings are compared in."""
    text = re.sub(r"\([^)]*\)", " ", str(heading or "")).casefold()
    text = text.replace("&", " and ").replace("#", " no ").replace("no.", "no ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _loose(text: str) -> str:
    return " ".join(w for w in text.split() if w not in _DROP)


_EXACT = {normalise(s): f for f, (_, synonyms) in FIELDS.items() for s in synonyms}
_LOOSE: dict[str, str] = {}
for _syn, _field in _EXACT.items():
    _LOOSE.setdefault(_loose(_syn), _field)


def field_for(heading: str) -> str | None:
    """The field a heading names, or None if it names none of ours."""
    key = normalise(heading)
    if not key:
        return None
    return _EXACT.get(key) or _LOOSE.get(_loose(key) or key)


def heading_score(cells: list) -> int:
    """How many cells of a row read as our headings (the heading row is the row that scores most)."""
    return sum(1 for c in cells if isinstance(c, str) and field_for(c))


def guess(headings: list[str]) -> dict[int, str]:
    """Column index -> field for every heading we recognise; the first column to claim a field keeps it."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headings):
        f = field_for(h)
        if f and f not in taken:
            out[i] = f
            taken.add(f)
    return out


def sheet_key(headings: list[str]) -> str:
    """The settings key a mapping is saved under: the same headings in the same order give the same key."""
    text = "|".join(normalise(h) for h in headings)
    return "import_mapping:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def field_names() -> list[str]:
    return [*FIELDS, IGNORE]


def label(field: str | None) -> str:
    if field is None or field == IGNORE:
        return "(not imported)"
    return FIELDS[field][0]


def parse_overrides(pairs: list[str], headings: list[str]) -> dict[int, str]:
    """``['Referral date=screening', 'Notes=ignore']`` -> column index -> field; refuses unknown names by name."""
    by_heading = {normalise(h): i for i, h in enumerate(headings) if normalise(h)}
    out: dict[int, str] = {}
    for pair in pairs:
        heading, sep, field = pair.rpartition("=")
        if not sep or not heading.strip():
            raise ValidationError(f"--map {pair!r}: write it as 'Heading=field'")
        index = by_heading.get(normalise(heading))
        if index is None:
            shown = ", ".join(repr(h) for h in headings if normalise(h))
            raise ValidationError(f"--map: no column headed {heading.strip()!r} (the columns are {shown})")
        out[index] = check_field(field)
    return out


def check_field(field: str) -> str:
    f = field.strip().casefold().replace("-", "_").replace(" ", "_")
    if f in ("", "none", "skip"):
        return IGNORE
    if f not in FIELDS and f != IGNORE:
        raise ValidationError(f"{field.strip()!r} is not a field to import into; the fields are {', '.join(FIELDS)}, "
                              "ignore")
    return f


def combine(guessed: dict[int, str], *layers: dict[int, str]) -> dict[int, str]:
    """The guess with each layer of corrections on top; a field moved to a new column leaves its old one."""
    out = dict(guessed)
    for layer in layers:
        for index, field in layer.items():
            if field != IGNORE:
                for other, f in list(out.items()):
                    if f == field and other != index:
                        del out[other]
            out[index] = field
    return {i: f for i, f in out.items() if f != IGNORE}


def corrections(mapping: dict[int, str], headings: list[str]) -> dict[int, str]:
    """What differs from the guess (fields moved, columns left out), to be saved for next time."""
    guessed = guess(headings)
    out = {i: f for i, f in mapping.items() if guessed.get(i) != f}
    out.update({i: IGNORE for i in guessed if i not in mapping})
    return out


def encode(layer: dict[int, str], headings: list[str]) -> str:
    return json.dumps({normalise(headings[i]): f for i, f in sorted(layer.items())}, sort_keys=True)


def decode(text: str | None, headings: list[str]) -> dict[int, str]:
    """A saved layer of corrections back onto this sheet's columns (unknown or stale entries are dropped)."""
    if not text:
        return {}
    try:
        saved = json.loads(text)
    except ValueError:
        return {}
    by_heading = {normalise(h): i for i, h in enumerate(headings) if normalise(h)}
    out = {}
    for heading, field in saved.items() if isinstance(saved, dict) else ():
        if heading in by_heading and (field in FIELDS or field == IGNORE):
            out[by_heading[heading]] = field
    return out


def check_usable(mapping: dict[int, str]) -> None:
    """A sheet we can import must say who each client is: a name (or surname) and a date of birth."""
    fields = set(mapping.values())
    if not fields & {"name", "surname"}:
        raise ValidationError("no column for the client's name; map one with --map 'Heading=name'")
    if "dob" not in fields:
        raise ValidationError("no column for the date of birth; map one with --map 'Heading=dob'")
