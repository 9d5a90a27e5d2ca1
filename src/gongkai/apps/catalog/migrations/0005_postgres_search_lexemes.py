"""The PostgreSQL engine's table, second layout (PostgreSQL only): one tsvector of segmented
words, title markers and filter lexemes, stored out of line so the heap stays narrow, indexed
with RUM (publication time attached) when the extension can be installed, else with GIN.

The table holds derived data: after this migration run ``gongkai catalog reindex``."""

from django.db import DatabaseError, migrations, transaction

TABLE = "catalog_search_pg"

CREATE = f"""
CREATE TABLE {TABLE} (
    doc_id bigint PRIMARY KEY,
    published_at timestamptz NOT NULL,
    agency_ids bigint[] NOT NULL,
    column_ids bigint[] NOT NULL,
    topic_ids bigint[] NOT NULL,
    genre_id bigint NOT NULL DEFAULT 0,
    year smallint NOT NULL,
    validity smallint NOT NULL,
    tsv tsvector NOT NULL
) WITH (toast_tuple_target = 128)
"""
RUM_INDEX = (
    f"CREATE INDEX {TABLE}_tsv ON {TABLE} USING rum (tsv rum_tsvector_addon_ops, published_at) "
    "WITH (attach = 'published_at', to = 'tsv')"
)
GIN_INDEX = f"CREATE INDEX {TABLE}_tsv ON {TABLE} USING gin (tsv)"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone():
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            except DatabaseError:
                pass  # not allowed for this database user: GIN it is
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        rum = cursor.fetchone() is not None
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(CREATE)
        cursor.execute(RUM_INDEX if rum else GIN_INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_document_no_default_ordering")]
    operations = [migrations.RunPython(forward, backward)]
