"""The type checker over the domain, the database layer and the service (pyproject.toml's [tool.mypy] says which
packages and how strictly), run by the test command so that CI refuses a change that breaks the types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_domain_type_checks():
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
