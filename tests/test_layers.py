"""Dependencies point down only: ui/cli → services → db → domain. Checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "apdesk"

# Top-level modules each layer must not import at run time.
FORBIDDEN = {
    "domain": ("apdesk.db", "apdesk.services", "apdesk.ui", "apdesk.cli", "apdesk.app",
               "sqlalchemy", "alembic", "PySide6", "yaml"),
    "db": ("apdesk.services", "apdesk.ui", "apdesk.cli", "apdesk.app", "PySide6"),
    "services": ("apdesk.ui", "apdesk.cli", "apdesk.app", "PySide6"),
    "ui": ("sqlalchemy", "alembic", "apdesk.db", "apdesk.cli"),
    # Printing: from the services' plain values to paper, with no database or Qt of its own.
    "portfolio": ("sqlalchemy", "alembic", "apdesk.db", "apdesk.ui", "apdesk.cli", "apdesk.app",
                  "PySide6"),
    "reports": ("sqlalchemy", "alembic", "apdesk.db", "apdesk.ui", "apdesk.cli", "apdesk.app",
                "PySide6"),
}  # fmt: skip


def runtime_imports(path: Path) -> set[str]:
    """Modules imported outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_upward(layer: str) -> None:
    offences = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for name in sorted(runtime_imports(path))
        if any(name == banned or name.startswith(f"{banned}.") for banned in FORBIDDEN[layer])
    ]
    assert offences == []
