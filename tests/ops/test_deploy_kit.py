"""The deployment kit says everything the code reads from the environment."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# read only by the test suite
TEST_ONLY = {"GONGKAI_TEST_DATA_DIR", "GONGKAI_TEST_DB_NAME", "PYTEST_XDIST_WORKER"}
NOT_FOR_OPERATORS = {"GONGKAI_RUN_JOBS_INLINE"}  # jobs in the request process: tests only


def variables_read() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(r'(?:env|env_bool|env_list|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]+)"')
    for path in (ROOT / "src" / "gongkai").rglob("*.py"):
        names |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return names - TEST_ONLY - NOT_FOR_OPERATORS - {"PROMETHEUS_MULTIPROC_DIR"}


def test_the_code_reads_the_variables_this_test_knows_of():
    read = variables_read()
    assert {"SECRET_KEY", "GONGKAI_BROKER_URL", "GONGKAI_S3_BUCKET", "DEBUG"} <= read
    assert "GONGKAI_WORKER_CONCURRENCY" in read


def test_every_variable_is_in_the_example_environment_file():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert variables_read() - listed == set()


def test_every_variable_is_explained_in_the_deployment_guide():
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    missing = {name for name in variables_read() if f"`{name}`" not in guide}
    assert missing == set()
