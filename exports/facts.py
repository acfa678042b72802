"""The de-identified facts of one case: everything the return and the caseload data are built from, nothing more.

``deidentify`` is the one door between the database rows and the exports. It works by allow-list: a field
reaches the exports only if it is named here, picklist fields only with a value from their list, event details
only as fixed values (a session outcome, an order type), reasons only as a category (``exports.reasons``), the
date of birth only as an age band. Names, addresses, postcodes, phone and NHS numbers, GP details, court and
probation officer names and every note are dropped whatever the rows hold, so no later code can leak them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from exports.reasons import categorise
from vocabulary.event_kinds import (
    ACCOMMODATION_CHOICES,
    COMBINED,
    NONE,
    ORDERS,
    OTHERWISE,
    RECOMMENDED,
    REFERRED,
    SESSION_OUTCOMES,
    support_of,
)
from vocabulary.identity import (
    ACCOMMODATION,
    ETHNICITIES,
    GENDERS,
    OFFENCE_TYPES,
    REFERRAL_SOURCES,
    RISK_LEVELS,
    age_band,
    age_on,
    field_applies,
)
from vocabulary.stages import UNDATED, Event, event_order, undated_session

# Client and case fields that are picklists: (field, options).
PICKLIST_FIELDS: dict[str, tuple[str, ...]] = {
    "referral_source": REFERRAL_SOURCES,
    "offence_type": OFFENCE_TYPES,
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "accommodation": ACCOMMODATION,
    "risk_level": RISK_LEVELS,
}
YES_NO_FIELDS = ("looked_after", "ehc_plan", "pregnancy", "caring", "disability", "armed_forces", "gp_registered")
INSTRUMENT_NAMES = {"COREOM": "CORE-OM", "CORE34": "CORE-OM", "PHQ9": "PHQ-9", "GAD7": "GAD-7", "CORE10": "CORE-10"}
REQUIREMENTS = {"MHTR": "MHTR", "MHTR & DRR": "MHTR & DRR", "MHTR & ATR": "MHTR & ATR"}


@dataclass(frozen=True)
class ScoreFact:
    """One questionnaire administration: the instrument, when, the timepoint and the raw item responses."""

    instrument: str
    date: date
    timepoint: str
    items: tuple
    id: int = 0


@dataclass(frozen=True)
class CaseFacts:
    """A case with nothing that identifies the person: see the module docstring for what is kept."""

    ref: str
    requirement: str
    started: date
    age_band_assessed: str | None
    age_band_sentenced: str | None  # on the day the MHTR was made (the first accepted court outcome); None before
    fields: Mapping[str, str | None]
    gp_registered_via_mhtr: bool = False
    gp_registered_date: date | None = None
    events: tuple[Event, ...] = ()
    scores: tuple[ScoreFact, ...] = ()
    unrecognised: tuple[str, ...] = field(default=())
    # Equality fields that cannot apply to this person (``vocabulary.identity.field_applies``): counted as "not
    # applicable", never asked for.
    not_applicable: tuple[str, ...] = field(default=())
    archived: date | None = None  # the day the case was archived (``records.archive``), None while it is not

    def events_to(self, end: date) -> list[Event]:
        return [e for e in self.events if e.date <= end]

    def archived_by(self, day: date) -> bool:
        """Whether the case had been archived on or before ``day`` (put away: opened by mistake, a duplicate,
        transferred). What it had while open still counts; from then on it is no one's caseload."""
        return self.archived is not None and self.archived <= day


def _day(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return _iso_day(str(value)[:10])


@lru_cache(maxsize=16384)
def _iso_day(text: str) -> date | None:
    """Parsed once per distinct day: a large service's 100,000 events fall on a few thousand days."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _local_day(stamp) -> date | None:
    """The local calendar day of a stored UTC time (``2026-11-20T23:30:00Z`` is 21 November in summer time), or the
    day of a plain date; None if there is none."""
    if stamp is None or stamp == "":
        return None
    text = str(stamp).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return _day(text)
    return moment.astimezone().date() if moment.tzinfo is not None else moment.date()


def _pick(value, options: tuple[str, ...]) -> tuple[str | None, bool]:
    """(the option matching ``value`` or None, whether a value was given that is not an option)."""
    if value is None:
        return None, False
    return _pick_text(str(value), options)


@lru_cache(maxsize=4096)
def _pick_text(value: str, options: tuple[str, ...]) -> tuple[str | None, bool]:
    """``_pick`` of a text: a service's thousands of cases hold a few dozen distinct values."""
    if not value.strip():
        return None, False
    wanted = " ".join(str(value).split()).casefold()
    for opt in options:
        if opt.casefold() == wanted:
            return opt, False
    return None, True


@lru_cache(maxsize=256)
def _yes_no(value) -> tuple[str | None, bool]:
    if value is None or str(value).strip() == "":
        return None, False
    v = str(value).strip().lower()
    if v in ("yes", "y", "1", "true"):
        return "yes", False
    if v in ("no", "n", "0", "false"):
        return "no", False
    return None, True


def clean_event_data(kind: str, data: Mapping) -> dict:
    """The fixed-value details of an event; every free-text field is dropped or turned into a category."""
    d = data or {}
    out: dict = {}
    if kind == "session":
        if d.get("outcome") in SESSION_OUTCOMES:
            out["outcome"] = d["outcome"]
        out["final"] = bool(d.get("final"))
        if d.get("extra"):
            out["extra"] = True
        if undated_session(d):  # a stand-in date: counted as attended, never timed (exports.measures)
            out[UNDATED] = True
    elif kind == "court-outcome":
        if d.get("outcome") in ("accepted", "declined"):
            out["outcome"] = d["outcome"]
        if str(d.get("order") or "").upper() in ORDERS:
            out["order"] = str(d["order"]).upper()
        if str(d.get("combined") or "").upper() in COMBINED:
            out["combined"] = str(d["combined"]).upper()
        for key in ("sessions", "length_months"):
            if isinstance(d.get(key), int) or str(d.get(key) or "").isdigit():
                out[key] = int(d[key])
        out["sentenced_on_day"] = bool(d.get("sentenced_on_day"))
        if d.get("sentence_otherwise") in dict(OTHERWISE):
            out["sentence_otherwise"] = d["sentence_otherwise"]
        if d.get("outcome") == "declined":
            out["reason_category"] = categorise("court-declined", d.get("reason"))
    elif kind == "cl-decision":
        if d.get("decision") in ("approved", "declined"):
            out["decision"] = d["decision"]
        if d.get("decision") == "declined":
            out["reason_category"] = categorise("cl-declined", d.get("reason"))
    elif kind in ("not-eligible", "adjournment"):
        out["reason_category"] = categorise(kind, d.get("reason"))
    elif kind == "breach":
        if d.get("mhtr_related") in (True, False):
            out["mhtr_related"] = d["mhtr_related"]
        out["outcome_category"] = categorise("breach-outcome", d.get("outcome"))
        out["reason_category"] = categorise("breach", d.get("reason"))
    elif kind in ("assessment", "completion"):
        # the support recommended at assessment, the referrals at completion: category ids only
        prefix = RECOMMENDED if kind == "assessment" else REFERRED
        out[prefix] = support_of(prefix, d)
        if d.get(f"{prefix}_{NONE}") is True:
            out[f"{prefix}_{NONE}"] = True
        if kind == "completion" and d.get("accommodation_end") in dict(ACCOMMODATION_CHOICES):
            out["accommodation_end"] = d["accommodation_end"]
    elif kind == "sentencer-feedback" and d.get("form") in ("sent", "returned"):
        out["form"] = d["form"]
    elif kind == "withdrawal":
        out["reason_category"] = categorise("withdrawal", d.get("reason"))
    elif kind == "follow-up" and str(d.get("months")) in ("3", "6", "12"):
        out["months"] = int(d["months"])
    return out


def _clean_items(items: list | tuple) -> tuple:
    """The responses as stored: whole numbers, None (missing) and "NA" (WSAS item 1); anything else is missing."""
    values = tuple(items)
    if all(type(v) is int for v in values):  # nearly every form: nothing to clean
        return values
    return tuple(v if isinstance(v, int) or v is None or v == "NA" else None for v in values)


@lru_cache(maxsize=256)
def instrument_name(name: str) -> str:
    key = "".join(ch for ch in str(name).upper() if ch.isalnum())
    return INSTRUMENT_NAMES.get(key, str(name))


def deidentify(case: Mapping, events: Sequence[Mapping], questionnaires: Sequence[Mapping], end: date) -> CaseFacts:
    """Turn a case's database rows into ``CaseFacts`` (age bands on the first assessment and on the sentence).

    ``case`` is a case row joined with its client's row (any columns: only allow-listed ones are read);
    ``events`` the effective events (``kind``, ``date``, ``data``, ``id``); ``questionnaires`` the stored
    administrations (``instrument``, ``date``, ``timepoint``, ``items``, ``id``).
    """
    evs = []
    for r in events:
        day = _day(r.get("date"))
        if day is None or not isinstance(r.get("kind"), str):
            continue
        data = clean_event_data(r["kind"], r.get("data") or {})
        evs.append(Event(r["kind"], day, data, int(r.get("id") or 0), r.get("seq")))
    evs.sort(key=event_order)
    fields: dict[str, str | None] = {}
    unrecognised = []
    for name, options in PICKLIST_FIELDS.items():
        fields[name], odd = _pick(case.get(name), options)
        if odd:
            unrecognised.append(name)
    for name in YES_NO_FIELDS:
        fields[name], odd = _yes_no(case.get(name))
        if odd:
            unrecognised.append(name)
    first_event = evs[0].date if evs else None
    known = [d for d in (_day(case.get("opened_at")), first_event) if d is not None]
    started = min(known) if known else end
    dob = _day(case.get("dob"))
    assessed = next((e.date for e in evs if e.kind == "assessment"), first_event or started)
    age = age_on(dob, assessed) if dob else None
    sentenced = next((e.date for e in evs if e.kind == "court-outcome" and e.data.get("outcome") == "accepted"), None)
    not_applicable = tuple(
        name for name in YES_NO_FIELDS if not field_applies(name, gender=fields.get("gender"), age=age)
    )
    scores = []
    for q in questionnaires:
        day = _day(q.get("date"))
        items = q.get("items")
        if day is None or not isinstance(items, list | tuple):
            continue
        clean_items = _clean_items(items)
        scores.append(
            ScoreFact(
                instrument_name(q.get("instrument", "")),
                day,
                str(q.get("timepoint") or ""),
                clean_items,
                int(q.get("id") or 0),
            )
        )
    scores.sort(key=lambda s: (s.date, s.id))
    requirement = REQUIREMENTS.get(str(case.get("requirement") or "MHTR").upper().replace(" AND ", " & "), "MHTR")
    return CaseFacts(
        ref=str(case.get("ref") or ""),
        requirement=requirement,
        started=started,
        age_band_assessed=age_band(dob, assessed) if dob else None,
        age_band_sentenced=age_band(dob, sentenced) if dob and sentenced else None,
        fields=fields,
        gp_registered_via_mhtr=bool(case.get("gp_registered_via_mhtr")),
        gp_registered_date=_day(case.get("gp_registered_date")),
        events=tuple(evs),
        scores=tuple(scores),
        unrecognised=tuple(u for u in unrecognised if u not in not_applicable),
        not_applicable=not_applicable,
        archived=_local_day(case.get("archived_at")),
    )
