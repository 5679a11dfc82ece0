"""coach's modules import only downwards: no import cycle, counting imports inside functions (only imports
under `if TYPE_CHECKING:` may point back up, since they never run)."""

from __future__ import annotations

import ast
from pathlib import Path

import coach

ROOT = Path(coach.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = ["coach", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those in `if TYPE_CHECKING:` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    visit(other) if not isinstance(other, (ast.Import, ast.ImportFrom)) else found.append(other)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the coach modules it imports. `from .x import y` names the submodule `x.y` when there is
    one, else the module `x`; a relative import is resolved against the importing module's package."""
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    packages = {name for name, p in files.items() if p.name == "__init__.py"}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if name in packages else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                bases = [alias.name for alias in node.names]
                names: list[str] = []
            else:
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                bases, names = [base], [alias.name for alias in node.names]
            for base in bases:
                if not base.startswith("coach"):
                    continue
                subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in files]
                targets.update(subs)
                if len(subs) < len(names) or not names:
                    while base and base not in files:
                        base = base.rpartition(".")[0]
                    if base:
                        targets.add(base)
        targets.discard(name)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycle_between_coach_modules():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_finds_function_level_cycles(tmp_path):
    graph = {"coach.a": {"coach.b"}, "coach.b": {"coach.c"}, "coach.c": {"coach.a"}, "coach.d": set()}
    assert find_cycle(graph) == ["coach.a", "coach.b", "coach.c", "coach.a"]
    tree = ast.parse("def f():\n    from .x import y\nif TYPE_CHECKING:\n    from .z import w\n")
    assert [n.module for n in _imports(tree)] == ["x"]


def test_the_graph_sees_the_real_edges():
    graph = import_graph()
    assert "coach.analysis.pipelines" in graph["coach.analysis.analyzer"]
    assert "coach.checks.statement" in graph["coach.analysis.pipelines"]
    assert "coach.analysis.session" in graph["coach.cli.check"]  # an import inside the command function
    assert "coach.analysis.context" not in graph["coach.checks.statement"]  # only under TYPE_CHECKING


def test_the_top_level_stays_small():
    modules = [p.stem for p in ROOT.glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 8, modules
