"""``mhtr-tui demo``: fill a database (the demo one unless --db says otherwise) with synthetic people."""

from __future__ import annotations

import argparse

from cli import common


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser("demo", help="fill the demo database with a synthetic caseload")
    p.add_argument("--clients", type=int, default=24, help="how many synthetic clients (default 24)")
    p.add_argument("--seed", type=int, default=7, help="random seed, for the same caseload again")
    add_db(p)
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.connection import building, connect, is_new
    from db.crypto import key_in_environment
    from db.paths import demo_path
    from service.core import Service

    path = Path(args.db).expanduser() if getattr(args, "db", None) else demo_path()
    if is_new(path):  # made whole beside it, then put in place (db.connection.building)
        with building(path, encrypt=key_in_environment()) as db:
            refs = Service(db, common.CLOCK).fill_demo(args.clients, args.seed)
    else:  # added to the demo already there, in one transaction
        refs = Service(connect(path, encrypt=key_in_environment()), common.CLOCK).fill_demo(args.clients, args.seed)
    print(f"{len(refs)} synthetic clients added to {path}")
    print(f"open it with: mhtr-tui --db {path}" if getattr(args, "db", None) else "open it with: mhtr-tui --demo")
    return 0
