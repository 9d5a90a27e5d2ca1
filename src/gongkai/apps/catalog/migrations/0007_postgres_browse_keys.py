"""The PostgreSQL engine's browse keys (PostgreSQL only): one row per document and filter
value, so that browse lists read 20 entries of a B-tree instead of sorting every match of a
tsvector index. Filled here from the search table; a rebuild fills it as well."""

from django.db import migrations

TABLE = "catalog_search_pg"
KEYS = "catalog_search_pg_keys"
CREATE = f"CREATE TABLE {KEYS} (key text NOT NULL, published_at timestamptz NOT NULL, doc_id bigint NOT NULL)"
INDEXES = [
    f"ALTER TABLE {KEYS} ADD CONSTRAINT {KEYS}_pkey PRIMARY KEY (key, published_at, doc_id)",
    f"CREATE INDEX {KEYS}_doc ON {KEYS} (doc_id)",
]

FILL = f"""
INSERT INTO {KEYS} (key, published_at, doc_id)
SELECT 'za' || a, published_at, doc_id FROM {TABLE}, unnest(agency_ids) a
UNION ALL SELECT 'zc' || c, published_at, doc_id FROM {TABLE}, unnest(column_ids) c
UNION ALL SELECT 'zt' || t, published_at, doc_id FROM {TABLE}, unnest(topic_ids) t
UNION ALL SELECT 'zg' || genre_id, published_at, doc_id FROM {TABLE}
UNION ALL SELECT 'zy' || year, published_at, doc_id FROM {TABLE}
UNION ALL SELECT 'zv' || validity, published_at, doc_id FROM {TABLE}
UNION ALL SELECT 'zall', published_at, doc_id FROM {TABLE}
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {KEYS}")
    schema_editor.execute(CREATE)
    schema_editor.execute(FILL)
    for sql in INDEXES:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {KEYS}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_search_tokens")]
    operations = [migrations.RunPython(forward, backward)]
