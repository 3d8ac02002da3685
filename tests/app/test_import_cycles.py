"""Import cycles among the app and the engines, function-level imports included.

The import graph is read from the source with ``ast`` (every ``import`` anywhere in a module, except
under ``if TYPE_CHECKING``), and its strongly connected components are the cycles. There are none:
``KNOWN`` is empty since standings and the audit log moved below the vetting workflow
(``vetting/clearance.py``, ``vetting/audit.py``) and the admin blueprint into its pages. Run as a
script to print any.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("matchmaker", "models", "indexing", "scheduling")

# Cycles tolerated for now (issue 11): none left; a new one fails the suite.
KNOWN: list[set[str]] = []
# Imports of the app factory (``matchmaker.create_app``, ``import matchmaker``) from modules it builds the
# app from: each closes a cycle through everything ``create_app`` registers. Known, to remove. Entry modules
# that call the factory (``wsgi.py``, ``matchmaker.console``, ``matchmaker.worker``) are imported by nothing
# under ``create_app``, so they close none.
KNOWN_FACTORY_IMPORTS: set[str] = set()


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(sub) for stmt in node.body for sub in ast.walk(stmt)}
    return skipped


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        tree = ast.parse(path.read_text(), str(path))
        skipped = _type_checking_nodes(tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in known else base)
            for target in targets:
                while target and target not in known:  # ``import a.b.c`` of a non-module name
                    target = target.rpartition(".")[0]
                if target and target != name and not (target == "matchmaker" and name in KNOWN_FACTORY_IMPORTS):
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(component)
    return out


def is_api(module: str) -> bool:
    return module == "matchmaker.api" or module.startswith("matchmaker.api.") or module.endswith(".api")


def test_no_cycle_runs_through_the_api():
    through_api = [sorted(c) for c in cycles(import_graph()) if any(is_api(m) for m in c)]
    assert through_api == []


def test_no_new_import_cycle_appears():
    new = [sorted(c) for c in cycles(import_graph()) if not any(c <= known for known in KNOWN)]
    assert new == [], "a new import cycle (or a known one grew): " + repr(new)


if __name__ == "__main__":
    for component in cycles(import_graph()):
        print(sorted(component))
    sys.exit(0)
