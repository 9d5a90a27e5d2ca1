"""The runtime does not need the demo city: with Faker missing (a production server never
installs the ``demo`` extra) every app starts, every URL resolves, and gongkai.demo is never
imported."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import sys

    sys.modules["faker"] = None  # as on a server without the demo extra: import faker fails
    import django

    django.setup()
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports every view module
    import gongkai.cli  # the command line, without running the demo

    assert not [m for m in sys.modules if m == "gongkai.demo" or m.startswith("gongkai.demo.")]
    assert gongkai.cli.main(["demo", "--no-serve"]) == 2  # says what to install, loads nothing
    print("ok")
    """
)


def test_the_runtime_starts_without_faker_and_without_the_demo(tmp_path):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.config.test_settings",
        GONGKAI_DATA_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join(
            [str(Path(__file__).resolve().parents[1] / "src"), env.get("PYTHONPATH", "")]
        ),
    )
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
    assert "demo 附加依赖" in result.stderr
