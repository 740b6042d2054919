"""No import cycles between the workbook's own modules, function-level imports included.

A cycle hidden by an import inside a function still ties the two modules together (neither can be
read, tested or moved alone) and fails at import time as soon as someone hoists the import. The
modules are read with ast, not imported, so the test sees every import, lazy ones too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("complaint", "widgets")

#: None left: keep it that way (a cycle is fixed by moving the shared piece into a leaf module).
KNOWN_CYCLES: list[set[str]] = []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its body, by their full dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` imports the module; `from module import name` the module.
            targets = [
                f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known
            ] or [base]
        else:
            continue
        found |= {target for target in targets if target in known and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imported_modules(name, path, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_relative_function_level_and_package_imports():
    graph = import_graph()
    assert (
        "complaint.model" in graph["complaint.codes"]
        or "complaint.codes" in graph["complaint.model"]
    )
    assert (
        "complaint.validation" in graph["complaint.sheet.fields"]
    )  # `from .. import validation as v`
    assert "complaint.sheet.evidence" in graph["complaint.sheet"]  # `from . import evidence`
    assert (
        "complaint.sheet" not in graph["complaint.sheet.cells"]
    )  # a submodule does not import its package
    assert "complaint.scenarios" in graph["widgets.start"]  # imported inside a method


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_no_module_of_complaint_or_widgets_is_part_of_an_import_cycle():
    assert [cycle for cycle in cycles(import_graph()) if cycle not in KNOWN_CYCLES] == []


def test_each_known_cycle_still_exists_so_its_exception_is_deleted_once_it_is_gone():
    found = cycles(import_graph())
    assert [cycle for cycle in KNOWN_CYCLES if cycle not in found] == []
