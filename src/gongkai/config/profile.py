"""Which settings profile is loading: the platform's, or the test suite's.

``gongkai.config.test_settings`` (the settings module pytest names in pyproject.toml) sets
``TESTING`` before it imports ``gongkai.config.settings``; nothing else changes it. The settings
read it instead of guessing from the environment, so a process started by a test (a server, a
worker, the CLI) runs with the test profile exactly when it is given the test settings module.
"""

TESTING = False
