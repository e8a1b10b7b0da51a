"""The content checks' part of the import contract (tests/test_union_site_import_layers.py): the apps' admins use
union_site/checks/gate.py, so nothing it reaches may import an app; only the scan of public content (scan.py and the
scan_content command) composes the apps."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ROOT / "union_site" / "checks"
COMPOSING = {CHECKS / "scan.py", CHECKS / "management" / "commands" / "scan_content.py"}
APPS = ("news", "achievements", "gallery")


def imported(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_the_checks_import_no_app_but_for_the_scan():
    wrong = [
        f"{path.relative_to(ROOT)} → {name}"
        for path in sorted(CHECKS.rglob("*.py"))
        if path not in COMPOSING and "migrations" not in path.parts
        for name in imported(path)
        if name.split(".")[0] in APPS
    ]
    assert wrong == []


def test_the_scan_is_what_composes_them():
    assert "news.models" in set(imported(CHECKS / "scan.py"))
