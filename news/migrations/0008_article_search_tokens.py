from django.db import migrations, models

from news.search_tokens import search_tokens

# PostgreSQL full-text search over CJK bigram tokens (news/search_tokens.py), served by a GIN index for every query of
# two or more characters (pg_trgm cannot serve a query shorter than three). The tsvector is a stored generated column,
# on PostgreSQL only and unknown to the Django model (union_site/search.py names it): the headings weighted A for
# ts_rank, all text D. Stored, because an expression index makes PostgreSQL parse every matching row's text again for
# a phrase recheck and for ts_rank: about 7 s for 工会 at 10,000 articles. SQLite keeps its icontains scan.
SEARCH_VECTOR = "search_vector"
SEARCH_TOKENS_INDEX = "news_article_search_tokens_gin"


def fill_search_tokens(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    batch = []
    for article in Article.objects.only("id", "kicker", "title", "subtitle", "search_text").iterator(chunk_size=500):
        article.search_tokens = search_tokens(article.search_text)
        article.title_tokens = search_tokens(
            "\n".join(part for part in [article.kicker, article.title, article.subtitle] if part)
        )
        batch.append(article)
        if len(batch) == 500:
            Article.objects.bulk_update(batch, ["search_tokens", "title_tokens"])
            batch = []
    Article.objects.bulk_update(batch, ["search_tokens", "title_tokens"])


def create_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE news_article ADD COLUMN {SEARCH_VECTOR} tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A')"
        " || setweight(to_tsvector('simple'::regconfig, search_tokens), 'D')) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {SEARCH_TOKENS_INDEX} ON news_article USING gin ({SEARCH_VECTOR}) WITH (fastupdate = off)"
    )


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_TOKENS_INDEX}")
    schema_editor.execute(f"ALTER TABLE news_article DROP COLUMN IF EXISTS {SEARCH_VECTOR}")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_article_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="检索词元"),
        ),
        migrations.AddField(
            model_name="article",
            name="title_tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="标题检索词元"),
        ),
        migrations.RunPython(create_search_vector, drop_search_vector),  # before the fill: no DDL after DML
        migrations.RunPython(fill_search_tokens, migrations.RunPython.noop),
    ]
