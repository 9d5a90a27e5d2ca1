"""The PostgreSQL full-text engine's table (PostgreSQL only; SQLite deployments use tantivy).

Documents are segmented with rjieba in Python and stored as a tsvector built with the
'simple' configuration; filters are arrays so joint publishers and parent columns/topics match.
"""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS catalog_search_pg (
    doc_id bigint PRIMARY KEY,
    agency_ids bigint[] NOT NULL,
    column_ids bigint[] NOT NULL,
    topic_ids bigint[] NOT NULL,
    genre_id bigint NOT NULL DEFAULT 0,
    year smallint NOT NULL,
    validity smallint NOT NULL,
    published_at timestamptz NOT NULL,
    title_tsv tsvector NOT NULL,
    tsv tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS catalog_search_pg_tsv ON catalog_search_pg USING gin (tsv);
CREATE INDEX IF NOT EXISTS catalog_search_pg_agency ON catalog_search_pg USING gin (agency_ids);
CREATE INDEX IF NOT EXISTS catalog_search_pg_column ON catalog_search_pg USING gin (column_ids);
CREATE INDEX IF NOT EXISTS catalog_search_pg_topic ON catalog_search_pg USING gin (topic_ids);
CREATE INDEX IF NOT EXISTS catalog_search_pg_published ON catalog_search_pg (published_at);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS catalog_search_pg")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_vocabularies")]
    operations = [migrations.RunPython(create, drop)]
