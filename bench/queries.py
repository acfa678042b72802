"""The Today query and ``mhtr-tui tasks --due today --json``, each beside its floor.

* In process: ``records.views.tasks`` (+ ``task_counts``), what the Today screen runs, against the same SQL
  text run on a bare ``sqlite3`` connection with ``fetchall()``.
* Whole command: ``mhtr-tui tasks --due today --json`` against a bare Python that runs the same query and prints
  the same rows as JSON, against the ``sqlite3`` shell (``-json``), and against Taskwarrior
  (``task due.before:tomorrow status:pending list``) holding the same tasks, where ``task`` is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from db.tasks import due_tasks_query, task_counts_query

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# The floors run the app's own SQL texts (db.tasks builds them; the bare connection runs them): the same query by
# construction. `tasks --due today`: open tasks due on or before a date (archived cases left out), with case and
# client, its one parameter that date.
TODAY_SQL = due_tasks_query(until=date.today())[0]

RAW_PRINT = r"""
import json, sqlite3, sys
from datetime import date
sql, path = sys.argv[1], sys.argv[2]
today = date.today().isoformat()
conn = sqlite3.connect(path)
conn.row_factory = sqlite3.Row
rows = conn.execute(sql, [today]).fetchall()
out = [{"id": r["id"], "client": r["ref"], "client_name": r["client_name"], "stage": r["stage"], "key": r["key"],
        "title": r["title"], "due": r["due"], "status": r["status"], "overdue": r["due"] < today,
        "urgent": bool(r["urgent"]), "action": r["action"], "reason": r["reason"], "origin": r["origin"]}
       for r in rows]
json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
sys.stdout.write("\n")
"""


def _median_times(fns, repeat: int) -> list[float]:
    """The median time of each of ``fns``, run in turn ``repeat`` times (alternating, so a change in the machine's
    load falls on each alike)."""
    xs: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, times in zip(fns, xs, strict=True):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return [statistics.median(times) for times in xs]


def bare_reads(raw, today: date, scope: str) -> list[tuple]:
    """The floor of an in-process figure: what the app reads for ``scope`` ("week": Today's week of tasks and its
    counts; "today": overdue and due today), the same SQL texts (``db.tasks``) run on a bare sqlite3 connection,
    the rows as SQLite gives them."""
    until = today + timedelta(days=7) if scope == "week" else today
    rows = raw.execute(*due_tasks_query(until=until)).fetchall()
    if scope == "week":
        raw.execute(*task_counts_query(today, until)).fetchone()
    return rows


def in_process(db_path: Path, repeat: int = 30) -> list[dict]:
    """The Today screen's queries vs the same SQL on a bare sqlite3 connection (both connections warm)."""
    import sqlite3

    from db.connection import connect
    from db.tasks import task_counts
    from records.views import tasks

    today = date.today()
    week = today + timedelta(days=7)
    db = connect(db_path)
    raw = sqlite3.connect(str(db_path))
    out = []

    def app_week():
        tasks(db, today, "week")
        task_counts(db, today, week)

    def app_today():
        tasks(db, today, "today")

    for name, app_fn, scope, n in (
        ("Today screen query (overdue + 7 days, counts)", app_week, "week", len(tasks(db, today, "week"))),
        ("tasks --due today query (overdue + today)", app_today, "today", len(tasks(db, today, "today"))),
    ):
        def raw_fn(scope=scope):
            bare_reads(raw, today, scope)

        app_fn(), raw_fn()  # warm both caches
        a, r = _median_times([app_fn, raw_fn], repeat)
        out.append({"what": name, "rows": n, "app_s": a, "floor_s": r})
    db.close()
    raw.close()
    return out


def _run(argv: list[str], env: dict | None = None) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, env=env, check=False)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({p.returncode}): {p.stderr.decode()[-500:]}")
    return dt, p.stdout


def _median_run(argv: list[str], env: dict | None, repeat: int) -> tuple[float, bytes]:
    return _median_runs([argv], env, repeat)[0]


def _median_runs(argvs: list[list[str]], env: dict | None, repeat: int) -> list[tuple[float, bytes]]:
    """Each command's median wall time over ``repeat`` runs and its output, after a warm-up run of each; the
    commands take turns, so a change in the machine's load falls on each alike."""
    outs = [_run(argv, env)[1] for argv in argvs]  # warm-up (and the output to check)
    xs: list[list[float]] = [[] for _ in argvs]
    for _ in range(repeat):
        for argv, times in zip(argvs, xs, strict=True):
            times.append(_run(argv, env)[0])
    return [(statistics.median(times), out) for times, out in zip(xs, outs, strict=True)]


def same_rows(ids: list[int], other: list[int]) -> bool:
    """Whether two commands listed the same tasks: the app lists them in work order (risk first,
    ``records.views.in_work_order``), a bare query in its SQL order."""
    return sorted(ids) == sorted(other)


def commands(db_path: Path, repeat: int = 7) -> list[dict]:
    """Whole commands, wall clock from spawn to exit, median of ``repeat`` after one warm-up, taking turns."""
    env = {**os.environ, "MHTR_USER": "bench"}
    today = date.today().isoformat()
    argvs = [[str(VENV_BIN / "mhtr-tui"), "tasks", "--due", "today", "--json", "--db", str(db_path)],
             [sys.executable, "-c", RAW_PRINT, TODAY_SQL, str(db_path)]]
    if shutil.which("sqlite3"):
        argvs.append(["sqlite3", "-json", f"file:{db_path}?mode=ro", TODAY_SQL.replace("?", f"'{today}'")])
    (app_s, app_out), (raw_s, raw_out), *shell = _median_runs(argvs, env, repeat)
    ids = [t["id"] for t in json.loads(app_out)]
    raw_ids = [t["id"] for t in json.loads(raw_out)]
    rows = [{"what": "mhtr-tui tasks --due today --json", "rows": len(ids), "seconds": app_s},
            {"what": "python + sqlite3 printing the same rows as JSON", "rows": len(raw_ids), "seconds": raw_s,
             "same_rows": same_rows(raw_ids, ids)}]
    for s, out in shell:
        sh_ids = [t["id"] for t in json.loads(out or b"[]")]
        rows.append({"what": "sqlite3 shell -json, same query", "rows": len(sh_ids), "seconds": s,
                     "same_rows": same_rows(sh_ids, ids)})
    if shutil.which("task"):
        rows += taskwarrior(db_path, ids, repeat)
    return rows


# --- Taskwarrior --------------------------------------------------------------------------------------------


def _tw_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&dquot;").replace("[", "&open;").replace("]", "&close;")
            .replace("\n", " "))


def _tw_line(attrs: dict[str, str]) -> str:
    return "[" + " ".join(f'{k}:"{_tw_escape(v)}"' for k, v in sorted(attrs.items())) + "]\n"


def _epoch(day: str, hour: int = 0) -> str:
    d = date.fromisoformat(day)
    return str(int(datetime(d.year, d.month, d.day, hour, tzinfo=timezone.utc).timestamp()))  # noqa: UP017


def taskwarrior_data(db_path: Path, folder: Path) -> dict[str, int]:
    """Write every task of the database into a throwaway TASKDATA (open -> pending, done -> completed,
    skipped -> deleted), in Taskwarrior 2.6's own file format, plus a .taskrc."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = conn.execute(
        """SELECT tasks.id, tasks.title, tasks.due, tasks.status, tasks.created_at, tasks.closed_at, tasks.urgent,
                  cases.ref FROM tasks LEFT JOIN cases ON cases.id = tasks.case_id ORDER BY tasks.id"""
    ).fetchall()
    conn.close()
    folder.mkdir(parents=True, exist_ok=True)
    n = {"pending": 0, "completed": 0, "deleted": 0}
    with open(folder / "pending.data", "w") as pending, open(folder / "completed.data", "w") as completed:
        for tid, title, due, status, created, closed, urgent, ref in rows:
            tw_status = {"open": "pending", "done": "completed", "skipped": "deleted"}[status]
            entry = _epoch(created[:10], 9)
            attrs = {
                "description": title,
                "due": _epoch(due),
                "entry": entry,
                "modified": entry,
                "status": tw_status,
                "uuid": str(uuid.UUID(int=tid)),
                "project": (ref or "practitioner").replace("-", ""),
            }
            if urgent:
                attrs["priority"] = "H"
            if tw_status != "pending":
                attrs["end"] = _epoch((closed or due)[:10], 17)
                attrs["modified"] = attrs["end"]
            (pending if tw_status == "pending" else completed).write(_tw_line(attrs))
            n[tw_status] += 1
    for name in ("undo.data", "backlog.data"):
        (folder / name).write_text("")
    (folder / "taskrc").write_text(
        f"data.location={folder}\nconfirmation=off\nhooks=off\nnews.version=2.6.0\ncolor=off\n"
    )
    return n


def taskwarrior(db_path: Path, ids: list[int], repeat: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="mhtr-bench-tw-") as tmp:
        folder = Path(tmp)
        n = taskwarrior_data(db_path, folder)
        env = {**os.environ, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder)}
        count_s, out = _run(["task", "due.before:tomorrow", "status:pending", "count"], env)
        s, _ = _median_run(["task", "due.before:tomorrow", "status:pending", "list"], env, repeat)
        return [
            {
                "what": "Taskwarrior: task due.before:tomorrow status:pending list",
                "rows": int(out.strip() or 0),
                "seconds": s,
                "same_rows": int(out.strip() or 0) == len(ids),
                "note": f"{n['pending']} pending, {n['completed']} completed, {n['deleted']} deleted tasks",
            }
        ]


if __name__ == "__main__":
    path = Path(sys.argv[1])
    for r in in_process(path):
        print(r)
    for r in commands(path):
        print(r)
