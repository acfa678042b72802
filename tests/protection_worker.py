"""A writer process for the durability tests: it writes through the app's own write path and prints each
acknowledgement only after the commit returned, so the parent knows exactly which saves were confirmed.

    python -m tests.protection_worker add DB TAG COUNT        add clients, print each case reference
    python -m tests.protection_worker count DB N              N read-increment-write steps via transaction()
    python -m tests.protection_worker count-deferred DB N     the same without BEGIN IMMEDIATE (must fail)
    python -m tests.protection_worker hold DB SECONDS         hold the write lock, print 'locked'
    python -m tests.protection_worker clients DB              print how many clients it sees, then close
(MHTR_KEY, if set, opens an encrypted database; WORKER_START_AT, an epoch time, makes workers start together;
WORKER_STOP_FILE, a path, ends 'add' early once that file exists, so a test can keep a writer busy for as long as
it needs however fast the machine writes.)
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date

from db import records as rec
from db.connection import connect
from db.transaction import transaction
from records.clients import add_client

TODAY = date(2026, 11, 20)


def main(argv: list[str]) -> int:
    mode, path = argv[0], argv[1]
    db = connect(path)
    start_at = os.environ.get("WORKER_START_AT")  # several workers begin together, whenever each got started
    if start_at:
        time.sleep(max(0.0, float(start_at) - time.time()))
    if mode == "add":
        tag, count = argv[2], int(argv[3])
        stop = os.environ.get("WORKER_STOP_FILE")
        for i in range(count):
            if stop and os.path.exists(stop):
                break
            ref = add_client(db, {"name": f"Worker {tag} {i}", "dob": "1980-01-01"}, TODAY)
            print(f"{ref} Worker {tag} {i}", flush=True)
    elif mode == "count":
        for _ in range(int(argv[2])):
            with transaction(db):
                value = int(rec.get_setting(db, "counter", "0"))
                rec.set_setting(db, "counter", str(value + 1))
    elif mode == "count-deferred":
        errors = 0
        for _ in range(int(argv[2])):
            try:
                db.execute("BEGIN")
                value = int(rec.get_setting(db, "counter", "0"))
                rec.set_setting(db, "counter", str(value + 1))
                db.execute("COMMIT")
            except Exception as exc:  # the driver's OperationalError: "database is locked"
                errors += "locked" in str(exc)
                if db.conn.in_transaction:
                    db.execute("ROLLBACK")
        print(errors, flush=True)
    elif mode == "clients":
        print(db.execute("SELECT count(*) FROM clients").fetchone()[0], flush=True)
    elif mode == "hold":
        db.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        time.sleep(float(argv[2]))
        db.execute("ROLLBACK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
