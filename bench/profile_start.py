"""Profile mhtr-tui from start to the first painted Today screen (cProfile), in a real pseudo-terminal.

    .venv/bin/python -m bench.profile_start [--db PATH] [--sort cumulative|tottime] [--limit 40]

The child runs the real entry point (``mhtr_tui.main``) under cProfile and quits right after the frame that
shows the filled Today table; the parent prints the top of the profile. Also used by ``bench.run`` to attach
the profile of a missed start-up target to RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child(db: str, out: str) -> None:
    import cProfile

    prof = cProfile.Profile()
    prof.enable()
    import mhtr_tui
    from tui.today import TodayScreen

    original = TodayScreen.refresh_data

    def refresh_then_quit(self) -> None:
        original(self)
        self.app.call_after_refresh(self.app.exit)

    TodayScreen.refresh_data = refresh_then_quit  # type: ignore[method-assign]
    try:
        mhtr_tui.main(["--db", db])
    finally:
        prof.disable()
        prof.dump_stats(out)


PROJECT_ONLY = r"^(?!.*site-packages)(?!.*/lib/python3).*/(tui|records|db|checklists|cli|letters|exports)/|mhtr_tui"


def profile(db: Path, sort: str = "cumulative", limit: int = 40, project_only: bool = False) -> str:
    """The top of the start-up profile as text (``project_only``: this app's own functions)."""
    import io
    import pstats

    from bench.terminal import Session

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "start.prof")
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "PYTHONPATH": str(ROOT)}
        s = Session([sys.executable, "-m", "bench.profile_start", "--child", str(db), out], env)
        s.finish(timeout=60.0, quit_keys=b"")
        buf = io.StringIO()
        stats = pstats.Stats(out, stream=buf).sort_stats(sort)
        if project_only:
            stats.print_stats(PROJECT_ONLY, limit)
        else:
            stats.strip_dirs().print_stats(limit)
        return buf.getvalue().replace(str(ROOT) + "/", "")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path)
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--limit", type=int, default=40)
    p.add_argument("--project", action="store_true", help="only this app's own functions")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    if args.db is None:
        from bench.build import SCALES, ensure

        args.db, _ = ensure(SCALES["large"])
    print(profile(args.db, args.sort, args.limit, args.project))
    return 0


if __name__ == "__main__":
    sys.exit(main())
