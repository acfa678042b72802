"""The details the monthly return counts, read from optional columns of a caseload spreadsheet: the support
recommended at assessment, what the sentence would otherwise have been, the accommodation at the start (the
client's) and at the end (the completion's), and the referrals and signposting made at completion.

Every value is matched against the list the event form offers, taken from the event-kind registry
(``vocabulary.event_kinds``): the list's own words or ids in any case, or a few words practitioners write for
them ("NFA", "prison", "CMHT"). Nothing is guessed: a value that matches none is refused in one line naming the
column and listing what it may hold, and the row is not imported until it is corrected or left out.
"""

from __future__ import annotations

import re

from importer.cells import CellError, clean_text, is_placeholder
from vocabulary.event_kinds import ACCOMMODATION_CHOICES, NONE, OTHERWISE, SUPPORT
from vocabulary.identity import quoted

ACCOMMODATION_ALIASES = {
    "owner": "settled", "owner occupier": "settled", "tenant": "settled", "own tenancy": "settled",
    "own home": "settled", "council": "settled", "housing association": "settled",
    "with family": "family", "with friends": "family", "friends": "family", "parents": "family",
    "with parents": "family", "hostel": "supported", "approved premises": "supported", "ap": "supported",
    "emergency": "temporary", "b&b": "temporary", "b and b": "temporary", "sofa surfing": "temporary",
    "nfa": "homeless", "no fixed abode": "homeless", "rough sleeping": "homeless", "street homeless": "homeless",
}
OTHERWISE_ALIASES = {
    "prison": "custody", "custodial": "custody", "custodial sentence": "custody", "immediate custody": "custody",
    "sso": "suspended", "suspended sentence order": "suspended", "co": "community", "community order": "community",
    "unknown": "not-known", "not stated": "not-known", "don't know": "not-known", "dk": "not-known",
}
SUPPORT_ALIASES = {
    "counselling": "therapy", "talking therapy": "therapy", "talking therapies": "therapy", "iapt": "therapy",
    "psychological therapy": "therapy", "cmht": "secondary", "secondary care": "secondary",
    "secondary mental health": "secondary", "drug and alcohol": "substance", "drugs": "substance", "drug": "substance",
    "alcohol": "substance", "substance misuse": "substance", "homelessness": "housing", "employment": "work",
    "education": "work", "training": "work", "ete": "work", "benefits": "money", "debt": "money",
    "welfare": "money", "voluntary": "community", "voluntary sector": "community", "third sector": "community",
}
# What "nothing" is written as in a support column (the form's "none" box); placeholders ("n/a", "tbc") are blank.
NONE_WORDS = ("none", "no", "nil", "no referrals", "no referral", "none made", "none needed", "no support")
_SEPARATORS = re.compile(r"[;,/+|&\n]|\band\b")


def _choice(value: object, choices: tuple[tuple[str, str], ...], aliases: dict[str, str], what: str,
            notes: list[str]) -> str | None:
    """The id of the choice a cell names (its id or its label, any case, or an alias); None for a blank or a
    placeholder (noted); refused naming the column otherwise."""
    text = clean_text(value)
    if not text:
        return None
    key = " ".join(text.casefold().split())
    for cid, label in choices:
        if key in (cid.casefold(), label.casefold()):
            return cid
    if key in aliases:
        return aliases[key]
    if is_placeholder(text):
        notes.append(f"{what} {quoted(text)} is not known; read as blank")
        return None
    raise CellError(f"{what} {quoted(text)} is not on the list: {'; '.join(label for _, label in choices)}")


def sentence_otherwise(value: object, notes: list[str]) -> str | None:
    return _choice(value, OTHERWISE, OTHERWISE_ALIASES, "sentence otherwise", notes)


def accommodation_end(value: object, notes: list[str]) -> str | None:
    return _choice(value, ACCOMMODATION_CHOICES, ACCOMMODATION_ALIASES, "accommodation at the end", notes)


def accommodation_start(value: object, notes: list[str]) -> str | None:
    """The client's accommodation (stored as the label the client's record holds), from the same list."""
    cid = _choice(value, ACCOMMODATION_CHOICES, ACCOMMODATION_ALIASES, "accommodation", notes)
    return dict(ACCOMMODATION_CHOICES)[cid] if cid else None


def support(value: object, prefix: str, what: str, notes: list[str]) -> dict[str, bool]:
    """The tick boxes of a support cell ("Housing; talking therapy", "CMHT and benefits", "None"): the event's data
    (``recommended_housing``...), empty for a blank. Every part of the cell must name a category."""
    text = clean_text(value)
    if not text:
        return {}
    rest = " ".join(text.casefold().split())
    if rest.strip(" .") in NONE_WORDS:
        return {f"{prefix}_{NONE}": True}
    if is_placeholder(rest):
        notes.append(f"{what} {quoted(text)} is not known; read as blank")
        return {}
    names = [(label.casefold(), cid) for cid, label in SUPPORT] + [(cid, cid) for cid, _ in SUPPORT]
    names += list(SUPPORT_ALIASES.items())
    ticked: list[str] = []
    for name, cid in sorted(names, key=lambda n: -len(n[0])):  # the longest first: a label before its words
        pattern = re.compile(rf"(?<![a-z]){re.escape(name)}(?![a-z])")
        if pattern.search(rest):
            rest = pattern.sub(";", rest)
            ticked.append(cid)
    left = [p.strip(" .") for p in _SEPARATORS.split(rest) if p.strip(" .")]
    unknown = [p for p in left if p not in NONE_WORDS]
    if unknown:
        listed = "; ".join(label for _, label in SUPPORT)
        raise CellError(f"{what} {quoted(unknown[0])} is not on the list: {listed}; or none")
    data = {f"{prefix}_{cid}": True for cid, _ in SUPPORT if cid in ticked}
    if left:  # "none" beside a service: the event's own rule refuses the pair, as the form does
        data[f"{prefix}_{NONE}"] = True
    return data
