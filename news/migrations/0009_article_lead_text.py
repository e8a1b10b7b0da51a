from django.db import migrations, models

BATCH = 500


def fill_leads(apps, schema_editor):
    """Existing articles get the lead their next save would store (news.models.article_lead_text reads only the
    summary and the body, which the historical model has)."""
    from news.models import article_lead_text

    Article = apps.get_model("news", "Article")
    rows = Article.objects.only("id", "summary", "body").order_by("id")
    batch = []
    for article in rows.iterator(chunk_size=BATCH):
        article.lead_text = article_lead_text(article)
        batch.append(article)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["lead_text"])
            batch = []
    Article.objects.bulk_update(batch, ["lead_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_article_search_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="lead_text",
            field=models.TextField(blank=True, editable=False, verbose_name="导语（自动）"),
        ),
        migrations.RunPython(fill_leads, migrations.RunPython.noop),
    ]
