"""Settings come from the environment and are safe by default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "k8#v2!qz7@x1-w9$production-like-secret-of-fifty-plus-characters",
    "ALLOWED_HOSTS": "library.tovani.example",
}


def manage(*args, env):
    # Only what a fresh shell has: the suite's own settings variables must not leak in.
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tovani.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    """manage.py check --deploy reports no issue with only the secret and hosts set."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_when_not_set():
    """With nothing but the secret set, DEBUG is off."""
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=PRODUCTION
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_missing_secret_key_stops_start_up_with_a_clear_message():
    """Without SECRET_KEY the project refuses to start and names the variable."""
    result = manage("check", env={})
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_a_malformed_boolean_names_the_variable():
    """DEBUG=maybe is an error that names DEBUG."""
    result = manage("check", env={**PRODUCTION, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_database_url_selects_postgresql():
    """DATABASE_URL chooses the database engine; without it the embedded SQLite file is used."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    pg = manage("shell", "-c", code, env={**PRODUCTION, "DATABASE_URL": "postgres://u@h:5432/d"})
    sqlite = manage("shell", "-c", code, env={**PRODUCTION, "DATABASE_URL": ""})
    assert pg.stdout.strip().endswith("django.db.backends.postgresql")
    assert sqlite.stdout.strip().endswith("django.db.backends.sqlite3")
