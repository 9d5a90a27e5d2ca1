"""Benchmarks (``make bench``); each module's docstring says what it measures and how."""

from __future__ import annotations


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
