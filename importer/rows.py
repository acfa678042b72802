"""One spreadsheet row -> a client's fields and the case's history as dated events, or the reason it cannot be.

Every value goes through the same checks as typing it into the app (``records.clients.clean_client_fields``
and ``vocabulary.event_kinds.check_event``), so an imported case obeys the same rules as one recorded by hand: an
assessment before the Clinical Lead decision, no event in the future, a valid NHS number.

Words in the outcome columns are read, not guessed: "Approved 03/04/2025" or a date beside a "CL decision
date" column. A bare date under "CL decision" is read as an approval only when the row also has an MHTR
sentence (which the Clinical Lead must have approved); otherwise the row asks which it was. A decision written
without a date ("Approved", or a tick in an "Approved" column) is dated by the row's assessment (else the day
before its sentence) and marked undated, as sessions counted but not dated are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from importer import details
from importer.cells import CellError, clean_text, is_placeholder, read_count, read_date
from importer.mapping import FIELDS
from records.clients import clean_client_fields
from vocabulary.event_kinds import RECOMMENDED, REFERRED, check_event
from vocabulary.identity import GENDERS, OFFENCE_TYPES, REFERRAL_SOURCES, ValidationError, pick, quoted
from vocabulary.stages import UNDATED, UNDATED_NOTE, Event, derive_state

IMPORTED_REASON = "as recorded in the imported spreadsheet"

ORDER = ("screening", "not-eligible", "assessment", "consent", "cl-decision", "court-report-sent", "court-outcome",
         "sentencer-feedback", "case-meeting", "session", "breach", "completion", "withdrawal")

REFERRAL_ALIASES = {
    "l&d": "Liaison and Diversion", "l and d": "Liaison and Diversion", "liaison & diversion": "Liaison and Diversion",
    "solicitor": "Legal representatives", "defence solicitor": "Legal representatives",
    "legal rep": "Legal representatives", "self": "Self-referral", "cmht": "Community mental health services",
    "police": "Police custody officers", "custody": "Police custody officers", "court": "Court staff",
    "family": "Carers and family members", "carer": "Carers and family members",
}
OFFENCE_ALIASES = {
    "assault": "Violence against the person", "common assault": "Violence against the person",
    "abh": "Violence against the person", "violence": "Violence against the person",
    "shoplifting": "Theft", "public order": "Public Order - Nuisance", "drugs": "Drug offences",
    "possession of drugs": "Drug offences", "breach": "Breach Court Order", "driving": "Motoring Offences",
    "drink driving": "Motoring Offences", "damage": "Criminal Damage", "weapon": "Possession of an offensive weapon",
}
GENDER_ALIASES = {"m": "Male", "f": "Female", "man": "Male", "woman": "Female", "nb": "Non-binary"}
PICKED = {
    "referral_source": (REFERRAL_SOURCES, REFERRAL_ALIASES),
    "offence_type": (OFFENCE_TYPES, OFFENCE_ALIASES),
    "gender": (GENDERS, GENDER_ALIASES),
}
TEXT_FIELDS = ("gp_practice", "gp_address", "court", "ro_name")
YES = frozenset({"yes", "y", "true", "x", "\u2713", "\u2714", "done"})

_ACCEPTED_WORDS = ("mhtr made", "made", "mhtr", "accepted", "sentenced", "granted", "yes", "y", "community order",
                   "suspended sentence order", "suspended sentence", "co", "sso")
_DECLINED_WORDS = ("mhtr declined", "mhtr not made", "not made", "declined", "refused", "rejected", "custody",
                   "prison", "no", "n")


@dataclass
class RowPlan:
    """What one readable row would create: the client's fields and the case's events, in order."""

    row: int
    fields: dict
    events: list[Event]
    stage: str
    undated: set[int] = field(default_factory=set)  # positions in ``events`` dated by a rule (stand-in dates)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.fields["name"]

    @property
    def dob(self) -> date:
        return date.fromisoformat(self.fields["dob"])


def _label(f: str) -> str:
    return FIELDS[f][0]


def _picked(value: object, f: str, notes: list[str]) -> str | None:
    text = clean_text(value)
    if not text or is_placeholder(text):
        return None
    options, aliases = PICKED[f]
    text = aliases.get(text.casefold(), text)
    try:
        return pick(text, options, _label(f).lower())
    except ValidationError:
        fallback = "Other" if "Other" in options else None
        shown = quoted(clean_text(value))
        notes.append(f"{_label(f).lower()} {shown} is not on the list; recorded as {fallback or 'blank'}")
        return fallback


def _words_and_date(value: object, today: date, what: str) -> tuple[str, date | None, str | None]:
    """A cell such as "Approved 03/04/2025", "3rd April 2025 approved", "MHTR made" or a bare date.

    Returns (words in lower case, date, note); raises CellError with the date's own reason when the cell has
    a date that cannot be read.
    """
    if value is None:
        return "", None, None
    if isinstance(value, bool):  # a spreadsheet's TRUE/FALSE cell (a tick box column)
        return ("yes" if value else "no"), None, None
    if not isinstance(value, str):
        d, note = read_date(value, today, what)
        return "", d, note
    text = clean_text(value)
    if not text:
        return "", None, None
    if is_placeholder(text):
        return "", None, f"{what} {quoted(text)} is not known yet; read as blank"
    try:
        return "", read_date(text, today, what)[0], None
    except CellError as exc:
        whole_cell = exc
    first_digit = re.search(r"\d", text)
    if first_digit is None:
        return text.casefold(), None, None
    if first_digit.start() > 0:  # words, then the date
        words = text[: first_digit.start()].casefold().strip(" ,:;-")
        return words, read_date(text[first_digit.start():], today, what)[0], None
    tokens = text.split()
    for k in range(len(tokens) - 1, 0, -1):  # the date, then words: the longest leading date wins
        try:
            d = read_date(" ".join(tokens[:k]), today, what)[0]
        except CellError:
            continue
        return " ".join(tokens[k:]).casefold().strip(" ,:;-"), d, None
    raise whole_cell


def _decision(words: str, what: str) -> str | None:
    if not words:
        return None
    w = words.strip(" .!")
    if w in ("approved", "approve", "accepted", "agreed") or w in YES:  # a tick in an "Approved" column too
        return "approved"
    if w in ("declined", "decline", "not approved", "rejected", "refused", "no", "n", "false"):
        return "declined"
    raise CellError(f"{what} {quoted(words)}: write Approved or Declined (with the date)")


def _court(words: str, what: str) -> tuple[str | None, str | None, str | None]:
    """(outcome, order, combined) from words such as "MHTR made - SSO + DRR" or "declined"."""
    if not words:
        return None, None, None
    w = " ".join(re.sub(r"[^a-z0-9&+ ]", " ", words).split())
    tokens = set(w.replace("+", " ").replace("&", " ").split())
    order = "SSO" if "sso" in tokens or "suspended" in tokens else ("CO" if tokens & {"co", "community"} else None)
    combined = "DRR" if "drr" in tokens else ("ATR" if "atr" in tokens else None)
    if any(w == d or w.startswith(d + " ") for d in _DECLINED_WORDS):
        return "declined", None, None
    if order or any(w == a or w.startswith(a + " ") for a in _ACCEPTED_WORDS):
        return "accepted", order, combined
    raise CellError(f"{what} {quoted(words)}: write MHTR made (CO or SSO) or Declined, with the date")


def _reason(value: object, what: str, notes: list[str]) -> str:
    """A reason as written (the return keeps only its category); a placeholder ("tbc") is no reason."""
    text = clean_text(value)
    if text and is_placeholder(text):
        notes.append(f"{what} {quoted(text)} is not known yet; read as blank")
        return ""
    return text


def _needs(detail: object, event: date | None, what: str, needed: str) -> None:
    """A detail of an event the row does not have would be dropped without a word: refuse it instead."""
    if detail and event is None:
        raise CellError(f"{what} is given but the row has no {needed}")


def read_row(number: int, cells: list, mapping: dict[int, str], today: date, *, test_numbers: bool = False) -> RowPlan:
    """Read one row; raises ValidationError (one line, naming the column) if any of it cannot be read.

    ``test_numbers``: NHS test numbers are accepted (a database of synthetic people, ``test_numbers_allowed``)."""
    v = {f: cells[i] for i, f in mapping.items() if i < len(cells)}
    notes: list[str] = []

    def when(f: str) -> date | None:
        d, note = read_date(v.get(f), today, _label(f).lower())
        if note:
            notes.append(note)
        return d

    # Who the client is.
    name = clean_text(v.get("name"))
    if not name and (v.get("surname") or v.get("first_name")):
        name = " ".join(p for p in (clean_text(v.get("first_name")), clean_text(v.get("surname"))) if p)
    if not name or is_placeholder(name):
        raise ValidationError("no name")
    dob, note = read_date(v.get("dob"), today, "date of birth", birth=True)
    if dob is None:
        raise ValidationError(f"no date of birth for {name}" + (f" ({note})" if note else ""))
    fields: dict = {"name": name, "dob": dob}
    nhs = clean_text(v.get("nhs_number"))
    if nhs and not is_placeholder(nhs):
        fields["nhs_number"] = nhs
    elif nhs:
        notes.append(f"NHS number {quoted(nhs)} is not a number; left blank")
    for f in TEXT_FIELDS:
        text = clean_text(v.get(f))
        if text and not is_placeholder(text):
            fields[f] = text
    for f in PICKED:
        if f in v:
            fields[f] = _picked(v[f], f, notes)
    if "accommodation" in v:  # at the start: the client's record (at the end: the completion's, below)
        fields["accommodation"] = details.accommodation_start(v["accommodation"], notes)
    fields = clean_client_fields(fields, today, test_numbers=test_numbers)

    # What happened, as events with their dates.
    planned: list[tuple[str, date, dict, bool]] = []

    def add(kind: str, d: date | None, data: dict | None = None, undated: bool = False) -> None:
        if d is not None:
            planned.append((kind, d, data or {}, undated))

    screening, assessment = when("screening"), when("assessment")
    add("screening", screening)
    recommended = details.support(v.get("support_recommended"), RECOMMENDED, "support recommended", notes)
    _needs(recommended, assessment, "support recommended", "assessment date")
    add("assessment", assessment, recommended)
    add("consent", when("consent"))
    if "not_eligible" in v:
        words, d, note = _words_and_date(v["not_eligible"], today, "not eligible")
        if note:
            notes.append(note)
        if d is None and words in YES:
            d = max((x for x in (screening, assessment) if x), default=None)
            if d is None:
                raise ValidationError("not eligible is ticked but there is no screening or assessment date")
        elif d is None and words and words not in ("no", "n"):
            raise ValidationError(f"not eligible {quoted(clean_text(v['not_eligible']))}: give the date or yes/no")
        add("not-eligible", d, {"reason": f"not eligible ({IMPORTED_REASON})"})

    court_words, court_date, note = _words_and_date(v.get("court_outcome"), today, "court outcome")
    if note:
        notes.append(note)
    outcome, order, combined = _court(court_words, "court outcome")
    sentence = when("sentence_date")
    if court_date and sentence and court_date != sentence:
        raise ValidationError(
            f"court outcome date {court_date:%d/%m/%Y} and sentence date {sentence:%d/%m/%Y} differ; which is it?"
        )
    court_date = court_date or sentence
    if court_date and outcome is None:
        outcome = "accepted"
    if outcome and court_date is None:
        raise ValidationError(f"court outcome {court_words!r} has no date (add it, or a Sentence date column)")

    cl_words, cl_date, note = _words_and_date(v.get("cl_decision"), today, "CL decision")
    if note:
        notes.append(note)
    decision = _decision(cl_words, "CL decision")
    cl_date = cl_date or when("cl_decision_date")
    if cl_date and decision is None:
        if outcome != "accepted":
            raise ValidationError(f"CL decision on {cl_date:%d/%m/%Y}: approved or declined? (write 'Approved "
                                  f"{cl_date:%d/%m/%Y}')")
        decision = "approved"  # an MHTR sentence is only ever made after the Clinical Lead approves it
    cl_undated = False
    if decision and cl_date is None:
        # "Approved" or "Declined" with no date, as practitioners often write it: dated by the best evidence in
        # the row (the assessment, which the decision follows; else the day before the sentence, which it
        # precedes) and marked undated (vocabulary.stages.UNDATED), so that nothing times it or counts it in that
        # date's month, as the undated sessions below.
        before_sentence = court_date - timedelta(days=1) if court_date else None
        cl_date, where = next(((d, w) for d, w in ((assessment, "the assessment date"),
                                                   (before_sentence, "the day before the sentence")) if d),
                              (None, ""))
        if cl_date is None:
            raise ValidationError(f"CL decision {decision} has no date, and no assessment or sentence date to date "
                                  "it by (add one, or a CL decision date column)")
        cl_undated = True
        notes.append(f"CL decision ({decision}) without a date recorded on {cl_date:%d/%m/%Y} ({where})")
    if decision:
        data: dict[str, object] = {"decision": decision}
        if decision == "declined":
            data["reason"] = f"declined ({IMPORTED_REASON})"
        if cl_undated:
            data[UNDATED] = True
        add("cl-decision", cl_date, data, undated=cl_undated)
    add("court-report-sent", when("court_report"))

    if "order" in v and clean_text(v["order"]) and not is_placeholder(clean_text(v["order"])):
        _, order_from_column, combined_from_column = _court(clean_text(v["order"]).casefold(), "order")
        if order_from_column is None:
            raise ValidationError(f"order {quoted(clean_text(v['order']))} is CO or SSO")
        order, combined = order_from_column, combined_from_column or combined
    planned_sessions, note = read_count(v.get("sessions_planned"), "sessions planned")
    if note:
        notes.append(note)
    otherwise = details.sentence_otherwise(v.get("sentence_otherwise"), notes)
    _needs(otherwise, court_date if outcome == "accepted" else None, "sentence otherwise", "sentence with an MHTR")
    if outcome == "accepted":
        add("court-outcome", court_date, {"outcome": "accepted", "order": order or "CO", "sessions": planned_sessions,
                                          "combined": combined, "sentence_otherwise": otherwise})
    elif outcome == "declined":
        add("court-outcome", court_date, {"outcome": "declined", "reason": f"MHTR declined ({IMPORTED_REASON})"})
    add("sentencer-feedback", when("feedback_sent"), {"form": "sent"})
    add("sentencer-feedback", when("feedback_returned"), {"form": "returned"})
    add("case-meeting", when("case_meeting"))

    first, last = when("first_session"), when("last_session")
    completion, withdrawal = when("completion"), when("withdrawal")
    attended, note = read_count(v.get("sessions_attended"), "sessions attended")
    if note:
        notes.append(note)
    dated = [d for d in dict.fromkeys((first, last)) if d is not None]
    if attended is not None and attended < len(dated):
        raise ValidationError(f"sessions attended is {attended} but the row gives {len(dated)} session dates")
    undated_count = (attended or 0) - len(dated)
    if first:
        add("session", first, {"outcome": "attended"})
    if undated_count:
        on, where = next((d, w) for d, w in ((last, "the last session date"), (first, "the first session date"),
                                              (completion, "the completion date"), (withdrawal, "the withdrawal date"),
                                              (today, "the import date")) if d)
        for _ in range(undated_count):
            # Marked, not only noted: the return must not time the first session, or count one in a month, by a
            # stand-in date (``vocabulary.stages.UNDATED``).
            add("session", on, {"outcome": "attended", "notes": UNDATED_NOTE, UNDATED: True}, undated=True)
        notes.append(f"{undated_count} session(s) without dates recorded on {on:%d/%m/%Y} ({where})")
    if last and last != first:
        add("session", last, {"outcome": "attended"})
    breach, breach_reason = when("breach"), _reason(v.get("breach_reason"), "breach reason", notes)
    _needs(breach_reason, breach, "breach reason", "breach date")
    add("breach", breach, {"reason": breach_reason} if breach_reason else {})
    ended: dict = details.support(v.get("referrals"), REFERRED, "referrals at completion", notes)
    _needs(ended, completion, "referrals at completion", "completion date")
    end_place = details.accommodation_end(v.get("accommodation_end"), notes)
    _needs(end_place, completion, "accommodation at the end", "completion date")
    if end_place:
        ended["accommodation_end"] = end_place
    add("completion", completion, ended)
    why = _reason(v.get("withdrawal_reason"), "withdrawal reason", notes)
    _needs(why, withdrawal, "withdrawal reason", "consent withdrawn date")
    add("withdrawal", withdrawal, {"reason": why} if why else {})

    # Date order, ties in the order a case moves; then the same checks as recording each one by hand.
    planned.sort(key=lambda p: (p[1], ORDER.index(p[0])))
    history: list[Event] = []
    undated: set[int] = set()
    for i, (kind, d, data, is_undated) in enumerate(planned):
        clean = check_event(kind, d, data, history, today)
        history.append(Event(kind, d, clean, i + 1))
        if is_undated:
            undated.add(i)
    return RowPlan(number, fields, history, derive_state(history).label, undated, notes)
