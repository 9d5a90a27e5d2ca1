"""Backup and restore as docs/deploy.md prescribes, then `gongkai audit verify` on the copy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection, transaction

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM, audit_record


def _env(url: str, tmp_path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "GONGKAI_", "DJANGO_SETTINGS_MODULE"))
    }
    env.update(DATABASE_URL=url, GONGKAI_DATA_DIR=str(tmp_path / "restored-data"))
    return env


def _verify(url: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "audit", "verify"],
        env=_env(url, tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _restore(tmp_path) -> tuple[str, callable]:
    """The database backed up and restored into a new one, the documented way; its URL and
    how to remove it."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        dump = tmp_path / "gongkai.dump"
        restored = f"{name}_restored"
        server = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["pg_dump", *server, "-Fc", "-f", str(dump), name], check=True)
        subprocess.run(["dropdb", *server, "--if-exists", restored], check=True)
        subprocess.run(["createdb", *server, restored], check=True)
        subprocess.run(["pg_restore", *server, "--no-owner", "-d", restored, str(dump)], check=True)
        return (
            f"postgres://postgres@127.0.0.1:5432/{restored}",
            lambda: subprocess.run(["dropdb", *server, "--if-exists", restored], check=False),
        )
    copy = tmp_path / "gongkai-restored.sqlite3"
    target = sqlite3.connect(copy)
    connection.ensure_connection()
    connection.connection.backup(target)  # SQLite's online backup, as `sqlite3 .backup` does
    target.close()
    return f"sqlite:///{copy}", lambda: None


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_passes_the_audit_check_and_a_tampered_one_does_not(world, tmp_path):
    for agency_id in (None, world.dept_a.pk, world.dept_a.pk):
        with transaction.atomic():
            audit_record(
                actor=SYSTEM, action="backup.rehearsal", agency_id=agency_id, after={"n": 1}
            )
    events = AuditEvent.objects.count()
    assert events >= 3
    url, drop = _restore(tmp_path)
    try:
        done = _verify(url, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"{events} 条审计事件" in done.stdout
        if url.startswith("sqlite"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                db.execute(
                    "UPDATE audit_auditevent SET action = 'x' WHERE id = (SELECT min(id) FROM audit_auditevent)"
                )
        else:
            import psycopg

            with psycopg.connect(
                url.replace("postgres://", "postgresql://"), autocommit=True
            ) as db:
                db.execute(
                    "UPDATE audit_auditevent SET action = 'x' WHERE id = (SELECT min(id) FROM audit_auditevent)"
                )
        broken = _verify(url, tmp_path)
        assert broken.returncode != 0 and "BROKEN" in broken.stdout
    finally:
        drop()
