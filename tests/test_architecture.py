"""The layering DESIGN.md promises, checked: the domain never imports the app, only db/ speaks SQL,
and start-up does not pay for heavy libraries it does not use."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ("vocabulary", "records", "checklists", "questionnaires", "letters", "exports", "importer", "db", "demo")
SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "CREATE TABLE", "PRAGMA ")


def _python_files(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_packages_never_import_the_app():
    offenders = [
        f"{path.relative_to(ROOT)} imports {bad}"
        for package in DOMAIN
        for path in _python_files(package)
        for bad in _imports(path) & {"tui", "textual"}
    ]
    assert offenders == []


def test_the_service_sits_between_the_front_ends_and_the_domain():
    """The app and the command line build the service; the service calls the domain; nothing below it reaches up
    (the domain is given the clock and the checklist as values, so it never needs the service)."""
    upward = [
        f"{path.relative_to(ROOT)} imports {bad}"
        for package in DOMAIN
        for path in _python_files(package)
        for bad in _imports(path) & {"service", "cli"}
    ]
    service_up = [
        f"{path.relative_to(ROOT)} imports {bad}"
        for path in _python_files("service")
        for bad in _imports(path) & {"tui", "textual", "cli"}
    ]
    assert upward == [] and service_up == []


def test_no_domain_function_reads_the_wall_clock():
    """Today and now come from the run's one clock (service.clock.Clock), given to the domain by its caller, so a
    test fixes the whole program's day. db/ is left out: it timestamps backups and audit entries as they happen; so
    is a Word file's 'created' property, the moment the file was written (letters/properties.py)."""
    stamps_the_moment = {"letters/properties.py"}
    offenders = []
    for package in ("vocabulary", "records", "checklists", "questionnaires", "letters", "exports", "importer", "demo"):
        for path in _python_files(package):
            if str(path.relative_to(ROOT)) in stamps_the_moment:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("today", "now")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("date", "datetime")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_only_db_speaks_sql():
    offenders = []
    packages = ("vocabulary", "records", "checklists", "questionnaires", "letters", "exports", "importer", "demo",
                "service", "tui", "cli")
    for package in packages:
        for path in _python_files(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and node.body and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                    text = node.value.upper()
                    if any(word in text for word in SQL_WORDS) and ("FROM " in text or "INTO " in text
                                                                     or "PRAGMA" in text or "SET " in text):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_domain_imports_without_textual_or_heavy_libraries():
    code = (
        "import sys\n"
        "import records.casework, records.views, checklists.engine, db.connection\n"
        "import importer.sheets, importer.plan, importer.write, importer.report\n"
        "heavy = {'textual', 'docx', 'openpyxl', 'dateparser'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_command_line_start_does_not_import_the_app_or_heavy_libraries():
    code = (
        "import sys, mhtr_tui\n"
        "mhtr_tui.build_parser()\n"
        "print(sorted({'textual', 'docx', 'openpyxl', 'dateparser'} & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


QUEUEING = {"call_after_refresh", "call_later", "call_next", "set_timer", "set_interval", "call_from_thread"}


def test_every_screen_queues_its_work_through_tui_lifecycle():
    """One rule for work a screen queues (tui.lifecycle): every screen class in tui/ derives from LiveScreen or
    LiveModal, and no code in tui/ queues a callback with Textual's own methods unless it is wrapped in
    ``while_live`` (the app's own work, in app.py, its start-up in start_up.py and its garbage collection in
    idle_collection.py, outlives every screen and is exempt)."""
    import importlib
    import inspect

    from textual.screen import Screen

    from tui.lifecycle import LiveModal, LiveScreen

    bare = []
    for path in _python_files("tui"):
        module = importlib.import_module(f"tui.{path.stem}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            ours = cls.__module__ == module.__name__ and cls not in (LiveScreen, LiveModal)
            if ours and issubclass(cls, Screen) and not issubclass(cls, LiveScreen | LiveModal):
                bare.append(f"{path.name}: {name}")
    assert bare == []

    unguarded = []
    for path in _python_files("tui"):
        if path.name in ("lifecycle.py", "app.py", "start_up.py", "idle_collection.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUEUEING:
                first = node.args[0] if node.args else None
                wrapped = isinstance(first, ast.Call) and getattr(first.func, "id", None) == "while_live"
                if not wrapped:
                    unguarded.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    assert unguarded == []


def test_the_readme_and_docs_link_only_inside_the_repository():
    """The repository stands alone: every relative link in README.md and docs/ names a file of the repository
    (the scoring rules it follows are docs/SCORING.md, not a document beside it)."""
    import re

    outside = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or a heading on the same page
            path = (page.parent / target.split("#")[0]).resolve()
            if not path.is_relative_to(ROOT) or not path.exists():
                outside.append(f"{page.name}: {target}")
    assert outside == []


# What the front ends may take from below the service without going through it: the database's file, keys and
# backups, which exist before a service does (the app opens the file, asks for the key, then builds the service)
# and the audit chain's check, which reads the file as it is, not the records.
FRONT_END_INFRASTRUCTURE = {
    "db.connection", "db.crypto", "db.rekey", "db.backup", "db.backup_files", "db.files", "db.paths", "db.errors",
    "db.transaction", "db.audit_chain",
}


def _front_end_imports() -> list[tuple[str, int, str, str | None]]:
    """(file, line, domain module, name or None for the module itself) for every domain import in tui/ and cli/."""
    found = []
    for package in ("tui", "cli"):
        for path in _python_files(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found += [
                        (str(path.relative_to(ROOT)), node.lineno, a.name, None)
                        for a in node.names
                        if a.name.split(".")[0] in DOMAIN
                    ]
                elif (
                    isinstance(node, ast.ImportFrom)
                    and node.module
                    and node.level == 0
                    and node.module.split(".")[0] in DOMAIN
                ):
                    found += [(str(path.relative_to(ROOT)), node.lineno, node.module, a.name) for a in node.names]
    return found


def _takes_the_database(obj) -> bool:
    import inspect

    if not callable(obj) or inspect.isclass(obj):
        return False
    try:
        params = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return False
    return "db" in params


def test_the_front_ends_reach_the_domain_only_through_the_service():
    """tui/ and cli/ never hand the database to a domain function: every action and every read of the records goes
    through ``service.core.Service``, which supplies the run's clock, checklist and settings. What they may import
    from the domain is what takes no database: the registry of event kinds, labels, date formats and the parser,
    the refusal (ValidationError), pure helpers (scoring a form, reading a spreadsheet file, wording a result), and
    the file, key and backup handling in FRONT_END_INFRASTRUCTURE."""
    import importlib
    import inspect

    offenders = []
    for where, line, module_name, name in _front_end_imports():
        if module_name in FRONT_END_INFRASTRUCTURE:
            continue
        module = importlib.import_module(module_name)
        if name is not None and not hasattr(module, name):  # a submodule: ``from db import audit_chain``
            importlib.import_module(f"{module_name}.{name}")
        if name is None or inspect.ismodule(getattr(module, name, None)):
            target = module if name is None else getattr(module, name)
            actions = sorted(n for n, f in vars(target).items() if inspect.isfunction(f)
                             and f.__module__ == target.__name__ and _takes_the_database(f))
            if actions and target.__name__ not in FRONT_END_INFRASTRUCTURE:
                offenders.append(f"{where}:{line} imports the module {target.__name__} ({', '.join(actions[:3])}...)")
        elif _takes_the_database(getattr(module, name)):
            offenders.append(f"{where}:{line} {module_name}.{name}")
    assert offenders == []
