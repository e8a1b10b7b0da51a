"""The admin is in Chinese and every model can be found, filtered and edited there."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPS = {"news", "achievements", "gallery"}


def our_models():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in APPS
    ]


def test_every_model_is_registered_with_search_and_filters():
    registered = {model._meta.label for model, _ in our_models()}
    # MetricValue (a metric's yearly series) is edited inline on its metric's page.
    assert registered == {
        "news.Column",
        "news.Article",
        "achievements.Period",
        "achievements.Section",
        "achievements.Metric",
        "achievements.Honor",
        "gallery.Album",
        "gallery.Photo",
    }
    for model, model_admin in our_models():
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model


def test_every_admin_page_opens_in_chinese_for_a_superuser(client, superuser, demo):
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "滨州市总工会 网站管理" in index and "数说五年" in index and "图片" in index
    for model, _ in our_models():
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        assert str(opts.verbose_name_plural) in changelist.content.decode()
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
        obj = model.objects.first()
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200, opts.label


def test_every_field_has_a_chinese_label():
    for model, _ in our_models():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(model._meta.verbose_name)), model
        for field in model._meta.get_fields():
            if getattr(field, "verbose_name", None) and not field.auto_created:
                label = str(field.verbose_name)
                assert any("\u4e00" <= ch <= "\u9fff" for ch in label), f"{model.__name__}.{field.name}"


def test_metric_list_shows_figures_as_written(client, superuser, demo):
    client.force_login(superuser)
    page = client.get(reverse("admin:achievements_metric_changelist") + "?q=微信").content.decode()
    assert "11.1万余人" in page
