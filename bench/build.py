"""A synthetic MHTR service, years old, written straight into the app's own database format.

Every case follows a realistic path (screening at court, assessment, Clinical Lead decision, court, sessions,
completion, follow-ups), each event is checked by the app's own rules (``vocabulary.event_kinds.check_event``) and its
tasks come from the app's own checklist engine, exactly as ``records.casework.record_event`` would make them.
What is skipped is only the slow part: instead of one transaction per event, the rows are computed in memory
and written with ``executemany`` through the real schema (audit triggers included), so a ten-year service of
5,000 clients builds in well under a minute.

A practitioner keeps up: tasks due long ago are done (a few skipped), most of the last fortnight's are done,
and what remains open is a few hundred overdue or due soon, plus the future-dated items of active cases.

Built databases are cached in ``bench/data/`` (git-ignored), keyed by scale, seed, build date and
``BUILDER_VERSION``; ``ensure(scale)`` returns the cached file or builds it.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

BUILDER_VERSION = 4
DATA_DIR = Path(__file__).resolve().parent / "data"
PRACTITIONERS = ("jamie.rowe", "sam.okafor", "priya.begum", "alex.hart", "chris.lund")


@dataclass(frozen=True)
class Scale:
    """How big a service to build. ``tasks`` is not set directly: it follows from the checklist."""

    name: str
    clients: int
    sessions: int
    questionnaires: int
    years: int
    tasks_hint: int  # what the issue asks for, to print beside what the checklist produced


SCALES = {
    "large": Scale("large", clients=5000, sessions=60_000, questionnaires=40_000, years=10, tasks_hint=300_000),
    # The size issue 2 asks for: 2,000 clients and about 150,000 tasks.
    "issue2": Scale("issue2", clients=2000, sessions=28_000, questionnaires=16_000, years=5, tasks_hint=150_000),
}


def tiny(clients: int = 50) -> Scale:
    """A small service for tests (same shape, same code path)."""
    return Scale(f"tiny{clients}", clients=clients, sessions=clients * 12, questionnaires=clients * 8, years=3,
                 tasks_hint=clients * 60)


# --- one case's history -----------------------------------------------------------------------------------

NOT_ELIGIBLE = (
    "No mental health need meeting the threshold",
    "Needs secondary care (CMHT) instead",
    "Did not consent to assessment",
)
OUTCOMES = (
    ("attended", 0.83),
    ("acceptable-absence", 0.07),
    ("unacceptable-absence", 0.04),
    ("cancelled-by-service", 0.03),
    ("rescheduled", 0.03),
)


def _working(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _outcome(rng: random.Random) -> str:
    roll = rng.random()
    for name, p in OUTCOMES:
        if roll < p:
            return name
        roll -= p
    return "attended"


@dataclass
class CasePlan:
    start: date
    path: str  # not-eligible | cl-declined | court-declined | withdrawn | completed
    planned: int
    interval: int
    seed: int
    extras: int = 0
    events: list[tuple[str, date, dict]] = field(default_factory=list)


def _events(plan: CasePlan, today: date) -> list[tuple[str, date, dict]]:
    """The case's events in order, as typed by a practitioner; those after ``today`` have not happened yet."""
    from vocabulary.stages import order_end

    rng = random.Random(plan.seed)
    d0 = _working(plan.start)
    ev: list[tuple[str, date, dict]] = [("screening", d0, {})]
    if plan.path == "not-eligible":
        when = _working(d0 + timedelta(days=rng.randrange(0, 4)))
        ev.append(("not-eligible", when, {"reason": rng.choice(NOT_ELIGIBLE)}))
        return [e for e in ev if e[1] <= today]
    a = _working(d0 + timedelta(days=rng.choice((0, 0, 1, 2))))
    ev += [("assessment", a, {}), ("consent", a, {})]
    c = _working(a + timedelta(days=rng.randrange(1, 4)))
    if plan.path == "cl-declined":
        ev.append(("cl-decision", c, {"decision": "declined", "reason": "Needs better met by secondary care"}))
        return [e for e in ev if e[1] <= today]
    ev.append(("cl-decision", c, {"decision": "approved"}))
    r = _working(c + timedelta(days=rng.randrange(0, 2)))
    ev.append(("court-report-sent", r, {}))
    if rng.random() < 0.25:
        ev.append(("adjournment", r + timedelta(days=1), {"reason": "Court-led adjournment"}))
    s = _working(r + timedelta(days=rng.randrange(5, 15)))
    if plan.path == "court-declined":
        ev.append(("court-outcome", s, {"outcome": "declined", "reason": "Court imposed a custodial sentence"}))
        return [e for e in ev if e[1] <= today]
    order = rng.choice(("CO", "CO", "SSO"))
    # The order is long enough for the plan (its sessions, a third more for absences, from about five weeks after
    # sentence), up to the 24 months a suspended sentence's supervision can run: sessions are held within it.
    need = 36 + plan.planned * plan.interval * 4 // 3
    months = max(rng.choice((6, 9, 12, 12)), min(24, -(-need // 30)))
    ev.append(
        (
            "court-outcome",
            s,
            {
                "outcome": "accepted",
                "order": order,
                "length_months": months,
                "sessions": plan.planned,
                "sentenced_on_day": rng.random() < 0.6,
                "combined": rng.choice((None,) * 8 + ("DRR", "ATR")),
            },
        )
    )
    ev.append(("case-meeting", _working(s + timedelta(days=rng.randrange(4, 13))), {}))
    d = _working(s + timedelta(days=rng.randrange(14, 36)))
    attended = absences = 0
    stop_after = rng.randrange(2, max(3, plan.planned - 2)) if plan.path == "withdrawn" else None
    end = order_end(s, months)
    while attended < plan.planned and d <= end:
        outcome = _outcome(rng)
        ev.append(("session", d, {"outcome": outcome}))
        attended += outcome == "attended"
        if outcome == "unacceptable-absence":
            absences += 1
            if absences == 2 and rng.random() < 0.4:
                ev.append(("breach", _working(d + timedelta(days=6)), {"reason": "Second unacceptable absence"}))
        d = _working(d + timedelta(days=plan.interval))
        if stop_after is not None and attended >= stop_after:
            ev.append(("withdrawal", _working(d + timedelta(days=2)), {}))
            return [e for e in ev if e[1] <= today]
    done = _working(ev[-1][1] + timedelta(days=rng.randrange(2, 8)))
    ev.append(("completion", done, {}))
    for i in range(plan.extras):
        ev.append(("session", _working(done + timedelta(days=14 * (i + 1))), {"outcome": "attended", "extra": True}))
    for m, p in ((3, 0.96), (6, 0.95), (12, 0.97)):
        if rng.random() < p:
            when = _working(done + timedelta(days=int(m * 30.5) + rng.randrange(0, 10)))
            ev.append(("follow-up", when, {"months": m}))
    return [e for e in ev if e[1] <= today]


def _plans(rng: random.Random, scale: Scale, today: date) -> list[CasePlan]:
    """One case per client, a few clients referred again years later; sessions tuned to ``scale.sessions``."""
    first_day = today - timedelta(days=int(365.25 * scale.years))
    span = (today - first_day).days
    plans = []
    n_cases = scale.clients + scale.clients // 25
    for _i in range(n_cases):
        # Referrals grow a little over the years.
        start = first_day + timedelta(days=int(span * rng.random() ** 0.85))
        roll = rng.random()
        path = (
            "not-eligible" if roll < 0.10 else
            "cl-declined" if roll < 0.16 else
            "court-declined" if roll < 0.25 else
            "withdrawn" if roll < 0.32 else
            "completed"
        )
        plans.append(CasePlan(start, path, rng.choice((12, 12, 12, 16, 16, 20)), rng.choice((7, 7, 14)),
                              seed=rng.getrandbits(48)))
    # Bring the number of sessions to the target: first by the planned number, then by extra sessions.
    for p in plans:
        p.events = _events(p, today)

    def sessions(events: list) -> int:
        return sum(k == "session" for k, _, _ in events)

    completed = [p for p in plans if any(k == "completion" for k, _, _ in p.events)]
    rng.shuffle(completed)
    have = sum(sessions(p.events) for p in plans)
    for p in completed:
        if have <= scale.sessions:
            break
        if p.planned > 8:
            old = sessions(p.events)
            p.planned -= 4
            p.events = _events(p, today)
            have += sessions(p.events) - old
    for extra in (1, 2, 3):
        for p in completed:
            if have >= scale.sessions:
                break
            old = sessions(p.events)
            p.extras = extra
            p.events = _events(p, today)
            have += sessions(p.events) - old
    return plans


# --- the whole service --------------------------------------------------------------------------------------


def _stamp(d: date, rng: random.Random) -> str:
    return f"{d.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"


def _form(rng: random.Random, n: int, hi: int, level: int) -> list[int]:
    return [max(0, min(hi, level + rng.choice((-1, 0, 0, 1)))) for _ in range(n)]


def _items(rng: random.Random, instrument: str, level: int) -> list[int]:
    if instrument == "PHQ-9":
        items = _form(rng, 9, 3, level)
        items[8] = 0 if rng.random() < 0.9 else 1
        return items
    if instrument == "GAD-7":
        return _form(rng, 7, 3, level)
    return [0 if i in (6, 11, 15, 23, 26, 33) else v for i, v in enumerate(_form(rng, 34, 4, level), 1)]


def generate(scale: Scale, today: date, seed: int = 8) -> dict[str, list[tuple]]:
    """Every row of the service, ready for ``executemany``; pure apart from reading the checklist file."""
    from checklists.engine import closures_for_event, recurring_tasks, tasks_for_event
    from checklists.model import load
    from db.records import CASE_FIELDS, CLIENT_FIELDS
    from demo.people import client_fields, synthetic_nhs_number
    from records.clients import clean_client_fields
    from records.questionnaire_records import RISK_TASK_KEY
    from records.task_actions import RECURRING_SINCE
    from vocabulary.event_kinds import check_event
    from vocabulary.stages import Event, derive_state

    rng = random.Random(seed)
    checklist = load(None)
    plans = _plans(rng, scale, today)
    plans.sort(key=lambda p: p.start)

    # Clients: one per case, except the second referrals, which reuse an earlier client.
    clients: list[tuple] = []
    cases: list[tuple] = []
    case_client: list[int] = []
    nhs_seen: set[str] = set()
    client_cols = ("id", *CLIENT_FIELDS, "created_at")
    case_cols = ("id", "ref", "client_id", *CASE_FIELDS, "opened_at")
    again = set(rng.sample(range(min(len(plans), 20), len(plans)), len(plans) - scale.clients))
    for case_id, plan in enumerate(plans, 1):
        if case_id - 1 in again:
            client_id = rng.randrange(1, len(clients) + 1)
            fields = client_fields(rng, case_id, today)
        else:
            fields = client_fields(rng, case_id, today)
            while fields["nhs_number"] in nhs_seen:
                fields["nhs_number"] = synthetic_nhs_number(rng)
            nhs_seen.add(fields["nhs_number"])
            clean = clean_client_fields(fields, today, test_numbers=True)  # synthetic people, 999 numbers
            client_id = len(clients) + 1
            row = {k: clean.get(k) for k in CLIENT_FIELDS}
            clients.append((client_id, *row.values(), _stamp(plan.start, rng)))
        case = {k: fields.get(k) for k in CASE_FIELDS}
        case["requirement"] = "MHTR"
        cases.append((case_id, f"MHTR-{case_id:04d}", client_id, *case.values(), _stamp(plan.start, rng)))
        case_client.append(client_id)

    # Events in the order they were recorded across the service, so ids rise with time as in real use.
    pending = sorted(
        (when, case_id, n, kind, data)
        for case_id, p in enumerate(plans, 1)
        for n, (kind, when, data) in enumerate(p.events)
    )
    events: list[tuple] = []
    task_rows: list[list] = []  # mutable: status, reason and closed_at are settled at the end
    history: dict[int, list] = {}
    state: dict[int, object] = {}
    open_by_key: dict[tuple[int, str], list[int]] = {}
    for when, case_id, _, kind, data in pending:
        hist = history.setdefault(case_id, [])
        clean = check_event(kind, when, data, hist, today)
        event_id = len(events) + 1
        before = state.get(case_id) or derive_state(hist)
        event = Event(kind, when, clean, event_id)
        hist.append(event)
        after = derive_state(hist)
        state[case_id] = after
        user = PRACTITIONERS[case_id % len(PRACTITIONERS)]
        recorded = _stamp(when, rng)
        events.append((event_id, case_id, kind, when.isoformat(), json.dumps(clean, sort_keys=True), None, recorded,
                       user))
        for c in closures_for_event(checklist, event, before, after):
            for idx in open_by_key.pop((case_id, c.key), []):
                t = task_rows[idx]
                t[7], t[8], t[13] = c.status, c.reason, recorded
        for s in tasks_for_event(checklist, event, before, after):
            idx = len(task_rows)
            task_rows.append([idx + 1, case_id, event_id, s.stage, s.key, s.title, s.due.isoformat(), "open", None,
                              s.action, int(s.urgent), s.period, s.origin, None, recorded])
            open_by_key.setdefault((case_id, s.key), []).append(idx)

    # Questionnaires: pre and post for every treated case, then follow-ups and in-treatment reviews to the total.
    must: list[tuple] = []
    may: list[tuple] = []
    for case_id, p in enumerate(plans, 1):
        level = rng.choice((1, 2, 2, 3))
        for kind, when, data in p.events:
            if kind == "assessment":
                must += [(when, case_id, ins, "pre", level) for ins in ("PHQ-9", "GAD-7", "CORE-OM")]
            elif kind == "completion":
                must += [(when, case_id, ins, "post", max(0, level - 1)) for ins in ("PHQ-9", "GAD-7", "CORE-OM")]
            elif kind == "follow-up":
                tp = f"follow-up-{data['months']}"
                may += [(when, case_id, ins, tp, max(0, level - 1)) for ins in ("PHQ-9", "GAD-7")]
            elif kind == "session" and data.get("outcome") == "attended":
                may += [(when, case_id, ins, "session", level) for ins in ("PHQ-9", "GAD-7")]
    rng.shuffle(may)
    chosen = sorted(must + may[: max(0, scale.questionnaires - len(must))])[: scale.questionnaires]
    questionnaires = []
    for qid, (when, case_id, ins, tp, level) in enumerate(chosen, 1):
        items = _items(rng, ins, level)
        recorded = _stamp(when, rng)
        questionnaires.append((qid, case_id, ins, when.isoformat(), tp, json.dumps(items), recorded))
        if ins == "PHQ-9" and items[8] > 0:
            idx = len(task_rows)
            title = f"{checklist.item(RISK_TASK_KEY).title} ({ins} item 9)"
            task_rows.append([idx + 1, case_id, None, "risk", RISK_TASK_KEY, title, when.isoformat(), "open", None,
                              None, 1, f"questionnaire-{qid}", "risk", None, recorded])

    # The practitioner's weekly and monthly tasks over the service's life, up to a week ahead (as the app does).
    service_start = plans[0].start
    for s in recurring_tasks(checklist, service_start, today + timedelta(days=7)):
        idx = len(task_rows)
        made = _stamp(min(s.due, today) - timedelta(days=7), rng)
        task_rows.append([idx + 1, None, None, s.stage, s.key, s.title, s.due.isoformat(), "open", None, s.action,
                          int(s.urgent), s.period, s.origin, None, made])

    # A practitioner who keeps up: old tasks done (a few skipped), the last fortnight mostly done.
    for t in task_rows:
        if t[7] != "open":
            continue
        due = date.fromisoformat(t[6])
        age = (today - due).days
        keep_open = age <= 0 or (age <= 14 and rng.random() < 0.12) or (age > 14 and rng.random() < 0.0007)
        if keep_open:
            continue
        if rng.random() < 0.03:
            t[7], t[8] = "skipped", "Not needed for this client"
        else:
            t[7] = "done"
        t[13] = _stamp(due + timedelta(days=rng.choice((0, 0, 0, 1, 2))), rng)

    appointments = _appointments(rng, plans, events, today)
    settings = [(RECURRING_SINCE, service_start.isoformat()), ("service_name", "Synthetic MHTR Service (bench)"),
                ("bench", "1"), ("synthetic", "1")]  # NHS test numbers belong here
    return {
        "clients": (client_cols, clients),
        "cases": (case_cols, cases),
        "events": (("id", "case_id", "kind", "date", "data", "corrects", "recorded_at", "recorded_by"), events),
        "tasks": (
            ("id", "case_id", "event_id", "stage", "key", "title", "due", "status", "reason", "action", "urgent",
             "period", "origin", "closed_at", "created_at"),
            [tuple(t) for t in task_rows],
        ),
        "questionnaires": (
            ("id", "case_id", "instrument", "date", "timepoint", "items", "recorded_at"),
            questionnaires,
        ),
        "appointments": (
            ("id", "case_id", "starts_at", "duration_min", "place", "mode", "status", "series", "event_id", "note",
             "created_at", "cancelled_by", "reason"),
            appointments,
        ),
        "settings": (("key", "value"), settings),
    }


def _appointments(rng: random.Random, plans: list[CasePlan], events: list[tuple], today: date) -> list[tuple]:
    """A diary entry behind every session, and the next few weeks booked for cases in treatment."""
    out: list[tuple] = []
    last_session: dict[int, tuple[date, int]] = {}
    for event_id, case_id, kind, when, data, *_ in events:
        if kind != "session":
            continue
        d = date.fromisoformat(when)
        outcome = json.loads(data)["outcome"]
        hour = 9 + (case_id * 3 + d.toordinal()) % 8
        status, by, why = "held", None, None
        if outcome == "cancelled-by-service":
            status, by, why = "cancelled", "service", "Practitioner unwell"
        elif outcome == "rescheduled":
            status, by, why = "moved", "client", "Clash with work"
        out.append((len(out) + 1, case_id, f"{when}T{hour:02d}:00", 60, "Riverside clinic", "in person", status,
                    None, event_id, None, f"{(d - timedelta(days=7)).isoformat()}T10:00:00Z", by, why))
        last_session[case_id] = (d, plans[case_id - 1].interval)
    for case_id, (d, interval) in last_session.items():
        kinds = {k for k, _, _ in plans[case_id - 1].events}
        if kinds & {"completion", "withdrawal"} or d < today - timedelta(days=28):
            continue
        nxt = d
        for _ in range(3):
            nxt = _working(nxt + timedelta(days=interval))
            if nxt <= today:
                continue
            hour = 9 + (case_id * 3 + nxt.toordinal()) % 8
            out.append((len(out) + 1, case_id, f"{nxt.isoformat()}T{hour:02d}:00", 60, "Riverside clinic", "in person",
                        "booked", f"series-{case_id}", None, None, f"{today.isoformat()}T09:00:00Z", None, None))
    return out


def write(path: Path, rows: dict[str, tuple[tuple, list[tuple]]]) -> None:
    """Create the database with the app's own ``connect`` (schema, migrations, triggers), then bulk-insert."""
    from db.connection import connect

    db = connect(path, create=True)
    conn: sqlite3.Connection = db.conn
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN IMMEDIATE")
    for table in ("clients", "cases", "events", "tasks", "questionnaires", "appointments", "settings"):
        cols, data = rows[table]
        if table == "settings":
            conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", data)
            continue
        conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})", data)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    db.close()


def counts(path: Path) -> dict[str, int]:
    """What the database holds, counted the way the issue counts."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        today = date.today().isoformat()
        return {
            "clients": q("SELECT count(*) FROM clients"),
            "cases": q("SELECT count(*) FROM cases"),
            "events": q("SELECT count(*) FROM events"),
            "sessions": q("SELECT count(*) FROM events WHERE kind = 'session'"),
            "tasks": q("SELECT count(*) FROM tasks"),
            "open_tasks": q("SELECT count(*) FROM tasks WHERE status = 'open'"),
            "open_overdue_or_today": q(f"SELECT count(*) FROM tasks WHERE status = 'open' AND due <= '{today}'"),
            "questionnaires": q("SELECT count(*) FROM questionnaires"),
            "appointments": q("SELECT count(*) FROM appointments"),
            "audit": q("SELECT count(*) FROM audit"),
            "bytes": path.stat().st_size,
        }
    finally:
        conn.close()


def build(path: Path, scale: Scale, today: date | None = None, seed: int = 8) -> dict:
    """Build ``scale`` at ``path`` (replacing it); returns the counts and the seconds it took."""
    today = today or date.today()
    t0 = time.perf_counter()
    rows = generate(scale, today, seed)
    t1 = time.perf_counter()
    tmp = path.with_name(path.name + ".part")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    os.environ.setdefault("MHTR_USER", PRACTITIONERS[0])
    write(tmp, rows)
    tmp.replace(path)
    t2 = time.perf_counter()
    info = counts(path)
    info.update(generate_s=round(t1 - t0, 1), write_s=round(t2 - t1, 1), built=today.isoformat())
    return info


def cached_path(scale: Scale, today: date, seed: int = 8) -> Path:
    """Keyed by what the data depends on: scale, build day, seed, this builder and the app's schema version."""
    from db.schema import MIGRATIONS

    return DATA_DIR / f"{scale.name}-{today.isoformat()}-s{seed}-v{BUILDER_VERSION}-m{len(MIGRATIONS)}.db"


def ensure(scale: Scale, today: date | None = None, seed: int = 8, log=print) -> tuple[Path, dict]:
    """The cached database for ``scale`` built today (built now if missing); stale builds are removed."""
    today = today or date.today()
    path = cached_path(scale, today, seed)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Earlier builds go, with the app's own daily backups of them (bench/data/backups, 350 MB each).
    for old in [*DATA_DIR.glob(f"{scale.name}-*"), *(DATA_DIR / "backups").glob(f"{scale.name}-*")]:
        old.unlink()
    log(f"building the {scale.name} service ({scale.clients} clients) in {path.relative_to(DATA_DIR.parent.parent)}")
    info = build(path, scale, today, seed)
    meta.write_text(json.dumps(info, indent=2))
    log(f"  built in {info['generate_s'] + info['write_s']:.0f} s: {info}")
    return path, info


if __name__ == "__main__":
    import sys

    name = sys.argv[1] if len(sys.argv) > 1 else "large"
    scale = SCALES[name] if name in SCALES else tiny(int(name))
    print(ensure(scale))
