"""Settings come from the environment and are safe by default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "k8#v2!qz7@x1-w9$production-like-secret-of-fifty-plus-characters",
    "ALLOWED_HOSTS": "library.tovani.example",
    "SITE_URL": "https://library.tovani.example",
    "SIGNING_KEY": os.environ["SIGNING_KEY"],
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
    """Without SECRET_KEY the project refuses to start and names the variable.

    DEBUG=0 as a deployment has it: a developer's .env is then never read.
    """
    result = manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_without_a_signing_key_refuses_to_start():
    """With DEBUG off and neither SIGNING_KEY nor SIGNING_KEY_FILE, start-up names both."""
    env = {key: value for key, value in PRODUCTION.items() if key != "SIGNING_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set SIGNING_KEY" in result.stderr
    assert "SIGNING_KEY_FILE" in result.stderr


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
    assert pg.stdout.strip().endswith("\ntovani.postgresql")
    assert sqlite.stdout.strip().endswith("django.db.backends.sqlite3")


def test_production_refuses_to_start_without_site_url():
    """With DEBUG off, SITE_URL is required: e-mails and feeds must not guess the site's address."""
    result = manage("check", env={**PRODUCTION, "SITE_URL": ""})
    assert result.returncode != 0
    assert "Set the SITE_URL environment variable" in result.stderr


def test_a_site_url_without_a_scheme_is_refused():
    result = manage("check", env={**PRODUCTION, "SITE_URL": "library.tovani.example"})
    assert result.returncode != 0
    assert "SITE_URL must start with https:// or http://" in result.stderr


def test_development_runs_without_site_url():
    """With DEBUG on, links use the address each request came to, so SITE_URL may stay unset."""
    code = "from django.conf import settings; print(repr(settings.SITE_URL))"
    env = {"SECRET_KEY": PRODUCTION["SECRET_KEY"], "DEBUG": "1"}
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "''"


TASK_BACKEND_CODE = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"


def test_tasks_use_the_database_backend_by_default():
    result = manage("shell", "-c", TASK_BACKEND_CODE, env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "django_tasks_db.DatabaseBackend"


def test_tasks_backend_rq_loads_with_a_redis_url_and_passes_the_checks():
    """TASKS_BACKEND=rq configures django-tasks-rq on REDIS_URL; the system checks pass."""
    env = {**PRODUCTION, "TASKS_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/9"}
    loaded = manage("shell", "-c", TASK_BACKEND_CODE, env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip().splitlines()[-1] == "django_tasks_rq.RQBackend"
    checked = manage("check", env=env)
    assert checked.returncode == 0, checked.stderr


def test_tasks_backend_rq_without_a_redis_url_names_what_is_missing():
    result = manage("check", env={**PRODUCTION, "TASKS_BACKEND": "rq"})
    assert result.returncode != 0
    assert "TASKS_BACKEND=rq needs TASKS_REDIS_URL or REDIS_URL" in result.stderr


def test_an_unknown_tasks_backend_is_refused_by_name():
    result = manage("check", env={**PRODUCTION, "TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of database, immediate, rq; got 'celery'" in result.stderr
