"""docs/ARCHITECTURE.md stays true: every file, folder and module it names exists, and the README links it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "ARCHITECTURE.md"
PACKAGES = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} | {"mhtr_tui"}


def _named() -> list[str]:
    """Everything the page quotes as code (``like this``)."""
    return re.findall(r"`([^`\s]+)`", PAGE.read_text(encoding="utf-8"))


def _resolves(dotted: str) -> bool:
    """Whether ``a.b.c`` is a module, or a module's attribute (a class's attribute too: ``Service.record``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_every_path_the_architecture_page_names_exists():
    paths = [n for n in _named() if re.fullmatch(r"[\w.-]+(/[\w.-]*)+|[\w-]+\.(py|toml|md)", n)]
    assert paths, "the page names no files"
    missing = [p for p in paths if not (ROOT / p).exists()]
    assert missing == []


def test_every_module_the_architecture_page_names_exists():
    dotted = [
        n.removesuffix("()")
        for n in _named()
        if re.fullmatch(r"\w+(\.\w+)+(\(\))?", n) and n.split(".")[0] in PACKAGES
    ]
    assert dotted, "the page names no modules"
    missing = [d for d in dotted if not _resolves(d)]
    assert missing == []


def test_the_readme_links_the_architecture_page():
    assert "](docs/ARCHITECTURE.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
