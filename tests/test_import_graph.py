"""The import graph of the product, checked: packages by concept in one direction, and no cycle between packages
or between files.

Every import counts, wherever it is written: at the top of a module, inside a function (an import moved into a
function to dodge a cycle is still a cycle: the two files still need each other) or under ``TYPE_CHECKING``.
An AST walk rather than import-linter's contracts: it needs no dependency, sees exactly the imports written in
the files (relative ones and ``from package import module`` resolved to the file), and the file-level cycle check
is a few lines. (It began with a list of the cycles then present, removed one by one; none is left.)
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A package may import only packages on a lower line; packages on one line are independent of each
# other. mhtr_tui (the program's entry point) is a module, counted as a package of its own.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"db", "vocabulary"}),
    frozenset({"checklists", "questionnaires"}),
    frozenset({"records"}),
    frozenset({"letters", "exports", "importer"}),
    frozenset({"demo"}),
    frozenset({"service"}),
    frozenset({"cli", "tui"}),
    frozenset({"mhtr_tui"}),
)
PACKAGES = frozenset().union(*LAYERS)
DOMAIN = ("db", "vocabulary", "checklists", "questionnaires", "records", "letters", "exports", "importer", "demo")
FRONT_ENDS = ("cli", "tui")

# db/ in two parts: the infrastructure that opens, checks, protects and backs up the file (below), and the query
# modules each table's reads and writes live in (every other module of db/). The infrastructure never imports a
# query module; the file-level check below keeps it free of cycles. A rule here rather than two subpackages:
# `db.connection`, `db.records`... stay the names every package already imports.
DB_INFRASTRUCTURE = frozenset({
    "db", "db.errors", "db.paths", "db.database", "db.files", "db.guard", "db.audit_link", "db.crypto",
    "db.backup_files", "db.health", "db.verified", "db.transaction", "db.schema", "db.audit_chain", "db.backup",
    "db.rekey", "db.connection",
})


def _module_files() -> dict[str, Path]:
    files = {"mhtr_tui": ROOT / "mhtr_tui.py"}
    for package in PACKAGES - {"mhtr_tui"}:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The product module a dotted name lives in (``db.tasks.open_tasks`` -> ``db.tasks``), or None (outside)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imported(module: str, path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """Each product module ``module`` imports, with the line of the first such import."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, base] if base else here)
            # `from package import module` imports the module; `from module import name` the module itself
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
            submodules = [n for n in names[:-1] if n in modules]
            names = submodules if len(submodules) == len(node.names) else [*submodules, base]
        else:
            continue
        for name in names:
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.setdefault(target, node.lineno)
    return found


@cache
def _graph() -> dict[str, dict[str, int]]:
    modules = _module_files()
    return {module: _imported(module, path, modules) for module, path in modules.items()}


def _package(module: str) -> str:
    return module.split(".")[0]


def _layer(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _strongly_connected(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Groups of two or more nodes that reach each other (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: set[frozenset[str]] = set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.add(frozenset(group))
    return groups


def _where(importer: str, imported: str) -> str:
    return f"{importer} -> {imported} (line {_graph()[importer][imported]})"


def test_every_product_file_is_in_the_graph():
    """A new top-level package must be placed in LAYERS, or nothing here would check it."""
    top = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"tests", "bench"}
    assert top <= PACKAGES, f"place {sorted(top - PACKAGES)} in LAYERS"


def test_packages_import_only_packages_below_them():
    upward = {
        (importer, imported)
        for importer, targets in _graph().items()
        for imported in targets
        if _package(importer) != _package(imported) and _layer(_package(importer)) <= _layer(_package(imported))
    }
    assert sorted(_where(*edge) for edge in upward) == [], "imports against the package layers"


def test_no_cycle_between_packages():
    graph: dict[str, set[str]] = {package: set() for package in PACKAGES}
    for importer, targets in _graph().items():
        for imported in targets:
            if _package(importer) != _package(imported):
                graph[_package(importer)].add(_package(imported))
    assert _strongly_connected(graph) == set()


def test_no_cycle_between_files():
    graph = {module: set(targets) for module, targets in _graph().items()}
    assert sorted(map(sorted, _strongly_connected(graph))) == [], "files that import each other"


def test_the_domain_imports_neither_front_end_and_db_imports_no_domain_package():
    offenders = sorted(
        _where(importer, imported)
        for importer, targets in _graph().items()
        for imported in targets
        if (_package(importer) in DOMAIN and _package(imported) in FRONT_ENDS)
        or (_package(importer) == "db" and _package(imported) not in ("db",))
    )
    assert offenders == []


def test_db_infrastructure_imports_no_query_module():
    modules = set(_graph())
    assert modules >= DB_INFRASTRUCTURE, f"gone from db/: {sorted(DB_INFRASTRUCTURE - modules)}"
    offenders = sorted(
        _where(importer, imported)
        for importer in DB_INFRASTRUCTURE
        for imported in _graph()[importer]
        if _package(imported) == "db" and imported not in DB_INFRASTRUCTURE
    )
    assert offenders == []


def test_the_graph_sees_imports_inside_functions_and_relative_imports(tmp_path):
    """The walk itself: an import inside a function and a relative import are edges like any other."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg import b\n    return b\n")
    (package / "b.py").write_text("from . import c\nfrom .c import thing\n")
    (package / "c.py").write_text("import pkg.a\nthing = 1\n")
    modules = {"pkg": package / "__init__.py", **{f"pkg.{n}": package / f"{n}.py" for n in "abc"}}
    graph = {m: set(_imported(m, p, modules)) for m, p in modules.items()}
    assert graph == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c"}, "pkg.c": {"pkg.a"}}
    assert _strongly_connected(graph) == {frozenset({"pkg.a", "pkg.b", "pkg.c"})}
