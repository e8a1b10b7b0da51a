from django.db import migrations

# The headings' own tsvector, for search's title hits (union_site/search.py): a stored generated column with a GIN
# index, as search_vector is (news migration 0008), and for the same reason: read where a query walks the date index
# (a word in most titles) or rechecks a phrase, it is read, not parsed again. PostgreSQL only.
TITLE_VECTOR = "title_vector"
INDEX = "news_article_title_tokens_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE news_article ADD COLUMN {TITLE_VECTOR} tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, title_tokens)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX} ON news_article USING gin ({TITLE_VECTOR}) WITH (fastupdate = off)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE news_article DROP COLUMN IF EXISTS {TITLE_VECTOR}")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0009_article_lead_text"),
    ]

    operations = [migrations.RunPython(create, drop)]
