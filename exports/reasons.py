"""Reasons are typed as free text; the return carries only a fixed category for each, never the words.

Free text can name a person, a diagnosis or a place, so a reason never leaves the database. Each kind of
reason has a short list of categories (seed 004 names the reasons sites record: eligibility, Clinical Lead and
court decisions, adjournments "due to assessments not being available on the day or court led", breach
outcomes "re-sentenced to a CSTR" or "custody", "reasons given for any instances of breach or individuals not
completing the requirement"), and the text is matched to the first category whose words
it contains. Text that matches none is counted as "Other reason"; an empty reason as "Not recorded".
"""

from __future__ import annotations

import re

OTHER = "other"
SHORT = 3  # a stem this short ("drr", "atr", "dna") matches a whole word only: "atr" is inside "psychiatric"
NOT_RECORDED = "not-recorded"

# kind -> ordered (category id, label, word stems); the first category whose stems match wins.
_Rule = tuple[str, str, tuple[str, ...]]
_ELIGIBILITY: tuple[_Rule, ...] = (
    ("no-consent", "Did not consent", ("consent", "refus", "declined to", "did not want", "unwilling")),
    (
        "secondary-care",
        "Needs met better by secondary mental health services",
        ("secondary", "cmht", "psychos", "specialist", "severe mental", "crisis", "inpatient", "forensic"),
    ),
    ("substance", "Substance misuse is the main need", ("substance", "alcohol", "drug", "drr", "atr")),
    (
        "threshold",
        "Mental health need below the MHTR threshold",
        ("threshold", "no mental health", "mild", "not meet", "below", "no need", "no identified"),
    ),
    ("capacity", "Lacked capacity to consent or engage", ("capacity", "learning disab", "cognitive")),
)
CATEGORIES: dict[str, tuple[_Rule, ...]] = {
    "not-eligible": _ELIGIBILITY,
    "cl-declined": _ELIGIBILITY,
    "court-declined": (
        ("custody", "Custodial sentence imposed", ("custod", "prison", "immediate", "jail", "imprison")),
        (
            "other-sentence",
            "Another sentence or requirement chosen",
            ("fine", "discharge", "unpaid", "curfew", "another requirement", "other requirement", "rehabilitation"),
        ),
        ("not-suitable", "Court judged an MHTR not suitable", ("suitab", "appropriate", "not engage", "unlikely")),
    ),
    "adjournment": (
        (
            "assessment",
            "Assessment not available on the day",
            ("assessment", "report", "not available", "not ready", "psr", "awaiting"),
        ),
        ("court-led", "Court-led adjournment", ("court", "judge", "magistrat", "listing", "time")),
    ),
    "breach": (
        (
            "other-requirement",
            "Did not comply with another requirement of the order",
            ("unpaid work", "curfew", "drr", "atr", "another requirement", "other requirement", "supervision"),
        ),
        (
            "non-attendance",
            "Failed to attend treatment sessions",
            ("attend", "missed", "absence", "dna", "no show", "failure to", "failed to"),
        ),
        ("reoffending", "Further offending", ("offen", "arrest", "charged")),
        ("conduct", "Behaviour or conduct", ("behavio", "aggress", "threat", "conduct", "violen", "abusive")),
    ),
    "withdrawal": (
        (
            "no-longer-wished",
            "No longer wished to take part",
            ("no longer", "not want", "changed", "unwilling", "refus", "disengag", "not engag", "withdr"),
        ),
        ("moved", "Moved away or transferred", ("moved", "relocat", "transfer", "out of area", "another area")),
        ("custody", "In custody", ("custod", "prison", "remand", "jail", "imprison")),
        (
            "health",
            "Health needs met by another service",
            ("hospital", "admitted", "secondary", "cmht", "crisis", "inpatient", "sectioned", "detained"),
        ),
        ("died", "Died", ("died", "death", "deceased", "passed away")),
    ),
    "breach-outcome": (
        ("custody", "Sentenced to custody", ("custod", "prison", "jail", "imprison")),
        (
            "resentenced",
            "Re-sentenced to a community sentence with a treatment requirement",
            ("re-sentenced", "resentenced", "new order", "cstr", "mhtr", "treatment requirement", "community order"),
        ),
        (
            "continued",
            "Order allowed to continue",
            ("continue", "no further action", "nfa", "warning", "no action", "fine"),
        ),
        ("revoked", "Order revoked", ("revoked", "revoke", "discharged")),
    ),
}
OTHER_LABEL = "Other reason"
NOT_RECORDED_LABEL = "Not recorded"
OUTCOME_LABELS = {"breach-outcome": ("Other outcome", "Not recorded yet")}


def categories(kind: str) -> list[tuple[str, str]]:
    """Every category of ``kind`` as (id, label), "other" and "not recorded" last, in the order shown."""
    other, missing = OUTCOME_LABELS.get(kind, (OTHER_LABEL, NOT_RECORDED_LABEL))
    return [(cid, label) for cid, label, _ in CATEGORIES[kind]] + [(OTHER, other), (NOT_RECORDED, missing)]


def categorise(kind: str, text: str | None) -> str:
    """The category id for a reason of ``kind`` (a key of ``CATEGORIES``: "not-eligible", "cl-declined",
    "court-declined", "adjournment", "breach", "withdrawal", "breach-outcome"); the text itself is never
    returned."""
    words = " ".join(re.sub(r"[^a-z0-9&\- ]+", " ", str(text or "").lower()).split())
    if not words:
        return NOT_RECORDED
    tokens = set(words.split())
    for cid, _label, stems in CATEGORIES[kind]:
        if any((stem in tokens) if len(stem) <= SHORT else (stem in words) for stem in stems):
            return cid
    return OTHER
