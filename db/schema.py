"""The schema, as an ordered list of migrations keyed by ``PRAGMA user_version``.

Each migration runs in one transaction: a database is either at the old version or the new one, never in
between, and only a migration may change the schema (``db.guard``). Audit triggers are generated from the
table definitions so every audited table is covered the same way; clinical tables refuse DELETE (records are
archived, never erased) and the audit table refuses UPDATE and DELETE (append-only) and chains each new row to
the one before it (``db.audit_chain``).
"""

from __future__ import annotations

from collections.abc import Callable

from db.database import Database
from db.errors import DatabaseError
from db.guard import schema_changes
from db.transaction import transaction

# Tables whose every change is written to the audit trail.
AUDITED = ("clients", "cases", "events", "tasks", "questionnaires", "assessments", "appointments", "documents",
           "settings")
# Clinical records: archived, never deleted.
NO_DELETE = ("clients", "cases", "events", "questionnaires", "tasks", "assessments", "appointments", "documents")

_V1 = """
CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    dob TEXT NOT NULL,
    nhs_number TEXT,
    gender TEXT,
    ethnicity TEXT,
    address TEXT,
    postcode TEXT,
    phone TEXT,
    gp_practice TEXT,
    gp_address TEXT,
    gp_registered TEXT,            -- 'yes' | 'no' | NULL (not known)
    gp_registered_date TEXT,
    gp_registered_via_mhtr INTEGER, -- registered with a GP as a result of the MHTR
    looked_after TEXT,             -- looked-after child / care leaver
    ehc_plan TEXT,
    pregnancy TEXT,
    caring TEXT,
    disability TEXT,
    armed_forces TEXT,
    accommodation TEXT,
    created_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE UNIQUE INDEX clients_nhs ON clients(nhs_number) WHERE nhs_number IS NOT NULL;

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    requirement TEXT NOT NULL DEFAULT 'MHTR',
    referral_source TEXT,
    offence_type TEXT,
    court TEXT,
    ro_name TEXT,
    ro_contact TEXT,
    risk_level TEXT,
    opened_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX cases_client ON cases(client_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    corrects INTEGER REFERENCES events(id),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX events_case ON events(case_id, date);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    case_id INTEGER REFERENCES cases(id),
    event_id INTEGER REFERENCES events(id),
    stage TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    reason TEXT,
    action TEXT,
    urgent INTEGER NOT NULL DEFAULT 0,
    period TEXT,
    origin TEXT NOT NULL DEFAULT 'checklist',
    closed_at TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX tasks_once ON tasks(
    coalesce(case_id, 0), key, coalesce(event_id, 0), coalesce(period, ''));
-- The Today query reads open tasks by due date: a partial index keeps it small as done tasks pile up.
CREATE INDEX tasks_open_due ON tasks(due) WHERE status = 'open';
CREATE INDEX tasks_case ON tasks(case_id, status);

CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    instrument TEXT NOT NULL,
    date TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    items TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX questionnaires_case ON questionnaires(case_id, instrument, date);

-- The assessment record (seed 004 Appendix 1) that the court report draws on; editable until sent.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    date TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '{}',
    sent_at TEXT,
    updated_at TEXT NOT NULL,
    archived_at TEXT
);
CREATE INDEX assessments_case ON assessments(case_id);

-- Booked appointments (the diary); what happened at one is recorded as a session event.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    starts_at TEXT NOT NULL,
    duration_min INTEGER NOT NULL DEFAULT 60,
    place TEXT,
    mode TEXT NOT NULL DEFAULT 'in person',
    status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'moved', 'held')),
    series TEXT,
    event_id INTEGER REFERENCES events(id),
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX appointments_when ON appointments(starts_at) WHERE status = 'booked';
CREATE INDEX appointments_case ON appointments(case_id, starts_at);

-- Word documents and exports the app has written (path, what, when), for the client's record.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    case_id INTEGER REFERENCES cases(id),
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX documents_case ON documents(case_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    who TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER,
    action TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX audit_row ON audit(tbl, row_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


# The SQL function the chain's trigger calls to hash a new row (``db.audit_link.register`` puts it on a connection).
AUDIT_LINK = "mhtr_audit_link"

# The triggers that keep the audit table append-only and chain each new row to the one before it
# (``db.audit_chain``): the only update ever allowed sets the hash of a row just inserted, once.
AUDIT_TABLE_TRIGGERS = {
    "audit_no_update": (
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL "
        + " ".join(f"OR NEW.{c} IS NOT OLD.{c}" for c in ("id", "at", "who", "tbl", "row_id", "action", "old", "new"))
        + " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    ),
    "audit_no_delete": (
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    ),
    "audit_chain": (
        f"CREATE TRIGGER audit_chain AFTER INSERT ON audit BEGIN UPDATE audit SET hash = {AUDIT_LINK}("
        "(SELECT hash FROM audit WHERE id < NEW.id ORDER BY id DESC LIMIT 1), "
        "NEW.id, NEW.at, NEW.who, NEW.tbl, NEW.row_id, NEW.action, NEW.old, NEW.new) WHERE id = NEW.id; END"
    ),
}


def column_names(db: Database, table: str) -> list[str]:
    """A table's columns in their order, as sqlite-utils's ``db[table].columns`` names them: read through the lean
    read path, so the start-up audit check (which rebuilds the expected triggers) does not load sqlite-utils, and a
    command that only reads never does."""
    return [row[1] for row in db.read(f"PRAGMA table_info([{table}])")]


def _json_object(db: Database, table: str, alias: str) -> str:
    cols = column_names(db, table)
    return "json_object(" + ", ".join(f"'{c}', {alias}.\"{c}\"" for c in cols) + ")"


def audit_triggers(db: Database, table: str) -> list[str]:
    """Triggers that copy every insert, update and delete on ``table`` into ``audit``."""
    pk = "rowid"
    new, old = _json_object(db, table, "NEW"), _json_object(db, table, "OLD")
    stmts = [f"DROP TRIGGER IF EXISTS audit_{table}_{a}" for a in ("ins", "upd", "del")]
    stmts += [
        f"CREATE TRIGGER audit_{table}_ins AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO audit (who, tbl, row_id, action, new) "
        f"VALUES (mhtr_user(), '{table}', NEW.{pk}, 'insert', {new}); END",
        f"CREATE TRIGGER audit_{table}_upd AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO audit (who, tbl, row_id, action, old, new) "
        f"VALUES (mhtr_user(), '{table}', NEW.{pk}, 'update', {old}, {new}); END",
        f"CREATE TRIGGER audit_{table}_del AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO audit (who, tbl, row_id, action, old) "
        f"VALUES (mhtr_user(), '{table}', OLD.{pk}, 'delete', {old}); END",
    ]
    if table in NO_DELETE:
        stmts += [
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} are archived, never deleted'); END",
        ]
    return stmts


def _v1(db: Database) -> None:
    for stmt in _V1.split(";\n"):
        if stmt.strip():
            db.execute(stmt)


def _refresh_audit(db: Database) -> None:
    for table in AUDITED:
        for stmt in audit_triggers(db, table):
            db.execute(stmt)


def _v2_appointment_fates(db: Database) -> None:
    """Why an appointment did not go ahead, structured for the weekly share with probation.

    ``cancelled_by`` is 'service' or 'client' (probation reads them differently), ``reason`` the words given,
    ``moved_to`` the appointment that replaced a moved one.
    """
    db.execute("ALTER TABLE appointments ADD COLUMN cancelled_by TEXT")
    db.execute("ALTER TABLE appointments ADD COLUMN reason TEXT")
    db.execute("ALTER TABLE appointments ADD COLUMN moved_to INTEGER REFERENCES appointments(id)")


def _v3_archive_reason(db: Database) -> None:
    """Why a case was archived (``client archive REF --reason``): ``archived_at`` says when, this says why.

    Clinical records are archived, never deleted, and an archive needs a reason a reader of the record (or the
    client, in a subject access request) can see. Unarchiving clears both; the audit trail keeps every earlier
    value.
    """
    db.execute("ALTER TABLE cases ADD COLUMN archive_reason TEXT")


def _v4_event_indexes(db: Database) -> None:
    """Indexes the Diary's week needs on a service years old (bench/RESULTS.md: a week took about 250 ms).

    Following a chain of corrections (``events.corrects = id``) read every event at each step, and so did
    "effective events" (``id NOT IN (SELECT corrects ...)``): a partial index holds only the corrections, a few
    rows. The week's sessions recorded without an appointment were found by reading every event: an index on
    the date finds the week's.
    """
    db.execute("CREATE INDEX IF NOT EXISTS events_corrects ON events(corrects) WHERE corrects IS NOT NULL")
    db.execute("CREATE INDEX IF NOT EXISTS events_kind_date ON events(kind, date)")


def _v5_audit_chain(db: Database) -> None:
    """Chain the audit trail: every row gets the hash of the row before it and of itself (``db.audit_chain``).

    The rows already there are chained in order, once, here (the only time rows of the trail are updated); from
    now on the ``audit_chain`` trigger hashes each new row in the statement that writes it.
    """
    from db.audit_link import link  # here, not at the top: every open imports this module, few migrate

    db.execute("ALTER TABLE audit ADD COLUMN hash TEXT")
    for name in AUDIT_TABLE_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    prev, batch = None, []
    for row in db.read("SELECT id, at, who, tbl, row_id, action, old, new FROM audit ORDER BY id"):
        prev = link(prev, *row)
        batch.append((prev, row[0]))
    db.conn.executemany("UPDATE audit SET hash = ? WHERE id = ?", batch)
    for sql in AUDIT_TABLE_TRIGGERS.values():
        db.execute(sql)


def _v6_appointment_times(db: Database) -> None:
    """An index on every appointment's start (``appointments_when`` holds only the booked ones).

    A booking's clash check asks for the appointments held or booked around each of its slots; without this it
    read the whole diary (about 6 ms a booking on a service years old, 60,000 appointments).
    """
    db.execute("CREATE INDEX IF NOT EXISTS appointments_starts ON appointments(starts_at)")


MIGRATIONS: list[Callable[[Database], None]] = [
    _v1,
    _v2_appointment_fates,
    _v3_archive_reason,
    _v4_event_indexes,
    _v5_audit_chain,
    _v6_appointment_times,
]


def schema_version(db: Database) -> int:
    return db.read("PRAGMA user_version").fetchone()[0]


def migrate(db: Database) -> int:
    """Bring the schema up to date; each step is all-or-nothing. Returns the version reached."""
    current = schema_version(db)
    target = len(MIGRATIONS)
    if current > target:
        raise DatabaseError(
            f"this database was written by a newer mhtr-tui (schema {current}, this version knows {target})"
        )
    for version in range(current, target):
        with transaction(db), schema_changes(db):
            MIGRATIONS[version](db)
            _refresh_audit(db)
            db.execute(f"PRAGMA user_version = {version + 1}")
    return target
