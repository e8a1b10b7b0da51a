from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations

DJANGO_DEFAULT = "example.com"


def name_the_site(apps, schema_editor):
    """The one Site (SITE_ID) named after the site, its domain the first of ALLOWED_HOSTS, instead of Django's
    example.com. A record someone has already renamed is left as it is."""
    from union_site.redirects.sites import default_domain

    Site = apps.get_model("sites", "Site")
    site_id = getattr(settings, "SITE_ID", 1)
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        Site.objects.create(pk=site_id, domain=default_domain(), name=settings.SITE_NAME)
        # An explicit pk leaves PostgreSQL's sequence behind (as django.contrib.sites' own default site does).
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(sql)
    elif site.domain == DJANGO_DEFAULT:
        site.domain, site.name = default_domain(), settings.SITE_NAME
        site.save()


class Migration(migrations.Migration):
    dependencies = [("site_redirects", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
