"""What every connection to the embedded database is opened with (ADR 0193)."""

import pytest
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper


@pytest.mark.django_db
def test_embedded_database_is_read_through_a_memory_map_in_wal_mode(tmp_path):
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("the embedded database only")
    params = {**default.settings_dict, "NAME": str(tmp_path / "gongkai.sqlite3")}
    wrapper = DatabaseWrapper(params, alias="connection-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            assert cursor.fetchone()[0] == 512 * 1024 * 1024
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()
