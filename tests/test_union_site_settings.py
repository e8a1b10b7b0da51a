"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "union_site.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!kq2#production-grade-secret-9f3a1c5e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a",
    "DJANGO_ALLOWED_HOSTS": "www.example.org",
    "DATABASE_URL": "postgres://union:secret@db.example.org:5432/union_site",
}


def test_production_settings_pass_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_without_secret_key_refuses_to_start_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "密钥" in result.stderr


def test_database_url_selects_postgresql_and_default_is_sqlite_under_var():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    prod = manage("shell", "-c", code, **PRODUCTION)
    assert "django.db.backends.postgresql union_site" in prod.stdout, prod.stderr
    dev = manage("shell", "-c", code, DJANGO_DEBUG="1")
    assert "django.db.backends.sqlite3" in dev.stdout and str(ROOT / "var" / "db.sqlite3") in dev.stdout


def test_site_speaks_simplified_chinese_on_beijing_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
