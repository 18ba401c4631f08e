"""Typed readers for environment variables, so a malformed value fails at start-up by name."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}."
    )


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def read_development_env(path) -> bool:
    """Put a development `.env` file's values into the environment; the environment wins.

    The file is read only for development: when the environment has no SECRET_KEY of its own (a
    deployment always has one), does not turn DEBUG off, and the file itself turns DEBUG on. So
    `make run` can leave the development secret where every later shell finds it, and a server
    started with real settings never picks up a developer's file.
    """
    if "SECRET_KEY" in os.environ or not path.is_file():
        return False
    values = _parse_env_file(path)
    if not _truthy(os.environ.get("DEBUG", values.get("DEBUG", ""))):
        return False
    for name, value in values.items():
        os.environ.setdefault(name, value)
    return True


def _truthy(raw) -> bool:
    return raw.strip().lower() in _TRUE


def _parse_env_file(path) -> dict:
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ImproperlyConfigured(f"{path.name}, line {number}: expected NAME=value.")
        values[name] = value.strip().strip("'\"")
    return values
