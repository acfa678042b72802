"""Start-up (issue 20, item 2): what the first painted Today needs, and nothing more, before it is on screen; and a
bench that measures the start as an installed copy would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _project_files_after(code: str) -> list[Path]:
    """The project's own source files (not its virtual environment's) a fresh interpreter has imported after
    running ``code``."""
    probe = (f"{code}\nimport sys\n"
             "print('\\n'.join(sorted(str(getattr(m, '__file__', None)) for m in list(sys.modules.values()))))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [Path(line).resolve() for line in out.stdout.splitlines() if line.endswith(".py")]
    return [f for f in files if f.is_relative_to(ROOT) and not f.relative_to(ROOT).parts[0].startswith(".")]


def test_the_bench_compiles_every_module_of_the_project_the_start_imports():
    """The bench writes the project's bytecode before timing the start (an installed copy has it): a module left
    out is compiled from source at every measured start, a cost no user pays."""
    from bench.run import project_sources

    compiled = project_sources()
    ours = _project_files_after("import mhtr_tui, tui.app, tui.today, db.connection, service.core, records.views")
    assert ROOT / "vocabulary" / "stages.py" in ours
    missed = [p for p in ours if not any(p == c or p.is_relative_to(c) for c in compiled)]
    assert not missed, missed
