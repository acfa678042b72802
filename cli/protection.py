"""``mhtr-tui init [--encrypt] | backup [PATH] | restore FILE | rekey | audit verify | sar REF [-o PATH]``."""

from __future__ import annotations

import argparse

from cli.common import db_path, open_db, open_service, print_json


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser("init", help="create a database (with --encrypt: SQLCipher; key asked for, or MHTR_KEY)")
    p.add_argument("--encrypt", action="store_true", help="encrypt the database (recommended for real records)")
    add_db(p)
    p.set_defaults(handler=_init)

    p = sub.add_parser("backup", help="make a checked backup now (default: the backups folder beside the database)")
    p.add_argument("path", nargs="?", metavar="PATH", help="a new file name, or a folder to write a dated copy into")
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_backup)

    p = sub.add_parser("restore", help="replace the database by a checked backup (the replaced one is kept)")
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    add_db(p)
    p.set_defaults(handler=_restore)

    p = sub.add_parser("rekey", help="change the database key (a plain database becomes encrypted); MHTR_NEW_KEY")
    add_db(p)
    p.set_defaults(handler=_rekey)

    p = sub.add_parser("audit", help="check the audit trail")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help="walk the whole audit chain; non-zero and the first broken entry if tampered")
    v.add_argument("--json", action="store_true")
    add_db(v)
    v.set_defaults(handler=_audit_verify)

    p = sub.add_parser("sar", help="subject access request: everything held on one client, as a Word document")
    p.add_argument("ref", metavar="REF")
    p.add_argument("-o", "--output", metavar="PATH", help="file or folder (default: sar-REF-DATE.docx here)")
    p.add_argument("--received", metavar="DATE", help="the day the request was received (default: today)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing file of that name")
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_sar)


def _init(args: argparse.Namespace) -> int:
    from cli.keys import ask_new_key
    from db.connection import connect
    from db.crypto import KEY_ENV
    from vocabulary.identity import ValidationError

    path = db_path(args)
    if path.exists() and path.stat().st_size > 0:
        raise ValidationError(f"{path} already exists (use rekey to encrypt or change the key of a database)")
    key = ask_new_key(path, KEY_ENV) if args.encrypt else None
    if args.encrypt and key is None:
        raise ValidationError(f"--encrypt needs a key: run in a terminal to type it, or set {KEY_ENV}")
    db = connect(path, create=True, key=key, encrypt=args.encrypt)
    db.close()
    if args.encrypt:
        print(f"created {path} (encrypted: keep the key safe, it cannot be recovered)")
    else:
        print(f"created {path} (not encrypted; for real records use: mhtr-tui init --encrypt)")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from db.backup import backup

    db = open_db(args, daily_backup=False)
    made = backup(db, args.path)
    if args.json:
        print_json({"backup": str(made)})
    else:
        print(f"backed up to {made} (checked: it opens and passes the integrity check)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from cli.keys import ask_key
    from db.backup import restore
    from db.connection import connect
    from db.crypto import is_encrypted, resolve_key

    path = db_path(args)
    key = None
    if is_encrypted(args.file) or is_encrypted(path):
        key = resolve_key(path, ask_key)
    done = restore(args.file, path, key)
    connect(path, create=False, key=key).close()  # reopens it: health check, and any migration it needs
    print(f"restored {path} from {args.file}")
    if done.saved:
        print(f"the database it replaced is kept as {done.saved}")
    return 0


def _rekey(args: argparse.Namespace) -> int:
    from cli.keys import ask_key, ask_new_key
    from db.crypto import NEW_KEY_ENV, is_encrypted, resolve_key
    from db.paths import no_database
    from db.rekey import rekey_database
    from vocabulary.identity import ValidationError

    path = db_path(args)
    if not path.is_file() or path.stat().st_size == 0:
        raise no_database(path)
    old = resolve_key(path, ask_key) if is_encrypted(path) else None
    new = ask_new_key(path, NEW_KEY_ENV)
    if new is None:
        raise ValidationError(f"rekey needs the new key: run in a terminal to type it, or set {NEW_KEY_ENV}")
    changed, left = rekey_database(path, old, new)
    print(f"{path} is {'now encrypted' if old is None else 're-keyed'}; {len(changed)} backup(s) re-keyed to match")
    for b in left:
        print(f"  not changed (the old key does not open it): {b}")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    """Every entry of the trail re-hashed from the first, the head recorded outside the database compared, and
    every record replayed against the trail; the first finding refuses (exit 2) with the restore command."""
    from db import audit_chain
    from db.transaction import read_only_reason

    path = db_path(args)
    recorded, where = audit_chain.recorded_head(path)  # before opening, which records the head when it passes
    db = open_db(args, daily_backup=False)
    findings = audit_chain.structure_problems(db)
    count, head, broken = (0, None, None) if findings else audit_chain.walk(db.conn)
    findings += [broken] if broken else []
    if not findings:
        findings += [f for f in [audit_chain.head_problem(db.conn, recorded, where)] if f]
        findings += audit_chain.replay_problems(db)
    if findings:
        raise audit_chain.broken(path, findings[0])
    reason = read_only_reason(db)
    if reason is not None:
        raise audit_chain.AuditBroken(reason)
    if args.json:
        print_json({"ok": True, "entries": count, "head": head.as_dict() if head else None})
        return 0
    if head is None:
        print("the audit trail is empty (nothing has been recorded yet)")
        return 0
    print(f"the audit trail is sound: {count} entries, each chained to the one before; head {head.hash}")
    return 0


def _sar(args: argparse.Namespace) -> int:
    from vocabulary.dates import RECEIVED_DATE, parse_date

    service = open_service(args)
    received = parse_date(args.received, service.today, RECEIVED_DATE) if args.received else None
    path, report = service.subject_access(args.ref, args.output, received, overwrite=args.overwrite)
    if args.json:
        print_json(
            {
                "path": str(path),
                "ref": report["ref"],
                "cases": [c["case"]["ref"] for c in report["cases"]],
                "received": report["received"].isoformat(),
                "due": report["due"].isoformat(),
                "audit_rows": len(report["audit"]),
                "review": report["review"],
            }
        )
        return 0
    print(f"wrote {path} (response due by {report['due']:%d/%m/%Y})")
    for where in report["review"]:
        print(f"  review before release: {where} mentions another person held here")
    return 0
