"""Questionnaire results as documents show them: the screening table, the assessment summary, and the
first-to-last outcome with reliable improvement and recovery.

Pure functions over the administrations ``records.questionnaire_records.scored_administrations`` returns
(raw items plus the score recomputed by ``questionnaires.score``); change, reliable improvement and recovery
come from ``questionnaires.change`` and ``questionnaires.iapt_outcome``, never from arithmetic here, with the
service's scoring settings (``CaseFile.scoring``) so a letter says what the outcomes view says.
"""

from __future__ import annotations

from letters.common import when
from questionnaires import ScoringOptions, band_words
from records.risk import manual_name

ASSESSMENT_TIMEPOINTS = ("screening", "pre")
FOLLOW_UP_PREFIX = "follow-up"
# What each instrument measures, in words a magistrate or a client reads without a glossary.
MEASURES = {
    "PHQ-9": "symptoms of depression",
    "GAD-7": "symptoms of anxiety",
    "CORE-OM": "psychological distress",
    "CORE-10": "psychological distress",
    "K10": "psychological distress",
    "WSAS": "impairment of work and social life",
    "GSE": "self-efficacy (confidence in coping; higher is better)",
}
# Bands whose words do not read as an amount of what is measured ("healthy psychological distress").
BAND_PHRASES = {"healthy": "in the healthy range for", "subclinical": "below the clinical range for"}
# How the CORE-OM domains are named on the Appendix 1 template ("Look at CORE assessment results").
CORE_DOMAINS = (("functioning", "Functioning"), ("problems", "Symptoms"), ("wellbeing", "Wellbeing"), ("risk", "Risk"))


def number(value: float | int | None) -> str:
    """A score as printed: whole numbers as they are, others to one decimal place; '' for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def headline(result: dict) -> float | int | None:
    """The score a reader expects for an instrument: the total, or the clinical score for CORE measures."""
    for key in ("total", "clinical"):
        if result.get(key) is not None:
            return result[key]
    return None


def band(result: dict) -> str:
    """The severity band in the words the screens use (``moderate to severe``, not ``moderate severe``)."""
    return band_words(result.get("band") or result.get("band_abs"))


def yes_no(value: bool | None, none: str = "not applicable") -> str:
    if value is None:
        return none
    return "Yes" if value else "No"


def flags(result: dict) -> str:
    """Risk flags and scoring notes a reader must not miss."""
    notes = []
    if result.get("sush_flag") or result.get("any_risk_flag"):
        notes.append("risk item endorsed")
    if result.get("risk_to_others_flag"):
        notes.append("risk to others item endorsed")
    if result.get("prorated"):
        notes.append("prorated for missing items")
    if result.get("valid") is False:
        notes.append("not scorable: " + str(result.get("error") or "too many items missing").replace("_", " "))
    return "; ".join(notes)


def core_domains(result: dict) -> str:
    """``Functioning 2.1, Symptoms 2.4, Wellbeing 2.8, Risk 0.3`` (item means) for a CORE-OM result."""
    domains = result.get("domains") or {}
    parts = []
    for key, label in CORE_DOMAINS:
        mean = (domains.get(key) or {}).get("mean")
        if mean is not None:
            parts.append(f"{label} {mean:.1f}")
    return ", ".join(parts)


def plain_line(instrument: str, result: dict) -> str:
    """One score in plain English for a reader outside health: ``PHQ-9 16: moderately severe symptoms of
    depression, in the clinical range``; says so when a form could not be scored, and names an endorsed risk
    item, so the line never reads as reassurance the form does not give."""
    name = manual_name(instrument)
    what = MEASURES.get(instrument, "")
    if not result.get("valid"):
        text = f"{name}: could not be scored (too many items missing)"
    else:
        words = band(result)
        raw = result.get("band") or result.get("band_abs") or ""
        if raw in BAND_PHRASES:
            words = f"{BAND_PHRASES[raw]} {what}"
        elif words:
            words = f"{words} {what}"
        else:
            words = f"score for {what}" if what else ""
        text = f"{name} {number(headline(result))}" + (f": {words}" if words else "")
        if result.get("caseness") is True:
            text += ", in the clinical range"
        elif result.get("caseness") is False:
            text += ", below the clinical range"
    risk = flags(result)
    if "endorsed" in risk:
        text += "; " + "; ".join(x for x in risk.split("; ") if "endorsed" in x)
    return text + "."


def result_row(adm: dict) -> dict:
    """One administration as a table row: measure (named as the manual names it), date, score, severity,
    clinical range, notes, and the plain-English line under it."""
    r = adm["score"]
    notes = [x for x in (core_domains(r), flags(r)) if x]
    return {
        "measure": manual_name(adm["instrument"]),
        "date": when(adm["date"]),
        "score": number(headline(r)),
        "severity": band(r),
        "clinical": yes_no(r.get("caseness"), ""),
        "notes": "; ".join(notes),
        "plain": plain_line(adm["instrument"], r),
        "summary": adm.get("summary") or "",
    }


def assessment_results(administrations: list[dict]) -> list[dict]:
    """Rows for every administration at screening or assessment, in date order (the court report's table)."""
    return [result_row(a) for a in administrations if a["timepoint"] in ASSESSMENT_TIMEPOINTS]


def assessment_summary(administrations: list[dict]) -> list[str]:
    """One line per instrument from its first screening/assessment administration, for GP letters."""
    seen: dict[str, str] = {}
    for a in administrations:
        if a["timepoint"] in ASSESSMENT_TIMEPOINTS and a["instrument"] not in seen:
            row = result_row(a)
            text = f"{row['measure']} on {row['date']}: {row['score'] or 'not scorable'}"
            if row["severity"]:
                text += f" ({row['severity']})"
            seen[a["instrument"]] = text
    return list(seen.values())


def first_and_last(administrations: list[dict]) -> dict[str, tuple[dict, dict | None]]:
    """Per instrument, the first scorable administration and the last scorable one of treatment (None if never
    repeated).

    Only scorable forms count, as in the outcomes view and the data return: an unscorable first form would
    leave change and recovery blank although a baseline exists. Outcome follow-ups after completion are not
    the end of treatment and are left out.
    """
    out: dict[str, tuple[dict, dict | None]] = {}
    for a in administrations:
        if a["timepoint"].startswith(FOLLOW_UP_PREFIX) or not a["score"].get("valid"):
            continue
        name = a["instrument"]
        if name not in out:
            out[name] = (a, None)
        else:
            out[name] = (out[name][0], a)
    return out


def change_text(value: float | int | None) -> str:
    """A change as a GP reads it: ``13 points better``, ``2 points worse`` or ``no change``.

    ``questionnaires.change`` makes a positive change mean improvement on every measure (lower PHQ-9, higher
    GSE), so a bare ``+13`` beside a score that fell would mislead; the words say which way it went.
    """
    if value is None:
        return ""
    if value == 0:
        return "no change"
    size = number(abs(value))
    unit = "point" if size == "1" else "points"
    return f"{size} {unit} {'better' if value > 0 else 'worse'}"


def outcome_rows(administrations: list[dict], options: ScoringOptions) -> list[dict]:
    """First and last score of each instrument with change, reliable improvement and recovery, judged with the
    service's scoring ``options`` (e.g. ``reliable_change_strict``), which every caller must pass."""
    import questionnaires

    rows = []
    for name, (first, last) in first_and_last(administrations).items():
        row = {
            "measure": manual_name(name),
            "first_date": when(first["date"]),
            "first_score": number(headline(first["score"])),
            "first_severity": band(first["score"]),
            "last_date": "",
            "last_score": "",
            "last_severity": "",
            "change": "",
            "reliable_improvement": "",
            "recovery": "",
            "repeated": last is not None,
        }
        if last is not None:
            ch = questionnaires.change(name, first["items"], last["items"], options)
            row.update(
                last_date=when(last["date"]),
                last_score=number(headline(last["score"])),
                last_severity=band(last["score"]),
                change=change_text(ch.get("change")),
                reliable_improvement=yes_no(ch.get("reliable_improvement")),
                recovery=yes_no(ch.get("recovery"), "not applicable (not in the clinical range at the start)"),
            )
        rows.append(row)
    return rows


def talking_therapies_outcome(administrations: list[dict], options: ScoringOptions) -> str:
    """PHQ-9 and GAD-7 together, as NHS Talking Therapies judges recovery, with the service's scoring
    ``options``; '' unless both were repeated."""
    import questionnaires

    pairs = first_and_last(administrations)
    if any(pairs.get(n, (None, None))[1] is None for n in ("PHQ-9", "GAD-7")):
        return ""
    pre = {n: pairs[n][0]["items"] for n in ("PHQ-9", "GAD-7")}
    post = {n: pairs[n][1]["items"] for n in ("PHQ-9", "GAD-7")}
    out = questionnaires.iapt_outcome(pre, post, options)
    if out.get("recovery") is None and out.get("reliable_improvement") is None:
        return ""
    parts = [f"reliable improvement: {yes_no(out.get('reliable_improvement'), 'not defined').lower()}"]
    if out.get("reliable_deterioration"):
        parts.append("reliable deterioration: yes")
    parts.append(
        "recovery: "
        + yes_no(out.get("recovery"), "not applicable (not in the clinical range at the start)").lower()
    )
    if out.get("reliable_recovery") is not None:
        parts.append(f"reliable recovery: {yes_no(out.get('reliable_recovery')).lower()}")
    return "; ".join(parts)
