"""Error pages a person meets are in Chinese and say what to do: 400 (a request the site cannot read), 403 (no
permission; the admin's look inside the admin), 413 (a form over the request limits, with debug on too)."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.test import Client
from django.urls import path

from union_site.urls import handler400, handler403, handler500  # noqa: F401 - this test URLconf's error handlers
from union_site.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

LOGIN = "/admin/login/"
TOO_BIG = 2_621_440 + 1  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), the site's too, and one byte more


def forbidden(request):
    raise PermissionDenied("internal reason, never shown")


def echo_json(request):
    return JsonResponse({"length": len(json.loads(request.body))})


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-json/", echo_json),
    *site_urlpatterns,
]


class ReadsTheBodyFirst:
    """A middleware that reads the form body before any view is chosen (as a login-throttling library may)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.POST  # noqa: B018
        return self.get_response(request)


def page(response):
    return response.content.decode()


def assert_chinese_standalone(response, status, *phrases):
    assert response.status_code == status
    text = page(response)
    assert 'lang="zh-Hans"' in text and "滨州市总工会" in text and "返回首页" in text
    for phrase in phrases:
        assert phrase in text, phrase
    assert "Bad Request" not in text and "Traceback" not in text and "RequestDataTooBig" not in text


# --- 403 -------------------------------------------------------------------------------------------------------------


def test_editor_opening_the_report_center_gets_a_chinese_403_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.get("/admin/reports/")
    assert response.status_code == 403
    text = page(response)
    assert "<h1>没有权限</h1>" in text and "请联系网站管理员为您的账号开通相应权限" in text
    assert "滨州市总工会 网站管理" in text and 'href="/admin/"' in text  # the admin's header, a way back
    assert "403 Forbidden" not in text


def test_permission_denied_on_a_public_page_gets_the_sites_403(client):
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    text = page(response)
    assert "没有权限访问此页面" in text and 'class="site-nav"' in text and "跳到正文" in text
    assert "internal reason" not in text


# --- 400 -------------------------------------------------------------------------------------------------------------


def test_unknown_host_gets_the_chinese_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert_chinese_standalone(response, 400, "请求有误", "内容没有保存")


def test_a_form_with_too_many_fields_gets_the_chinese_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = client.post(LOGIN, {f"f{n}": "1" for n in range(60)})
    assert_chinese_standalone(response, 400, "表单的项目太多（每次最多 50 项）")


def test_too_many_files_outside_the_bulk_upload_gets_the_chinese_400_page(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    response = client.post(LOGIN, {"files": [SimpleUploadedFile(f"{n}.jpg", b"x") for n in range(3)]})
    assert_chinese_standalone(response, 400, "一次最多上传 2 个文件")


# --- 413 -------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_form_over_the_size_limit_gets_the_chinese_413_page(client, settings, debug):
    settings.DEBUG = debug
    response = client.post(LOGIN, {"username": "editor", "body": "字" * (TOO_BIG // 3 + 1)})  # multipart
    assert_chinese_standalone(response, 413, "提交的内容太大", "每次最多提交 2.5 MB 的文字内容", "每个文件不超过 20 MB")


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_an_urlencoded_body_over_the_limit_gets_the_413_page(client, settings, debug):
    settings.DEBUG = debug
    body = "body=" + "x" * TOO_BIG
    response = client.post(LOGIN, body, content_type="application/x-www-form-urlencoded")
    assert_chinese_standalone(response, 413, "提交的内容太大")


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_body_a_view_reads_itself_gets_the_413_page(client, settings, debug):
    settings.DEBUG = debug
    assert client.post("/test-json/", [1, 2], content_type="application/json").json() == {"length": 2}
    response = client.post("/test-json/", "[" + "1," * (TOO_BIG // 2) + "1]", content_type="application/json")
    assert_chinese_standalone(response, 413, "提交的内容太大")


def test_a_body_read_by_another_middleware_still_gets_the_413_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsTheBodyFirst"]
    response = Client().post(LOGIN, {"body": "x" * TOO_BIG})
    assert_chinese_standalone(response, 413, "提交的内容太大")


def test_the_limit_on_the_page_follows_the_setting(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = client.post(LOGIN, {"body": "x" * (1024 * 1024 + 1)})
    assert_chinese_standalone(response, 413, "每次最多提交 1 MB 的文字内容")
