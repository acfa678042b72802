"""A synthetic caseload with known truth for the tests/test_exports_*.py files.

Twelve synthetic people, each taken through ``records.casework`` and ``records.questionnaire_records`` exactly
as the app records them, chosen so that every measure of the October 2026 return is non-zero somewhere. The
expected figures below were worked out by hand from the events listed here (see each case's comment).
"""

from __future__ import annotations

from datetime import date, timedelta

from checklists.model import DEFAULT_FILE, load
from records import casework, clients
from records.clocks import sentence_deadlines
from records.questionnaire_records import add_questionnaire
from service.core import checklist_of

# The bundled checklist's case meeting and first session deadlines (14 days, 6 weeks), as a return counts them.
DEADLINES = sentence_deadlines(load(DEFAULT_FILE))

TODAY = date(2026, 11, 20)
MONTH = "2026-10"
CORE_REVERSED = {3, 4, 7, 12, 19, 21, 31, 32}
CORE_RISK = {6, 9, 16, 22, 24, 34}


def core_raw(keyed: list[int]) -> list[int]:
    """CORE-OM responses as ticked that score ``keyed`` once the reverse-keyed items are turned round."""
    return [4 - k if i in CORE_REVERSED else k for i, k in enumerate(keyed, 1)]


def core_keyed(value: int, *, risk: int | None = None, ones: int | None = None) -> list[int]:
    """34 keyed items: all ``value`` (risk items ``risk`` if given), or ``ones`` non-risk items at 1, rest 0."""
    if ones is not None:
        out, left = [], ones
        for i in range(1, 35):
            out.append(1 if left and i not in CORE_RISK else 0)
            left -= out[-1]
        return out
    return [(risk if risk is not None and i in CORE_RISK else value) for i in range(1, 35)]


def _weekly(first: str, n: int) -> list[tuple[str, str, dict]]:
    d = date.fromisoformat(first)
    return [("session", (d + timedelta(days=7 * i)).isoformat(), {"outcome": "attended"}) for i in range(n)]


def _pre_to_court(
    screen: str | None, assess: str, consent: bool, cl: str, report: str | None, support: dict | None = None
) -> list:
    ev = [("screening", screen, {})] if screen else []
    ev.append(("assessment", assess, support or {}))
    if consent:
        ev.append(("consent", assess, {}))
    ev.append(("cl-decision", cl, {"decision": "approved"}))
    if report:
        ev.append(("court-report-sent", report, {}))
    return ev


SENTENCE = {"outcome": "accepted", "order": "CO", "sessions": 12}

# (client and case fields, events, questionnaires as (instrument, date, timepoint, items))
CASES: list[tuple[dict, list, list]] = [
    (  # A: through assessment, court and a first session in October; active, in treatment.
        {
            "name": "Alex Example",
            "dob": "1990-05-05",
            "gender": "Female",
            "ethnicity": "White - British",
            "referral_source": "Probation",
            "offence_type": "Theft",
            "accommodation": "Supported housing",
            "disability": "yes",
            "caring": "no",
            "gp_registered": "yes",
            "risk_level": "Medium",
            "address": "1 Nowhere Lane, Fakeville",
            "postcode": "ZZ9 9ZZ",
            "nhs_number": "999 476 5914",
            "gp_practice": "Imaginary Surgery",
            "gp_address": "2 Pretend Road",
        },
        [
            *_pre_to_court(
                "2026-10-01",
                "2026-10-01",
                True,
                "2026-10-05",
                "2026-10-06",
                {"recommended_therapy": True, "recommended_housing": True},
            ),
            ("adjournment", "2026-10-07", {"reason": "Assessment not available on the day"}),
            ("court-outcome", "2026-10-14", {**SENTENCE, "sentenced_on_day": True, "sentence_otherwise": "custody"}),
            ("sentencer-feedback", "2026-10-15", {"form": "sent"}),
            ("sentencer-feedback", "2026-10-28", {"form": "returned"}),
            ("case-meeting", "2026-10-20", {}),
            ("session", "2026-10-27", {"outcome": "attended", "notes": "Secret note about Alex"}),
            ("session", "2026-11-03", {"outcome": "unacceptable-absence"}),
        ],
        [],
    ),
    (  # B: not eligible at screening in October.
        {
            "name": "Blake Sample",
            "dob": "1985-02-10",
            "gender": "Male",
            "ethnicity": "Black or Black British - African",
            "referral_source": "Liaison and Diversion",
            "offence_type": "Harassment",
        },
        [
            ("screening", "2026-10-02", {}),
            ("not-eligible", "2026-10-02", {"reason": "Needs secondary care (CMHT) instead"}),
        ],
        [],
    ),
    (  # C: assessed in September, declined by the Clinical Lead in October.
        {
            "name": "Casey Placeholder",
            "dob": "1970-08-20",
            "requirement": "MHTR & DRR",
            "gender": "Non-binary",
            "referral_source": "Court staff",
            "offence_type": "Criminal Damage",
            "accommodation": "Homeless / rough sleeping",
        },
        [
            ("screening", "2026-09-10", {}),
            ("assessment", "2026-09-10", {}),
            (
                "cl-decision",
                "2026-10-03",
                {"decision": "declined", "reason": "Substance misuse is the primary need; referred to drug service"},
            ),
        ],
        [],
    ),
    (  # D: sentenced in March (SSO with DRR), late meeting and first session, a breach, completed in October.
        {
            "name": "Dana Testperson",
            "dob": "1998-01-15",
            "requirement": "MHTR & DRR",
            "gender": "Female",
            "ethnicity": "Asian or Asian British - Indian",
            "referral_source": "Police custody officers",
            "offence_type": "Drug offences",
            "accommodation": "Settled (owner or tenant)",
            "pregnancy": "no",
            "armed_forces": "no",
            "risk_level": "High",
        },
        [
            *_pre_to_court("2026-02-09", "2026-02-10", True, "2026-02-12", "2026-02-13", {"recommended_therapy": True}),
            (
                "court-outcome",
                "2026-03-02",
                {**SENTENCE, "order": "SSO", "combined": "DRR", "sentence_otherwise": "community"},
            ),
            ("case-meeting", "2026-03-20", {}),
            *_weekly("2026-04-20", 6),
            ("session", "2026-06-01", {"outcome": "unacceptable-absence"}),
            *_weekly("2026-06-08", 6),
            ("consent", "2026-09-01", {}),  # renewed (early)
            (
                "breach",
                "2026-06-10",
                {"reason": "Missed session", "mhtr_related": True, "outcome": "Order allowed to continue"},
            ),
            (  # settled at the start (the client's record) and at the end: the same
                "completion",
                "2026-10-15",
                {"accommodation_end": "settled", "referred_therapy": True, "referred_work": True},
            ),
        ],
        [
            ("PHQ-9", "2026-02-10", "pre", [2] * 9),
            ("GAD-7", "2026-02-10", "pre", [2, 2, 2, 2, 2, 2, 3]),
            ("CORE-OM", "2026-02-10", "pre", core_raw(core_keyed(2))),
            ("PHQ-9", "2026-10-15", "post", [1, 1, 1, 1, 1, 1, 0, 0, 0]),
            ("GAD-7", "2026-10-15", "post", [2, 2, 2, 2, 2, 1, 1]),
            ("CORE-OM", "2026-10-15", "post", core_raw(core_keyed(0, ones=17))),
            ("WSAS", "2026-02-10", "pre", [5] * 5),
            ("WSAS", "2026-10-15", "post", [2] * 5),
        ],
    ),
    (  # E: sentenced in January, three sessions, completed in October; GAD-7 reliably worse.
        {
            "name": "Eden Fictional",
            "dob": "1960-03-03",
            "gender": "Male",
            "ethnicity": "White - Irish",
            "referral_source": "Self-referral",
            "offence_type": "Other",
            "accommodation": "Living with family or friends",
            "armed_forces": "yes",
            "risk_level": "Low",
        },
        [
            *_pre_to_court("2025-12-01", "2025-12-01", True, "2025-12-03", "2025-12-04"),
            ("court-outcome", "2026-01-12", {**SENTENCE, "sentence_otherwise": "not-known"}),
            ("case-meeting", "2026-01-19", {}),
            ("session", "2026-02-02", {"outcome": "attended"}),
            ("session", "2026-02-16", {"outcome": "attended"}),
            ("session", "2026-03-02", {"outcome": "attended"}),
            ("consent", "2026-10-05", {}),  # renewed
            # with family or friends at the start, settled at the end
            ("completion", "2026-10-20", {"accommodation_end": "settled", "referred_none": True}),
        ],
        [
            ("PHQ-9", "2025-12-01", "pre", [1, 1, 1, 1, 1, 1, 1, 1, 0]),
            ("GAD-7", "2025-12-01", "pre", [2, 2, 2, 1, 1, 1, 1]),
            ("CORE-OM", "2025-12-01", "pre", core_raw(core_keyed(1, risk=0))),
            ("PHQ-9", "2026-10-20", "post", [2, 1, 1, 1, 1, 1, 1, 1, 0]),
            ("GAD-7", "2026-10-20", "post", [3, 3, 2, 2, 2, 2, 2]),
            ("K10", "2025-12-01", "pre", [3] * 10),
            ("K10", "2026-10-20", "post", [2] * 10),
        ],
    ),
    (  # F: a court-led adjournment, sentenced on the day in August, consent withdrawn in October.
        {
            "name": "Frankie Madeup",
            "dob": "2000-07-07",
            "gender": "Female",
            "ethnicity": "Mixed - White and Asian",
            "referral_source": "Legal representatives",
            "offence_type": "Violence against the person",
            "accommodation": "Temporary or emergency accommodation",
        },
        [
            *_pre_to_court("2026-07-01", "2026-07-01", True, "2026-07-03", "2026-07-06"),
            ("adjournment", "2026-07-08", {"reason": "Court-led adjournment: list over-running"}),
            ("court-outcome", "2026-08-03", {**SENTENCE, "sentenced_on_day": True, "sentence_otherwise": "suspended"}),
            ("sentencer-feedback", "2026-08-04", {"form": "sent"}),
            ("sentencer-feedback", "2026-09-01", {"form": "returned"}),
            ("case-meeting", "2026-08-10", {}),
            *_weekly("2026-08-24", 2),
            ("withdrawal", "2026-10-09", {}),
        ],
        [],
    ),
    (  # G: assessed and sentenced (with an ATR) the next day in October, not flagged as on the day; no session yet.
        {
            "name": "Gale Invented",
            "dob": "1995-11-30",
            "requirement": "MHTR & ATR",
            "gender": "Male",
            "ethnicity": "White - British",
            "referral_source": "Probation",
            "offence_type": "Theft",
            "accommodation": "Settled (owner or tenant)",
        },
        [
            *_pre_to_court(None, "2026-10-19", False, "2026-10-20", None, {"recommended_none": True}),
            ("court-outcome", "2026-10-20", {**SENTENCE, "combined": "ATR"}),  # the day after: on the day
        ],
        [],
    ),
    (  # H: completed in December 2025; 3- and 6-month follow-ups done; a follow-up score that is not "after".
        {
            "name": "Harper Notreal",
            "dob": "1980-04-04",
            "gender": "Female",
            "ethnicity": "White - British",
            "referral_source": "Probation",
            "offence_type": "Burglary",
            "accommodation": "Supported housing",
        },
        [
            *_pre_to_court("2025-05-01", "2025-05-01", True, "2025-05-05", "2025-05-06"),
            ("court-outcome", "2025-06-02", SENTENCE),
            ("case-meeting", "2025-06-10", {}),
            ("session", "2025-07-01", {"outcome": "attended"}),
            ("session", "2025-08-01", {"outcome": "attended"}),
            ("completion", "2025-12-10", {}),
            ("follow-up", "2026-03-12", {"months": 3}),
            ("follow-up", "2026-06-15", {"months": 6}),
        ],
        [
            ("PHQ-9", "2025-05-01", "pre", [1, 1, 1, 1, 2, 2, 2, 2, 0]),
            ("PHQ-9", "2025-12-10", "post", [1, 1, 1, 1, 0, 0, 0, 0, 0]),
            ("PHQ-9", "2026-03-12", "follow-up-3", [3] * 8 + [0]),
        ],
    ),
    (  # I: MHTR declined by the court in October (custody).
        {
            "name": "Indigo Nobody",
            "dob": "1992-12-12",
            "gender": "Male",
            "ethnicity": "Not stated",
            "referral_source": "Probation",
            "offence_type": "Robbery",
        },
        [
            *_pre_to_court(
                "2026-10-05", "2026-10-05", True, "2026-10-07", "2026-10-08", {"recommended_substance": True}
            ),
            ("court-outcome", "2026-10-21", {"outcome": "declined", "reason": "Court imposed a custodial sentence"}),
            ("sentencer-feedback", "2026-10-22", {"form": "sent"}),  # the case has closed: the form still counts
        ],
        [],
    ),
    (  # J: completed in June 2025, before the rolling year; its 6- and 12-month follow-ups fall due in it.
        {
            "name": "Jordan Unreal",
            "dob": "1975-01-01",
            "gender": "Male",
            "ethnicity": "White - British",
            "referral_source": "Probation",
            "offence_type": "Theft",
        },
        [
            *_pre_to_court("2024-12-02", "2024-12-02", False, "2024-12-04", None),
            ("court-outcome", "2025-01-06", SENTENCE),
            ("case-meeting", "2025-01-13", {}),
            ("session", "2025-02-03", {"outcome": "attended"}),
            ("session", "2025-02-10", {"outcome": "attended"}),
            ("completion", "2025-06-01", {}),
            ("follow-up", "2026-10-02", {"months": 12}),
        ],
        [
            ("PHQ-9", "2024-12-02", "pre", [2] * 9),
            ("PHQ-9", "2026-10-02", "follow-up-12", [1] * 9),  # 18 -> 9: reliably better a year on
        ],
    ),
    (  # K: registered with a GP through the MHTR in October; in treatment.
        {
            "name": "Kit Pretend",
            "dob": "1988-06-06",
            "gender": "Female",
            "ethnicity": "White - British",
            "referral_source": "Probation",
            "offence_type": "Theft",
            "gp_registered": "yes",
            "gp_registered_via_mhtr": "yes",
            "gp_registered_date": "2026-10-12",
        },
        [
            *_pre_to_court("2026-08-03", "2026-08-03", False, "2026-08-05", None),
            ("court-outcome", "2026-09-01", {**SENTENCE, "sentence_otherwise": "other"}),
            ("case-meeting", "2026-09-08", {}),
            *_weekly("2026-09-15", 2),
            ("session", "2026-10-06", {"outcome": "acceptable-absence"}),
            ("session", "2026-10-13", {"outcome": "cancelled-by-service"}),
            ("session", "2026-10-20", {"outcome": "unacceptable-absence"}),
        ],
        [],
    ),
    (  # L: screened and assessed in October, then found not eligible after the assessment.
        {
            "name": "Lee Fabricated",
            "dob": "2003-03-03",
            "gender": "Male",
            "ethnicity": "White - British",
            "referral_source": "Probation",
            "offence_type": "Theft",
        },
        [
            ("screening", "2026-10-12", {}),
            ("assessment", "2026-10-12", {}),
            ("not-eligible", "2026-10-13", {"reason": "Mental health need below the threshold for an MHTR"}),
        ],
        [],
    ),
]


def build_caseload(db, cases=CASES) -> list[str]:
    """Record the cases in ``db`` through the app's own functions; returns their references (A, B, ... order).

    They are synthetic people with NHS test numbers: ``db`` is marked as a database of synthetic people."""
    from tests.conftest import synthetic

    synthetic(db)
    refs = []
    for fields, events, forms in cases:
        ref = clients.add_client(db, fields, TODAY)
        for kind, when, data in sorted(events, key=lambda e: e[1]):
            casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
        for instrument, when, timepoint, items in forms:
            add_questionnaire(db, ref, instrument, items, when, timepoint, TODAY, checklist=checklist_of(db))
        refs.append(ref)
    return refs


# --- the truth, by hand --------------------------------------------------------------------------------------

MONTH_COUNTS = {
    "screened": 4,
    "not_eligible": 1,
    "reason.not-eligible.secondary-care": 1,
    "not_eligible_assessed": 1,  # L
    "reason.not-eligible-assessed.threshold": 1,
    "assessed": 4,
    "assessed_mhtr": 3,  # A, I, L
    "assessed_atr": 1,  # G
    "support_any": 2,  # A (therapy, housing), I (substance)
    "support.therapy": 1,
    "support.housing": 1,
    "support.substance": 1,
    "support_none": 1,  # G
    "support_not_recorded": 1,  # L
    "consented": 2,  # A, I (first consents)
    "consent_renewed": 1,  # E
    "cl_decided": 4,
    "cl_approved": 3,
    "cl_approved_mhtr": 2,  # A, I
    "cl_approved_atr": 1,  # G
    "cl_declined": 1,
    "cl_declined_drr": 1,  # C
    "reason.cl-declined.substance": 1,
    "psr": 2,
    "adjournments": 1,
    "reason.adjournment.assessment": 1,
    "court_decided": 3,
    "court_accepted": 2,
    "court_declined": 1,
    "court_declined_mhtr": 1,
    "reason.court-declined.custody": 1,
    "order_co": 2,
    "type_mhtr": 1,
    "type_atr": 1,
    "otherwise.custody": 1,  # A
    "otherwise.not-recorded": 1,  # G
    "feedback_sent": 2,  # A, I (after its case closed)
    "feedback_returned": 1,  # A
    "on_day": 2,  # A (recorded so), G (its dates show it)
    "meetings": 1,
    "meetings_14": 1,
    "first_sessions": 1,
    "first_6w": 1,
    "sessions_offered": 3,  # A attended; K acceptable, unacceptable (K's cancelled one is not offered)
    "sessions_attended": 1,
    "sessions_acceptable": 1,
    "sessions_unacceptable": 1,
    "sessions_cancelled": 1,
    "gp_registered": 1,
    "completed": 2,
    "withdrawn": 1,
    "reason.withdrawal.not-recorded": 1,  # F gave no reason
    "fu12_done": 1,  # J
    "fu12.phq9.scored": 1,
    "fu12.phq9.improved": 1,
    "active": 3,
    "active_treating": 2,
    "active_waiting": 1,
    "finished": 2,
    "phq9.pairs": 2,
    "phq9.improved": 1,
    "phq9.caseness": 1,
    "phq9.recovered": 1,
    "phq9.reliable_recovery": 1,
    "gad7.pairs": 2,
    "gad7.deteriorated": 1,
    "gad7.caseness": 2,
    "core.pairs": 1,
    "core.improved": 1,
    "core.caseness": 1,
    "core.recovered": 1,
    "core.reliable_recovery": 1,
    "iapt.pairs": 2,
    "iapt.caseness": 2,
    "iapt.improved": 1,
    "iapt.deteriorated": 1,
    "sush_start": 2,
    "sush_start_yes": 1,
    "sush_start_no": 1,
    "sush_end": 2,
    "sush_end_no": 2,
    "others_start": 2,  # D (CORE-34 risk-to-others items endorsed), E (none)
    "others_start_yes": 1,
    "others_start_no": 1,
    "others_end": 1,  # D; E has no later CORE-34
    "others_end_no": 1,
    "wsas.pairs": 1,  # D
    "k10.pairs": 1,  # E
    # completed in October: D (settled -> settled), E (family or friends -> settled)
    "accom_start.settled": 1,
    "accom_start.family": 1,
    "accom_end.settled": 2,
    "accom_same": 1,
    "accom_settled": 1,
    "referred_any": 1,  # D
    "referred.therapy": 1,
    "referred.work": 1,
    "referred_none": 1,  # E
    # assessed in October: A, G, I, L
    "assessed.referral_source=Probation": 4,
    "assessed.gender=Female": 1,
    "assessed.gender=Male": 3,
    "assessed.age_band=35-44": 1,
    "assessed.age_band=25-34": 2,
    "assessed.age_band=18-24": 1,
    "assessed.ethnicity=White - British": 3,
    "assessed.ethnicity=Not stated": 1,
    "assessed.looked_after=Not recorded": 4,
    "assessed.ehc_plan=not applicable": 3,  # A, G, I are over 25
    "assessed.ehc_plan=Not recorded": 1,  # L is 23
    "assessed.pregnancy=Not recorded": 1,  # A
    "assessed.pregnancy=not applicable": 3,  # G, I, L are recorded as male
    "assessed.caring=no": 1,
    "assessed.caring=Not recorded": 3,
    "assessed.disability=yes": 1,
    "assessed.disability=Not recorded": 3,
    "assessed.armed_forces=Not recorded": 4,
    "assessed.accommodation=Supported housing": 1,
    "assessed.accommodation=Settled (owner or tenant)": 1,
    "assessed.accommodation=Not recorded": 2,
    "assessed.offence_type=Theft": 3,
    "assessed.offence_type=Robbery": 1,
    "assessed.gp_registered=yes": 1,
    "assessed.gp_registered=Not recorded": 3,
}
# MHTRs made in October: A (35-44 on its sentence date, 14 October) and G (25-34 on 20 October)
MONTH_COUNTS.update(
    {
        "made.referral_source=Probation": 2,
        "made.gender=Female": 1,
        "made.gender=Male": 1,
        "made.age_band=35-44": 1,
        "made.age_band=25-34": 1,
        "made.ethnicity=White - British": 2,
        "made.looked_after=Not recorded": 2,
        "made.ehc_plan=not applicable": 2,  # both over 25 at assessment
        "made.pregnancy=Not recorded": 1,  # A
        "made.pregnancy=not applicable": 1,  # G, recorded as male
        "made.caring=no": 1,
        "made.caring=Not recorded": 1,
        "made.disability=yes": 1,
        "made.disability=Not recorded": 1,
        "made.armed_forces=Not recorded": 2,
        "made.accommodation=Supported housing": 1,
        "made.accommodation=Settled (owner or tenant)": 1,
        "made.offence_type=Theft": 2,
        "made.gp_registered=yes": 1,
        "made.gp_registered=Not recorded": 1,
    }
)
# MHTRs made in the 12 months: A, G, and D (March, 28: 25-34), E (January, 65), F (August, 26), K (September, 38)
MADE_ROLLING = {
    "made.referral_source=Probation": 3,  # A, G, K
    "made.referral_source=Police custody officers": 1,  # D
    "made.referral_source=Self-referral": 1,  # E
    "made.referral_source=Legal representatives": 1,  # F
    "made.gender=Female": 4,  # A, D, F, K
    "made.gender=Male": 2,  # G, E
    "made.age_band=35-44": 2,  # A, K
    "made.age_band=25-34": 3,  # G, D, F
    "made.age_band=65+": 1,  # E
    "made.ethnicity=White - British": 3,
    "made.ethnicity=Asian or Asian British - Indian": 1,
    "made.ethnicity=White - Irish": 1,
    "made.ethnicity=Mixed - White and Asian": 1,
    "made.looked_after=Not recorded": 6,
    "made.ehc_plan=not applicable": 5,
    "made.ehc_plan=Not recorded": 1,  # F, 25 at assessment
    "made.pregnancy=Not recorded": 3,  # A, F, K
    "made.pregnancy=not applicable": 2,  # G, E
    "made.pregnancy=no": 1,  # D
    "made.caring=no": 1,
    "made.caring=Not recorded": 5,
    "made.disability=yes": 1,
    "made.disability=Not recorded": 5,
    "made.armed_forces=Not recorded": 4,
    "made.armed_forces=no": 1,  # D
    "made.armed_forces=yes": 1,  # E
    "made.accommodation=Supported housing": 1,  # A
    "made.accommodation=Settled (owner or tenant)": 2,  # G, D
    "made.accommodation=Living with family or friends": 1,  # E
    "made.accommodation=Temporary or emergency accommodation": 1,  # F
    "made.accommodation=Not recorded": 1,  # K
    "made.offence_type=Theft": 3,
    "made.offence_type=Drug offences": 1,
    "made.offence_type=Other": 1,
    "made.offence_type=Violence against the person": 1,
    "made.gp_registered=yes": 2,  # A, K
    "made.gp_registered=Not recorded": 4,
}
ROLLING_COUNTS = {
    **MADE_ROLLING,
    "screened": 9,
    "not_eligible": 1,
    "reason.not-eligible.secondary-care": 1,
    "not_eligible_assessed": 1,
    "reason.not-eligible-assessed.threshold": 1,
    "assessed": 9,
    "assessed_mhtr": 6,  # A, E, F, I, K, L
    "assessed_drr": 2,  # C, D
    "assessed_atr": 1,  # G
    "support_any": 3,  # A, D, I
    "support.therapy": 2,  # A, D
    "support.housing": 1,
    "support.substance": 1,
    "support_none": 1,  # G
    "support_not_recorded": 5,  # C, E, F, K, L
    "consented": 5,  # A, D, E, F, I
    "consent_renewed": 2,  # D in September, E in October
    "cl_decided": 8,
    "cl_approved": 7,
    "cl_approved_mhtr": 5,  # A, E, F, I, K
    "cl_approved_drr": 1,  # D
    "cl_approved_atr": 1,  # G
    "cl_declined": 1,
    "cl_declined_drr": 1,  # C
    "reason.cl-declined.substance": 1,
    "psr": 5,
    "adjournments": 2,
    "reason.adjournment.assessment": 1,
    "reason.adjournment.court-led": 1,
    "court_decided": 7,
    "court_accepted": 6,
    "court_declined": 1,
    "court_declined_mhtr": 1,
    "reason.court-declined.custody": 1,
    "order_co": 5,
    "order_sso": 1,
    "type_mhtr": 4,
    "type_drr": 1,
    "type_atr": 1,
    "otherwise.custody": 1,  # A
    "otherwise.community": 1,  # D
    "otherwise.not-known": 1,  # E
    "otherwise.suspended": 1,  # F
    "otherwise.not-recorded": 1,  # G
    "otherwise.other": 1,  # K
    "feedback_sent": 3,  # A, F, I
    "feedback_returned": 2,  # A, F
    "on_day": 3,  # A, F (recorded so), G (its dates)
    "meetings": 5,
    "meetings_14": 4,
    "meetings_late": 1,
    "first_sessions": 5,
    "first_6w": 4,
    "first_late": 1,
    # A 1; D 12 attended and 1 unacceptable; E 3; F 2; K 2 attended, then 1 acceptable, 1 unacceptable, 1 cancelled
    "sessions_offered": 23,
    "sessions_attended": 20,
    "sessions_acceptable": 1,
    "sessions_unacceptable": 2,
    "sessions_cancelled": 1,
    "breaches": 1,
    "breach_mhtr": 1,
    "breach_outcome.continued": 1,
    "reason.breach.non-attendance": 1,  # "Missed session"
    "gp_registered": 1,
    "completed": 3,
    "withdrawn": 1,
    "active": 3,
    "active_treating": 2,
    "active_waiting": 1,
    "fu3_due": 1,
    "fu3_done": 1,
    "fu6_due": 2,
    "fu6_done": 1,
    "fu12_due": 1,
    "fu12_done": 1,
    "reason.withdrawal.not-recorded": 1,
    "fu3.phq9.scored": 1,  # H in March: 24, worse than the 12 before treatment
    "fu12.phq9.scored": 1,  # J
    "fu12.phq9.improved": 1,
    "finished": 3,
    "phq9.pairs": 3,
    "phq9.improved": 2,
    "phq9.caseness": 2,
    "phq9.recovered": 2,
    "phq9.reliable_recovery": 2,
    "gad7.pairs": 2,
    "gad7.deteriorated": 1,
    "gad7.caseness": 2,
    "core.pairs": 1,
    "core.improved": 1,
    "core.caseness": 1,
    "core.recovered": 1,
    "core.reliable_recovery": 1,
    "iapt.pairs": 2,
    "iapt.caseness": 2,
    "iapt.improved": 1,
    "iapt.deteriorated": 1,
    "sush_start": 3,
    "sush_start_yes": 1,
    "sush_start_no": 2,
    "sush_end": 3,
    "sush_end_no": 3,
    "others_start": 2,
    "others_start_yes": 1,
    "others_start_no": 1,
    "others_end": 1,
    "others_end_no": 1,
    "wsas.pairs": 1,
    "k10.pairs": 1,
    # completed in the 12 months: D, E and H (supported housing at the start, the end not recorded)
    "accom_start.settled": 1,
    "accom_start.family": 1,
    "accom_start.supported": 1,
    "accom_end.settled": 2,
    "accom_end.not-recorded": 1,
    "accom_same": 1,
    "accom_settled": 1,
    "accom_unknown": 1,
    "referred_any": 1,
    "referred.therapy": 1,
    "referred.work": 1,
    "referred_none": 1,
    "referred_not_recorded": 1,  # H
    # assessed in the 12 months: A, C, D, E, F, G, I, K, L
    "assessed.referral_source=Probation": 5,
    "assessed.referral_source=Court staff": 1,
    "assessed.referral_source=Police custody officers": 1,
    "assessed.referral_source=Self-referral": 1,
    "assessed.referral_source=Legal representatives": 1,
    "assessed.gender=Female": 4,
    "assessed.gender=Male": 4,
    "assessed.gender=Non-binary": 1,
    "assessed.age_band=18-24": 1,
    "assessed.age_band=25-34": 4,
    "assessed.age_band=35-44": 2,
    "assessed.age_band=55-64": 1,
    "assessed.age_band=65+": 1,
    "assessed.ethnicity=White - British": 4,
    "assessed.ethnicity=Not recorded": 1,
    "assessed.ethnicity=Asian or Asian British - Indian": 1,
    "assessed.ethnicity=White - Irish": 1,
    "assessed.ethnicity=Mixed - White and Asian": 1,
    "assessed.ethnicity=Not stated": 1,
    "assessed.looked_after=Not recorded": 9,
    "assessed.ehc_plan=not applicable": 7,  # all but F (25 at assessment) and L (23)
    "assessed.ehc_plan=Not recorded": 2,
    "assessed.pregnancy=no": 1,  # D
    "assessed.pregnancy=Not recorded": 4,  # A, C, F, K
    "assessed.pregnancy=not applicable": 4,  # E, G, I, L
    "assessed.caring=no": 1,
    "assessed.caring=Not recorded": 8,
    "assessed.disability=yes": 1,
    "assessed.disability=Not recorded": 8,
    "assessed.armed_forces=no": 1,
    "assessed.armed_forces=yes": 1,
    "assessed.armed_forces=Not recorded": 7,
    "assessed.accommodation=Supported housing": 1,
    "assessed.accommodation=Homeless / rough sleeping": 1,
    "assessed.accommodation=Settled (owner or tenant)": 2,
    "assessed.accommodation=Living with family or friends": 1,
    "assessed.accommodation=Temporary or emergency accommodation": 1,
    "assessed.accommodation=Not recorded": 3,
    "assessed.offence_type=Theft": 4,
    "assessed.offence_type=Criminal Damage": 1,
    "assessed.offence_type=Drug offences": 1,
    "assessed.offence_type=Other": 1,
    "assessed.offence_type=Violence against the person": 1,
    "assessed.offence_type=Robbery": 1,
    "assessed.gp_registered=yes": 2,
    "assessed.gp_registered=Not recorded": 7,
}
# means and rates: (month, rolling); None where there is nothing to divide by
DERIVED = {
    "meetings_days": (6.0, 45 / 5),
    "first_days": (13.0, 118 / 5),
    "phq9.mean_pre": ((18 + 8) / 2, (18 + 8 + 12) / 3),
    "phq9.mean_post": ((6 + 9) / 2, (6 + 9 + 4) / 3),
    "phq9.improved_rate": (50.0, 200 / 3),
    "phq9.deteriorated_rate": (0.0, 0.0),
    "phq9.recovery_rate": (100.0, 100.0),
    "phq9.reliable_recovery_rate": (100.0, 100.0),
    "gad7.mean_pre": ((15 + 10) / 2,) * 2,
    "gad7.mean_post": ((12 + 16) / 2,) * 2,
    "gad7.improved_rate": (0.0, 0.0),
    "gad7.deteriorated_rate": (50.0, 50.0),
    "gad7.recovery_rate": (0.0, 0.0),
    "gad7.reliable_recovery_rate": (0.0, 0.0),
    "core.mean_pre": (20.0, 20.0),
    "core.mean_post": (5.0, 5.0),
    "core.improved_rate": (100.0, 100.0),
    "core.deteriorated_rate": (0.0, 0.0),
    "core.recovery_rate": (100.0, 100.0),
    "core.reliable_recovery_rate": (100.0, 100.0),
    "iapt.improved_rate": (50.0, 50.0),
    "iapt.deteriorated_rate": (50.0, 50.0),
    "iapt.recovery_rate": (0.0, 0.0),
    "iapt.reliable_recovery_rate": (0.0, 0.0),
    "wsas.mean_pre": (25.0, 25.0),
    "wsas.mean_post": (10.0, 10.0),
    "k10.mean_pre": (30.0, 30.0),
    "k10.mean_post": (20.0, 20.0),
    "fu3.phq9.mean": (None, 24.0),
    "fu12.phq9.mean": (9.0, 9.0),
}
