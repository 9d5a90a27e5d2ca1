import subprocess
import sys

import pytest


@pytest.mark.django_db
def test_home_has_landmarks_search_and_site_meta(client, world):
    html = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html
    for marker in (
        'role="banner"',
        'id="main"',
        'role="contentinfo"',
        'role="search"',
        'name="SiteName"',
        "跳到主要内容",
    ):
        assert marker in html


@pytest.mark.django_db
def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def _run(args, env_extra):
    import os

    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DJANGO_SETTINGS_MODULE")
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        "GONGKAI_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "www.example.gov.cn",
        "GONGKAI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GONGKAI_BROKER_URL": "amqp://gongkai:secret@127.0.0.1:5672/gongkai",
    }
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    del env["GONGKAI_BROKER_URL"]  # the job queue would be a folder on this machine
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0 and "gongkai.W120" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(
        ["check"],
        {"GONGKAI_ENV": "production", "SECRET_KEY": "", "GONGKAI_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_unknown_command_and_bad_arguments_exit_non_zero(tmp_path):
    env = {"GONGKAI_DATA_DIR": str(tmp_path)}
    result = _run(["frobnicate"], env)
    assert result.returncode == 2 and "错误" in result.stderr
    result = _run(["serve", "--port", "abc"], env)
    assert result.returncode == 2 and "错误" in result.stderr
