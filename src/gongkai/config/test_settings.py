"""Settings for the test suite: the platform's settings with the test profile.

The test profile gives every test process throw-away files (a data directory under the system's
temporary directory, its own cache and Redis key prefix), a fast password hasher, mail and text
messages kept in memory, and background jobs run inline. pyproject.toml names this module for
pytest; a child process a test starts inherits it through DJANGO_SETTINGS_MODULE, and a test that
wants the platform's own settings in a child removes that variable.
"""

from gongkai.config import profile

profile.TESTING = True

from gongkai.config.settings import *  # noqa: E402, F403
