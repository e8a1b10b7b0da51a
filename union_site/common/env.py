"""Small readers for settings taken from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_str(name, default=""):
    value = os.environ.get(name, "").strip()
    return value or default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret_key(debug):
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    if debug:
        return "dev-only-insecure-key-never-use-in-production-0123456789abcdefghij"
    raise ImproperlyConfigured(
        "未设置 DJANGO_SECRET_KEY：关闭调试模式（DJANGO_DEBUG=0）时必须提供一个随机的密钥。"
        " DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off."
    )
