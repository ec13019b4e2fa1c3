"""The dependency direction of ARCHITECTURE.md, checked on the source (like import-linter).

ui -> reviewer -> offline_cache -> reviewer.protocol; reviewer -> wellness; ui -> wellness;
server -> reviewer.protocol, wellness. Only `ui` imports Qt. The client imports `server`
only for `reviewer demo`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("reviewer", "offline_cache", "wellness", "ui", "server", "resources")

# package -> top-level packages of ours it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "ui": {"reviewer", "wellness", "resources"},
    "reviewer": {"offline_cache", "wellness"},
    "offline_cache": {"reviewer.protocol"},
    "wellness": {"reviewer.protocol"},
    "server": {"reviewer.protocol", "wellness"},
    "resources": set(),
}
# (module, imported) pairs the architecture names as exceptions
EXCEPTIONS = {
    ("reviewer/cli.py", "ui"),  # the entry point opens the window
    ("reviewer/cli.py", "server"),  # `reviewer demo` starts the reference server
    ("reviewer/demo.py", "server"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _violations(package: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for name in _imports(path):
            top = name.split(".")[0]
            if top in {"PySide6", "PyQt5", "PyQt6", "shiboken6"} and package != "ui":
                problems.append(f"{rel} imports Qt ({name})")
                continue
            if top not in PACKAGES or top == package:
                continue
            allowed = ALLOWED[package]
            ok = top in allowed or any(name == a or name.startswith(a + ".") for a in allowed)
            if not ok and (rel, top) not in EXCEPTIONS:
                problems.append(f"{rel} imports {name}")
    return problems


@pytest.mark.parametrize("package", PACKAGES)
def test_package_respects_dependency_direction(package: str) -> None:
    assert (ROOT / package / "__init__.py").exists()
    assert _violations(package) == []


def test_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport server.app\n")
    assert {"PySide6.QtWidgets", "server.app"} <= _imports(bad)
