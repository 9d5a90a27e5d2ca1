"""200 online submissions at the same moment: none lost, 200 distinct gap-free numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from gongkai import clock

N = 200
ROOT = Path(__file__).resolve().parents[3]


def _check(numbers: list[str], errors: list[str], year_prefix: str) -> None:
    assert errors == []
    assert len(numbers) == N
    assert len(set(numbers)) == N
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert seqs == list(range(1, N + 1))  # gap-free, never skipped
    assert all(n.startswith(year_prefix) for n in numbers)


def _submit_in_a_process(tmp_path: Path, database_url: str, workers: int | None) -> None:
    """200 submissions from a separate process on its own, freshly migrated database: its
    threads need committed data, and the test database of this process stays as it is."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url
    env["GONGKAI_TEST_DATA_DIR"] = str(tmp_path / "data")
    env.pop("REDIS_URL", None)
    env["GONGKAI_TEST_NOW"] = clock.now().isoformat()
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.apps.applications.concurrent_intake",
            str(N),
            *([str(workers)] if workers else []),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    from gongkai.apps.applications.services.common import today

    _check(data["numbers"], data["errors"], f"YSQ-{today().year}-")


@pytest.mark.slow
def test_200_concurrent_submissions_on_a_sqlite_file_database(tmp_path):
    _submit_in_a_process(tmp_path, f"sqlite:///{tmp_path / 'concurrent.sqlite3'}", workers=None)


@pytest.mark.slow
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL run (CI runs the suite on PostgreSQL); SQLite is covered above",
)
def test_200_concurrent_submissions_on_postgresql(tmp_path):
    db = settings.DATABASES["default"]
    server = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    name = f"gongkai_concurrency_{os.getpid()}"
    subprocess.run(["dropdb", *server, "--if-exists", name], check=True)
    subprocess.run(["createdb", *server, name], check=True)
    try:
        url = f"postgres://{db['USER']}@{server[1]}:{server[3]}/{name}"
        _submit_in_a_process(tmp_path, url, workers=40)
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], check=False)


def test_an_error_in_the_middle_of_registration_leaves_nothing(world, monkeypatch):
    """If anything fails after the number is taken, the number is not used up either."""
    from gongkai.apps.applications.models import Application, NumberCounter
    from gongkai.apps.applications.services import intake
    from tests.apps.applications.factories import register

    register(world)

    def boom(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(intake, "audit_record", boom)
    with pytest.raises(RuntimeError):
        register(world)
    monkeypatch.undo()
    assert Application.objects.filter(agency=world.dept_a).count() == 1
    assert NumberCounter.objects.get(agency=world.dept_a).last == 1
    assert register(world).number.endswith("000002")


test_an_error_in_the_middle_of_registration_leaves_nothing = pytest.mark.django_db(
    test_an_error_in_the_middle_of_registration_leaves_nothing
)
