"""``mhtr-tui tasks`` and ``mhtr-tui task done | skip | due``."""

from __future__ import annotations

import argparse

from cli.common import console, open_service, print_json


def register(sub: argparse._SubParsersAction, add_db) -> None:
    p = sub.add_parser("tasks", help="list tasks (default: overdue and due today)")
    p.add_argument("--client", metavar="REF", help="one case's tasks")
    p.add_argument("--due", default="today", choices=["today", "overdue", "week", "all"])
    p.add_argument("--json", action="store_true")
    add_db(p)
    p.set_defaults(handler=_tasks)

    t = sub.add_parser("task", help="tick, skip or reschedule one task")
    tsub = t.add_subparsers(dest="task_command", metavar="SUBCOMMAND", required=True)
    done = tsub.add_parser("done", help="mark a task done")
    done.add_argument("id")
    skip = tsub.add_parser("skip", help="skip a task, with a reason")
    skip.add_argument("id")
    skip.add_argument("--reason", required=True)
    due = tsub.add_parser("due", help="move a task to another date")
    due.add_argument("id")
    due.add_argument("date", nargs="+", help="e.g. 20/12/2026, next fri, in 2 weeks")
    for parser, handler in ((done, _done), (skip, _skip), (due, _due)):
        add_db(parser)
        parser.set_defaults(handler=handler)


def _tasks(args: argparse.Namespace) -> int:
    from records.app_done import done_by_app
    from records.views import STATUS_MARK

    service = open_service(args)
    if args.client:
        service.case(args.client)  # refuse an unknown case before writing anything
    service.ensure_recurring()
    rows = service.tasks(args.due, args.client)
    if args.json:
        print_json(rows)
        return 0
    from rich.table import Table
    from rich.text import Text

    from vocabulary.dates import uk

    # Cells as Text, not markup: a title or reason is shown exactly as written.
    table = Table("ID", "", "Due", "Client", "Task", box=None)
    for r in rows:
        due = Text(uk(r["due"]), style="red" if r["overdue"] else "")
        shown = r["status"] == "skipped" or done_by_app(r.get("reason"))
        title = r["title"] + (f" ({r['reason']})" if shown and r.get("reason") else "")
        table.add_row(str(r["id"]), Text(STATUS_MARK[r["status"]]), due, r["client"] or "(you)", Text(title))
    console().print(table)
    if not rows:
        print("nothing due")
    return 0


def _done(args: argparse.Namespace) -> int:
    service = open_service(args)
    if service.task(args.id)["status"] == "done":
        print(f"task {args.id} is already done")
        return 0
    change = service.tick(args.id)
    print(f"done: {change.title}")
    return 0


def _skip(args: argparse.Namespace) -> int:
    change = open_service(args).skip(args.id, args.reason)
    print(f"skipped: {change.title}")
    return 0


def _due(args: argparse.Namespace) -> int:
    change = open_service(args).reschedule(args.id, " ".join(args.date))
    print(f"{change.verb}: {change.title}")
    return 0
