"""The package's imports point one way: each package imports only packages of its own rank or below.

Only imports that run when a module is imported are held to it. Imports inside a function (the registry read when a
value is checked, an SDK loaded by the adapter that needs it) and under TYPE_CHECKING are how the package keeps cold
starts short, and they may reach up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "layers" / "courier" / "courier"

# Bottom to top. The bottom modules are `courier.<module>`; the rest are packages. Same rank: may import each other.
RANKS: list[set[str]] = [
    {"errors", "strict", "naming", "models", "records"},
    {"platform", "net", "secrets", "engine"},
    {"persistence", "accounts"},
    {"providers", "destinations"},  # a provider's registration and its adapter: the registry reads registrations
    {"api", "compat"},
    {"storages", "renders"},
    {"delivery"},  # reads what renders staged
    {"webhooks"},  # fed by delivery's outcomes, sends renders' status documents
    {"wiring"},  # assembles everything
]
RANK = {name: rank for rank, names in enumerate(RANKS) for name in names}


def _unit(module: str) -> str:
    """`courier.renders.service` → `renders`; `courier.models` → `models`."""
    return module.split(".")[1]


def _module_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Imports of courier modules executed at import time: module body, not functions, not TYPE_CHECKING blocks."""
    found: list[tuple[int, str]] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "courier":
                    found.extend((node.lineno, f"courier.{alias.name}") for alias in node.names)
                elif node.module.startswith("courier."):
                    found.append((node.lineno, node.module))
            elif isinstance(node, ast.Import):
                found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("courier."))
            elif isinstance(node, ast.If) and not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)

    visit(tree.body)
    return found


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.parent != PACKAGE or path.name != "__init__.py")


def test_every_part_of_the_package_has_a_rank() -> None:
    # Given / When
    units = {_unit(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)) for path in _modules()}

    # Then
    assert units - set(RANK) == set(), "give each new package or bottom module a rank in RANKS"


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    # Given
    unit = _unit(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    tree = ast.parse(path.read_text(encoding="utf-8"))

    # When
    upward = [
        f"line {line}: {target} (rank {RANK[_unit(target)]} > {unit}'s {RANK[unit]})"
        for line, target in _module_level_imports(tree)
        if RANK.get(_unit(target), -1) > RANK[unit]
    ]

    # Then
    assert upward == []


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_module_stays_small(path: Path) -> None:
    # Given / When
    lines = len(path.read_text(encoding="utf-8").splitlines())

    # Then: a module that grows past this is split by concern (issue #15)
    assert lines <= 300, f"{lines} lines"
