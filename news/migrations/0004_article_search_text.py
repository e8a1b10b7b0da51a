from django.db import migrations, models
from django.utils.html import strip_tags


def fill_search_text(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    for article in Article.objects.all():
        parts = [article.kicker, article.title, article.subtitle, article.byline, article.summary,
                 strip_tags(article.body)]
        article.search_text = "\n".join(part for part in parts if part)
        article.save(update_fields=["search_text"])


# Chinese has no spaces, so search is a substring match (icontains: UPPER(col) LIKE UPPER('%q%')). On PostgreSQL a
# pg_trgm GIN index over the same expression serves it; SQLite scans, which is fine at its scale.
TRGM_INDEXES = {
    "news_article_search_trgm": "search_text",
    "news_article_title_trgm": "title",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRGM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON news_article USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRGM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_article_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(blank=True, editable=False, verbose_name="检索文本"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
