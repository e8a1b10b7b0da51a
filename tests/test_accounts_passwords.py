"""Passwords: at least 12 characters, not a common one, not close to the user's name; no rules about digits or
symbols; messages in Chinese. And where a login lands: the admin, whatever a link's ?next= says."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGE = "/admin/password_change/"


def change_password(client, new):
    return client.post(
        CHANGE, {"old_password": "pw-for-tests-only", "new_password1": new, "new_password2": new}, follow=False
    )


def test_a_password_of_11_characters_is_refused_and_12_accepted(client, editor):
    client.force_login(editor)
    short = change_password(client, "zq8#mT4!pL2")
    assert short.status_code == 200
    assert "密码长度太短。密码必须包含至少 12 个字符。" in short.content.decode()
    editor.refresh_from_db()
    assert editor.check_password("pw-for-tests-only")

    assert change_password(client, "zq8#mT4!pL2x").status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("zq8#mT4!pL2x")


def test_common_passwords_and_ones_like_the_username_are_refused_in_chinese(editor):
    with pytest.raises(ValidationError) as common:
        validate_password("password1234", editor)
    assert common.value.messages == ["这个密码太常见了。"]
    editor.username = "wangxiaoming"
    with pytest.raises(ValidationError) as similar:
        validate_password("wangxiaoming1", editor)
    assert "太相似" in similar.value.messages[0]


def test_no_composition_rules_a_long_phrase_will_do(editor):
    validate_password("滨州市工会职工之家欢迎您", editor)  # twelve Chinese characters
    validate_password("correct horse battery", editor)  # lower-case words, no digit, no symbol
    validate_password("482910573618", editor)  # twelve digits


@pytest.mark.parametrize("next_url", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)", ""])
def test_a_login_lands_in_the_admin_not_where_a_foreign_next_points(client, editor, next_url):
    response = client.post(
        reverse("admin:login"), {"username": "editor1", "password": "pw-for-tests-only", "next": next_url}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(response.url).status_code == 200


def test_login_redirect_setting_is_the_admin_index(settings):
    assert settings.LOGIN_REDIRECT_URL == "admin:index" and settings.LOGIN_URL == "admin:login"
