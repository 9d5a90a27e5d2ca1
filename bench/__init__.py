"""Benchmarks (``make bench``); each module's docstring says what it measures and how."""

from __future__ import annotations

from pathlib import Path


def ensure_database(url: str | None) -> None:
    """Create the PostgreSQL database a benchmark was pointed at, when it does not exist yet
    (SQLite files are created on first use)."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database(data_dir: Path) -> None:
    """Set Django up in this process on an empty, migrated database: SQLite under
    ``data_dir`` (emptied first), or ``BENCH_DATABASE_URL`` with its schema dropped."""
    import os
    import shutil

    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    url = os.environ.get("BENCH_DATABASE_URL")
    ensure_database(url)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if url:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", interactive=False, verbosity=0)


def loadavg() -> str:
    """The machine's load (the benchmarks run on a shared machine: record it with results)."""
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "unknown"
