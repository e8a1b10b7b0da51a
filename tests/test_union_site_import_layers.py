"""The import contract (README, Code layout): who may import whom, read from every module's import statements.

- union_site/common is the base: it imports no app and nothing else of union_site;
- union_site/reports/writers.py turns tables into files: it imports no app either;
- the apps (news, achievements, gallery) import only the base and the reports pieces meant for them, never the
  public-site composition (views, search, sitemaps, compliance, templatetags, demo, 报表中心), nor another app's views;
- nothing loads modules by string (import_module), so every arrow is visible here.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("news", "achievements", "gallery")
# What an app may take from union_site: the base, and the reports pieces an app's admin and exports use.
APP_MAY_USE = (
    "union_site.common",
    "union_site.reports.writers",
    "union_site.reports.log",
    "union_site.reports.admin_actions",
    "union_site.reports.periods",
    "union_site.models",
    "union_site.checks.gate",  # 内容检查 in the admins; it imports no app (tests/test_checks_layers.py)
)


def modules(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imports_of(path):
    """Every module name an import statement in `path` names (top-level or inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def within(name, prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def offending(paths, rule):
    return sorted(
        f"{path.relative_to(ROOT)} → {name}" for path in paths for name in imports_of(path) if rule(path, name)
    )


def test_the_base_imports_no_app_and_nothing_above_it():
    def wrong(path, name):
        return within(name, APPS) or (within(name, ("union_site",)) and not within(name, ("union_site.common",)))

    assert offending(modules("union_site/common"), wrong) == []


def test_the_report_writers_import_no_app():
    def wrong(path, name):
        return within(name, APPS) or (
            within(name, ("union_site",)) and not within(name, ("union_site.common", "union_site.reports.writers"))
        )

    assert offending([ROOT / "union_site/reports/writers.py"], wrong) == []


@pytest.mark.parametrize("app", APPS)
def test_an_app_uses_only_the_base_and_the_report_writers_of_union_site(app):
    def wrong(path, name):
        if within(name, ("union_site",)) and name != "union_site":
            return not within(name, APP_MAY_USE)
        other_apps = [other for other in APPS if other != app]
        return within(name, [f"{other}.views" for other in other_apps] + [f"{other}.admin" for other in other_apps])

    assert offending(modules(app), wrong) == []


def test_nothing_loads_a_module_by_its_name():
    folders = ("union_site", *APPS)
    assert offending(modules(*folders), lambda path, name: name in {"importlib", "importlib.import_module"}) == []


def test_the_contract_reads_real_imports():
    """A guard for the guard: the reader sees the imports this project is known to have."""
    assert "union_site.common.text" in imports_of(ROOT / "news/models.py")
    assert "news.exports" in imports_of(ROOT / "union_site/reports/center.py")
