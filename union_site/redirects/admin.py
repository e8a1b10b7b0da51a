"""重定向 and 404 记录 in the admin, for reviewers (union_site/roles.py).

Django's own redirect admin is replaced: its form asks for the Site (there is one) and calls the addresses
重定向自/重定向到; here they are 旧地址/新地址, normalised and checked as the import checks them (addresses.py,
store.chain_problem), and every save points earlier redirects at the new address (store.repoint). The 404 list is
read-only, most asked-for first, with a 创建重定向 button that opens the redirect form with the address filled in.
旧网站文章 lists, read-only, what `manage.py import_legacy` brought over (legacy.py).
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.redirects.models import Redirect
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from union_site.redirects import addresses, store
from union_site.redirects.admin_import import redirect_import_urls
from union_site.redirects.models import LegacyPage, NotFoundPath

admin.site.unregister(Redirect)


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]
        labels = {"old_path": _("旧地址"), "new_path": _("新地址")}
        help_texts = {
            "old_path": _(
                "旧网站或本站原来的地址，以 / 开头，如 /col/col789/index.html；也可以直接粘贴完整网址，"
                "只保留路径。只在这个地址找不到页面时才跳转。"
            ),
            "new_path": _("本站的地址（如 /news/12/），或 http:// 、https:// 开头的其他网站网址。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_path"].required = True  # Django's empty new address (410 Gone) is not offered

    def clean_old_path(self):
        return self._address(addresses.old_path, "old_path")

    def clean_new_path(self):
        return self._address(addresses.new_path, "new_path")

    def _address(self, read, name):
        try:
            return read(self.cleaned_data[name])
        except addresses.AddressError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_path"), cleaned.get("new_path")
        if not (old and new):
            return cleaned
        if old == new:
            self.add_error("new_path", addresses.SAME)
            return cleaned
        others = store.redirects().exclude(pk=self.instance.pk)
        taken = others.filter(old_path=old).values_list("new_path", flat=True).first()
        if taken is not None:
            self.add_error("old_path", f"这个旧地址已经有跳转（→ {addresses.shown(taken)}），请直接修改那一条。")
            return cleaned

        def target_of(address):  # as things will be once this one is saved
            if address == old:
                return new
            return others.filter(old_path=address).values_list("new_path", flat=True).first()

        problem = store.chain_problem(old, new, target_of)
        if problem:
            self.add_error("new_path", problem)
        return cleaned


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_address", "new_address", "try_it"]
    search_fields = ["old_path", "new_path"]
    ordering = ["old_path"]

    def get_urls(self):
        # 从表格导入 (button in admin/redirects/redirect/change_list.html): upload, preview, confirm; the template.
        return redirect_import_urls(self) + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).filter(site_id=settings.SITE_ID)

    @admin.display(description=_("旧地址"), ordering="old_path")
    def old_address(self, redirect):
        return addresses.shown(redirect.old_path)

    @admin.display(description=_("新地址"), ordering="new_path")
    def new_address(self, redirect):
        return addresses.shown(redirect.new_path)

    @admin.display(description=_("试一试"))
    def try_it(self, redirect):
        return format_html('<a href="{}" target="_blank" rel="noopener">打开旧地址</a>', redirect.old_path)

    def save_model(self, request, obj, form, change):
        obj.site_id = settings.SITE_ID
        super().save_model(request, obj, form, change)
        store.repoint({obj.old_path: obj.new_path})  # no chain: what led to the old address leads to the new one


class RedirectSetFilter(admin.SimpleListFilter):
    title = _("是否已设跳转")
    parameter_name = "redirected"

    def lookups(self, request, model_admin):
        return [("yes", _("已设跳转")), ("no", _("未设跳转"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(redirect_to__isnull=False)
        if self.value() == "no":
            return queryset.filter(redirect_to__isnull=True)
        return queryset


@admin.register(NotFoundPath)
class NotFoundPathAdmin(admin.ModelAdmin):
    list_display = ["address", "kind", "hits", "last_seen_at", "first_seen_at", "referrer", "redirect"]
    list_filter = ["kind", RedirectSetFilter, ("last_seen_at", admin.DateFieldListFilter)]
    search_fields = ["path", "last_full_path", "last_referrer"]
    ordering = ["-hits", "-last_seen_at"]
    list_per_page = 50
    readonly_fields = [
        "path",
        "kind",
        "hits",
        "first_seen_at",
        "last_seen_at",
        "last_referrer",
        "last_full_path",
    ]

    def get_queryset(self, request):
        redirect_to = store.redirects().filter(old_path=OuterRef("path")).values("new_path")[:1]
        return super().get_queryset(request).annotate(redirect_to=Subquery(redirect_to))

    def has_add_permission(self, request):
        return False  # rows come from visitors' 404s only

    def has_change_permission(self, request, obj=None):
        return False  # read-only; delete what is no longer of interest (or manage.py prune_not_found)

    @admin.display(description=_("地址"), ordering="path")
    def address(self, entry):
        if entry.kind == NotFoundPath.Kind.PROBE:
            return format_html("{}<br><small>最近：{}</small>", entry.path, Truncator(entry.last_full_path).chars(80))
        return addresses.shown(entry.path)

    @admin.display(description=_("最近来源"), ordering="last_referrer")
    def referrer(self, entry):
        return Truncator(addresses.shown(entry.last_referrer)).chars(60) or "—"

    @admin.display(description=_("重定向"))
    def redirect(self, entry):
        if entry.redirect_to:
            changelist = reverse("admin:redirects_redirect_changelist") + "?" + urlencode({"q": entry.path})
            return format_html('已跳转到 <a href="{}">{}</a>', changelist, addresses.shown(entry.redirect_to))
        if entry.kind == NotFoundPath.Kind.PROBE:
            return "—"
        add = reverse("admin:redirects_redirect_add") + "?" + urlencode({"old_path": entry.path})
        return format_html('<a class="button" href="{}">创建重定向</a>', add)


@admin.register(LegacyPage)
class LegacyPageAdmin(admin.ModelAdmin):
    """What `manage.py import_legacy` brought from the old site: read-only; the articles are edited as any other."""

    list_display = ["address", "article_link", "imported_at"]
    search_fields = ["old_path", "article__title"]
    list_select_related = ["article"]
    ordering = ["-imported_at"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deleting the article removes its row; the import then sees the old address as new

    @admin.display(description=_("旧地址"), ordering="old_path")
    def address(self, page):
        return addresses.shown(page.old_path)

    @admin.display(description=_("文章"), ordering="article__title")
    def article_link(self, page):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:news_article_change", args=[page.article_id]), page.article.title
        )
