from django.apps import AppConfig


class ContentChecksConfig(AppConfig):
    """内容检查 (#16, README "内容检查"): the 词库 (wording to avoid), the personal-data detectors, and the checks an
    article, album or figure passes before it is published. Its own label: "checks" would read as Django's
    system-check framework."""

    name = "union_site.checks"
    label = "content_checks"
    verbose_name = "内容检查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from union_site.checks.models import Term

        # Every change of the 词库 moves its version on: each process rebuilds its matcher at its next check.
        post_save.connect(_term_changed, sender=Term, dispatch_uid="content_checks.term_saved")
        post_delete.connect(_term_changed, sender=Term, dispatch_uid="content_checks.term_deleted")


def _term_changed(sender, **kwargs):
    from union_site.checks.models import bump_term_list

    bump_term_list()
