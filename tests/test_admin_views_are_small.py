"""Admin views parse, call and render: the rules live in the workflow and the step actions, so
no function of an admin module grows past 40 lines."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 40


def long_functions(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("*/admin*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > LIMIT:
                    found.append(f"{path.relative_to(root)}: {node.name} ({lines} lines)")
    return found


def test_no_admin_function_is_longer_than_40_lines():
    """Every admin module's functions stay short."""
    assert long_functions(ROOT) == []


def test_a_long_admin_view_is_named(tmp_path):
    """The check names the module and the view that grew."""
    app = tmp_path / "stray"
    app.mkdir()
    body = "\n".join(f"    x{n} = {n}" for n in range(LIMIT))
    (app / "admin.py").write_text(f"def change_view(request):\n{body}\n")
    assert long_functions(tmp_path) == [f"stray/admin.py: change_view ({LIMIT + 1} lines)"]
