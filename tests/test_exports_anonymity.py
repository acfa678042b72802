"""No client's identifiers in any exported file: a property test over generated caseloads that searches every
file written (the unzipped parts of each workbook included) for name parts, the date of birth in common formats,
the NHS number with and without spaces, postcode, address, GP details, note and reason text (a breach's and a
withdrawal's reasons included, which the caseload data carries as categories). Also the
allow-list of ``exports.facts.deidentify`` and the fixed reason categories.
"""

from __future__ import annotations

import random
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import records as rec
from db.connection import connect
from demo.people import synthetic_nhs_number
from exports.facts import deidentify
from exports.monthly import export_caseload, export_month
from exports.reasons import categorise
from records import casework, clients
from service.core import checklist_of
from tests.conftest import synthetic
from vocabulary.identity import format_nhs_number

TODAY = date(2026, 11, 20)
MONTH = "2026-10"


def _word(rng: random.Random, prefix: str) -> str:
    """A made-up word no label of the return can contain (they never hold "qz")."""
    return prefix + "qz" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))


def dob_forms(dob: date) -> list[str]:
    serial = (dob - date(1899, 12, 30)).days  # how a spreadsheet stores the date
    return [
        dob.isoformat(),
        f"{dob:%d/%m/%Y}",
        f"{dob.day}/{dob.month}/{dob.year}",
        f"{dob:%d-%m-%Y}",
        f"{dob:%d.%m.%Y}",
        f"{dob:%Y%m%d}",
        f"{dob.day} {dob:%B %Y}",
        f"{dob:%d %b %Y}",
        f"{dob:%B} {dob.day}, {dob.year}",
        f"{dob:%m/%d/%Y}",
        f">{serial}<",
    ]


def make_client(rng: random.Random, start: date) -> tuple[dict, list, list[str]]:
    """A synthetic client, their events and every identifier that must not leave the database."""
    first, last = _word(rng, "Fn"), _word(rng, "Ln")
    dob = date(rng.randrange(1950, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
    nhs = synthetic_nhs_number(rng)
    postcode = f"QZ{rng.randrange(1, 99)} {rng.randrange(1, 9)}QZ"
    fields = {
        "name": f"{first} {last}",
        "dob": dob.isoformat(),
        "nhs_number": nhs,
        "postcode": postcode,
        "address": f"{rng.randrange(1, 99)} {_word(rng, 'St')} Road",
        "phone": f"07700 9{rng.randrange(10000, 99999)}",
        "gp_practice": f"{_word(rng, 'Gp')} Surgery",
        "gp_address": f"{_word(rng, 'Ga')} Lane",
        "court": f"{_word(rng, 'Ct')} Court",
        "ro_name": _word(rng, "Ro"),
        "ro_contact": f"{_word(rng, 'Rc')}@x.example",
        "gender": rng.choice(("Female", "Male")),
        "ethnicity": "White - British",
        "referral_source": "Probation",
        "offence_type": "Theft",
        "gp_registered": "yes",
        "gp_registered_via_mhtr": "yes",
        "gp_registered_date": (start + timedelta(days=30)).isoformat(),
    }
    note, reason = _word(rng, "Note"), _word(rng, "Why")
    d = [start + timedelta(days=i) for i in range(0, 200, 3)]
    path = rng.choice(
        ("not-eligible", "cl-declined", "court-declined", "adjourned", "treated", "completed", "withdrawn")
    )
    ev = [("screening", d[0], {})]
    if path == "not-eligible":
        ev.append(("not-eligible", d[1], {"reason": f"{reason} threshold"}))
    else:
        support = rng.choice(({"recommended_housing": True, "recommended_money": True}, {"recommended_none": True}))
        ev += [("assessment", d[1], support), ("consent", d[1], {})]
        if path == "cl-declined":
            ev.append(("cl-decision", d[2], {"decision": "declined", "reason": reason}))
        else:
            ev += [("cl-decision", d[2], {"decision": "approved"}), ("court-report-sent", d[3], {})]
            ev.append(("adjournment", d[4], {"reason": f"{reason} court"}))
            if path == "court-declined":
                ev.append(("court-outcome", d[5], {"outcome": "declined", "reason": f"custody {reason}"}))
            elif path != "adjourned":
                otherwise = rng.choice(("custody", "suspended", "community", "other", "not-known"))
                made = {"outcome": "accepted", "sessions": 3, "sentence_otherwise": otherwise}
                ev.append(("court-outcome", d[5], made))
                ev.append(("sentencer-feedback", d[5], {"form": "sent"}))
                ev.append(("sentencer-feedback", d[7], {"form": "returned"}))
                ev.append(("case-meeting", d[6], {}))
                for i in range(3):
                    ev.append(
                        (
                            "session",
                            d[8 + i],
                            {"outcome": "attended", "notes": note, "risk": note, "summary": note, "plan": note},
                        )
                    )
                ev.append(("breach", d[12], {"reason": reason, "mhtr_related": True, "outcome": f"{reason} x"}))
                if path == "completed":
                    ev.append(("completion", d[13], {"accommodation_end": "supported", "referred_housing": True}))
                elif path == "withdrawn":
                    ev.append(("withdrawal", d[13], {"reason": f"{reason} moved"}))
    ev = [e for e in ev if e[1] <= TODAY]
    secrets = [
        first,
        last,
        postcode,
        postcode.replace(" ", ""),
        nhs,
        format_nhs_number(nhs),
        format_nhs_number(nhs).replace(" ", "-"),
        fields["address"],
        fields["phone"],
        fields["gp_practice"],
        fields["gp_address"],
        fields["court"],
        fields["ro_name"],
        fields["ro_contact"],
        note,
        reason,
        *dob_forms(dob),
    ]
    return fields, ev, secrets


def produced_texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text; an .xlsx as each of its unzipped parts."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        data = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                for part in z.namelist():
                    out[f"{path.name}!{part}"] = z.read(part).decode("utf-8", "replace")
        else:
            out[path.name] = data.decode("utf-8-sig", "replace")
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 5))
def test_no_identifier_in_any_file(seed, n):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = synthetic(connect(tmp / "t.db", create=True))
        rec.set_setting(db, "practitioner", "Pqzpractitioner Name")
        secrets = ["Pqzpractitioner"]
        for _ in range(n):
            start = TODAY - timedelta(days=rng.randrange(40, 420))
            fields, events, more = make_client(rng, start)
            ref = clients.add_client(db, fields, TODAY)
            for kind, when, data in events:
                casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
            secrets += more
        out = tmp / "out"
        for fmt in ("xlsx", "csv"):
            export_month(db, MONTH, out, fmt, today=TODAY, threshold=0, checklist=checklist_of(db))
            export_month(db, MONTH, out / "suppressed", fmt, today=TODAY, checklist=checklist_of(db))
            export_caseload(db, MONTH, out, fmt, today=TODAY)
        db.close()
        texts = produced_texts(out)
        assert len(texts) > 20  # the workbooks' parts and the CSV files
        found = [(s, name) for name, text in texts.items() for s in secrets if s.lower() in text.lower()]
        assert found == []


def test_deidentify_keeps_only_the_allow_list():
    row = {
        "ref": "MHTR-0001",
        "name": "Robin Synthetic",
        "dob": "1987-03-14",
        "nhs_number": "9994765914",
        "address": "1 Nowhere Lane",
        "postcode": "ZZ9 9ZZ",
        "phone": "07700 900123",
        "gp_practice": "Imaginary Surgery",
        "gp_address": "2 Pretend Road",
        "court": "Nowhere Court",
        "ro_name": "Sam Officer",
        "gender": "female",
        "ethnicity": "Klingon",
        "opened_at": "2026-10-01T10:00:00Z",
    }
    events = [
        {"id": 1, "kind": "screening", "date": "2026-10-01", "data": {}},
        {"id": 2, "kind": "not-eligible", "date": "2026-10-02", "data": {"reason": "Robin has no GP, see CMHT"}},
        {"id": 3, "kind": "session", "date": "2026-10-03", "data": {"outcome": "Robin came late", "notes": "x"}},
    ]
    facts = deidentify(row, events, [], date(2026, 10, 31))
    text = repr(facts)
    for secret in (
        "Robin",
        "Synthetic",
        "1987",
        "9994765914",
        "Nowhere",
        "ZZ9",
        "07700",
        "Imaginary",
        "Pretend",
        "Officer",
        "Klingon",
        "CMHT",
        "late",
    ):
        assert secret not in text
    assert facts.fields["gender"] == "Female" and facts.fields["ethnicity"] is None
    assert facts.unrecognised == ("ethnicity",)
    assert facts.age_band_assessed == "35-44"
    assert facts.events[1].data == {"reason_category": "secondary-care"}
    assert "outcome" not in facts.events[2].data


def test_reasons_fall_into_fixed_categories():
    assert categorise("not-eligible", "No mental health need meeting the threshold") == "threshold"
    assert categorise("not-eligible", "Needs secondary care (CMHT) instead") == "secondary-care"
    assert categorise("not-eligible", "Did not consent to assessment") == "no-consent"
    assert categorise("not-eligible", "") == "not-recorded"
    assert categorise("not-eligible", "Moved out of area") == "other"
    assert categorise("court-declined", "Court imposed a custodial sentence") == "custody"
    assert categorise("adjournment", "Assessment not available on the day") == "assessment"
    assert categorise("adjournment", "Court-led adjournment") == "court-led"
    assert categorise("breach-outcome", "re-sentenced to custody") == "custody"
    assert categorise("breach-outcome", "Resentenced to a new CO with MHTR") == "resentenced"
    assert categorise("breach-outcome", None) == "not-recorded"


def test_the_search_finds_an_identifier_that_does_get_out(tmp_path):
    """The control for the property test: text that is written (the service name) is found by the same search."""
    db = synthetic(connect(tmp_path / "t.db", create=True))
    rng = random.Random(1)
    fields, events, secrets = make_client(rng, TODAY - timedelta(days=60))
    ref = clients.add_client(db, fields, TODAY)
    for kind, when, data in events:
        casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
    rec.set_setting(db, "service_name", f"Service of {secrets[0]}")
    export_month(db, MONTH, tmp_path / "out", "xlsx", today=TODAY, checklist=checklist_of(db))
    texts = produced_texts(tmp_path / "out")
    assert any(secrets[0].lower() in t.lower() for name, t in texts.items() if "worksheets" in name)
    assert all(s.lower() not in t.lower() for s in secrets[1:] for t in texts.values())
