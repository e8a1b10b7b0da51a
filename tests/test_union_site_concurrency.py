"""Saving under a race (union_site/common/concurrency.py): two people saving the same record, one form sent twice.

The race tests send two real requests at once to a live server, each from its own session, on whichever database
the suite runs on: PostgreSQL (CI) through pytest-django's live_server; SQLite in a file copied from the suite's
in-memory database (see `race_server`), so that the server's threads lock and wait as workers do."""

import copy
import http.client
import sqlite3
import threading
from contextlib import closing, contextmanager
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread
from django.urls import reverse
from django.utils import timezone

from achievements.models import Metric, MetricValue, Period, Section
from gallery.models import Album
from news.models import Article
from union_site.common import concurrency
from union_site.common.concurrency import FormToken
from union_site.models import SiteSettings
from union_site.roles import EDITOR

Status = Article.Status
ROUNDS = 5
CONFLICT = "保存未成功：您打开这一页之后"
ALREADY_SUBMITTED = "这份表单已经提交过，未重复保存。"


# --- what a browser sends ------------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields a browser submits for the page's form `form_id`, as (name, value) pairs: inputs (checked boxes
    only), textareas and each select's chosen option; no files, no buttons."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.pairs = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value") or "on"))
                return
            self.pairs.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), []
        elif tag == "select":
            self.select, self.first, self.chosen = a.get("name"), None, []
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            self.first = value if self.first is None else self.first
            if "selected" in a:
                self.chosen.append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            self.pairs.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            for value in self.chosen or ([self.first] if self.first is not None else []):
                self.pairs.append((self.select, value))
            self.select = None


def form_of(page, form_id, **changes):
    """The form as the browser would post it, with `changes` typed in: {name: [values]}."""
    reader = FormReader(form_id)
    reader.feed(page)
    data = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    assert data, f"no form {form_id} on the page"
    data.update({name: [value] for name, value in changes.items()})
    return data


def field_value(page, name):
    return page.split(f'name="{name}" value="')[1].split('"')[0]


class Browser:
    """One person at their own browser against the live server: their own session and CSRF cookies, plain HTTP,
    redirects not followed (the test looks at them)."""

    def __init__(self, server_url, user):
        client = Client()
        client.force_login(user)  # a session of this person's own, as logging in makes
        self.cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        address = urlsplit(server_url)
        self.host, self.port = address.hostname, address.port

    def send(self, method, path, data=None, at_once=None):
        """(status, Location, page). `at_once`: a barrier to wait at, connected, right before sending."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.connect()
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if at_once is not None:
            at_once.wait(timeout=30)
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        page = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers.get("Location"), page

    def copy(self):
        """Another tab of the same browser: the same session."""
        tab = copy.copy(self)
        tab.cookies = dict(self.cookies)
        return tab

    def get(self, path):
        status, _location, page = self.send("GET", path)
        assert status == 200, page[:500]
        return page


def posting(browser, path, data):
    """A POST for at_once(): sent when every thread is ready."""
    return lambda barrier: browser.send("POST", path, data, barrier)


def at_once(*calls):
    """Runs each call in its own thread, all released together by one barrier; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            results[index] = call(barrier)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not errors, errors
    return results


@contextmanager
def sqlite_in_a_file(path):
    """The suite's in-memory SQLite database copied to `path` and used instead (this thread and any new one) until
    the block ends; then the in-memory one again, as it was."""
    memory, settings_dict = connections["default"], connections.settings["default"]
    memory.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        memory.connection.backup(target)
    in_file = {**settings_dict, "NAME": str(path)}
    connections.settings["default"] = in_file  # read by each new thread's connection
    connections["default"] = type(memory)(in_file, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"], connections.settings["default"] = memory, settings_dict


@pytest.fixture
def race_server(request, transactional_db, tmp_path):
    """The address of a live server whose every request has a database connection of its own, as workers have.
    pytest-django's live_server does on PostgreSQL; on the suite's in-memory SQLite its threads would share one
    connection (and one transaction), so there the server runs on a copy of the database in a file."""
    if not (connections["default"].vendor == "sqlite" and connections["default"].is_in_memory_db()):
        yield request.getfixturevalue("live_server").url
        return
    with sqlite_in_a_file(tmp_path / "race.sqlite3"):
        server = LiveServerThread("localhost", StaticFilesHandler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://localhost:{server.port}"
        finally:
            server.terminate()


# --- people and records --------------------------------------------------------------------------------------------


def make_editor(username, full_name):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True, first_name=full_name)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


@pytest.fixture
def editors(role_groups):
    return make_editor("zhang", "张三"), make_editor("li", "李四")


@pytest.fixture
def section(db):
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="数说五年")
    return Section.objects.create(period=period, title="职工维权服务工作 实绩突出", order=1)


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def errors_in(page):
    return [chunk.split("</ul>")[0] for chunk in page.split('class="errorlist')[1:]]


# --- two people, one article, the same moment ----------------------------------------------------------------------


def test_two_editors_saving_the_same_article_at_once_one_wins_and_the_other_is_told(race_server, editors, make_article):
    article = make_article(status=Status.DRAFT, title="原标题", summary="", byline="")
    zhang, li = (Browser(race_server, person) for person in editors)
    url = change_url(article)
    for round_ in range(1, ROUNDS + 1):
        page_zhang, page_li = zhang.get(url), li.get(url)
        assert field_value(page_zhang, "loaded_version") == field_value(page_li, "loaded_version")
        typed = {
            "zhang": {"title": f"张三的标题{round_}", "summary": f"张三写的摘要{round_}"},
            "li": {"title": f"李四的标题{round_}", "byline": f"李四署名{round_}"},
        }
        posts = form_of(page_zhang, "article_form", **typed["zhang"]), form_of(page_li, "article_form", **typed["li"])
        results = at_once(
            posting(zhang, url, posts[0]),
            posting(li, url, posts[1]),
        )
        statuses = sorted(status for status, _location, _page in results)
        assert statuses == [200, 302], [(status, errors_in(page)) for status, _location, page in results]

        winner, loser = ("zhang", "li") if results[0][0] == 302 else ("li", "zhang")
        loser_page = results[1 if winner == "zhang" else 0][2]
        article.refresh_from_db()
        # The winner's save is whole: every field they typed, none of the loser's.
        assert article.title == typed[winner]["title"]
        for name, value in typed[winner].items():
            assert getattr(article, name) == value
        for name in set(typed[loser]) - set(typed[winner]):
            assert getattr(article, name) != typed[loser][name]
        # The loser is told who saved, and when, and still has their own text in the form.
        assert CONFLICT in loser_page and "修改并保存了它" in loser_page
        assert article.updated_by.get_full_name() in loser_page
        assert timezone.localtime(article.updated_at).strftime("%H:%M:%S") in loser_page
        assert f'value="{typed[loser]["title"]}"' in loser_page
        assert field_value(loser_page, "loaded_version") == str(article.version)
    assert article.version == ROUNDS
    assert article.history.count() == 1 + ROUNDS  # one version per round: the loser wrote nothing


def test_the_loser_of_a_race_overwrites_knowingly_by_saving_again(race_server, editors, make_article):
    article = make_article(status=Status.DRAFT, title="原标题")
    zhang, li = (Browser(race_server, person) for person in editors)
    url = change_url(article)
    pages = zhang.get(url), li.get(url)
    results = at_once(
        posting(zhang, url, form_of(pages[0], "article_form", title="张三的标题")),
        posting(li, url, form_of(pages[1], "article_form", title="李四的标题")),
    )
    loser, page = [
        (browser, page) for browser, (status, _, page) in zip((zhang, li), results, strict=True) if status == 200
    ][0]
    status, _location, _page = loser.send("POST", url, form_of(page, "article_form"))  # the form as it came back
    assert status == 302
    article.refresh_from_db()
    assert article.title == ("李四的标题" if loser is li else "张三的标题")


def test_an_add_form_sent_twice_at_once_adds_one_article(race_server, editors, column):
    for round_ in range(1, ROUNDS + 1):
        tab = Browser(race_server, editors[0])
        page = tab.get(add_url(Article))
        again = tab.copy()  # the same session and page: the same form, sent a second time
        data = form_of(page, "article_form", column=column.pk, title=f"只应有一篇{round_}", body="<p>正文</p>")
        results = at_once(
            posting(tab, add_url(Article), data),
            posting(again, add_url(Article), data),
        )
        assert [status for status, _location, _page in results] == [302, 302], [errors_in(p) for *_, p in results]
        added = Article.objects.get(title=f"只应有一篇{round_}")
        locations = [location for _status, location, _page in results]
        assert sorted(locations) == sorted([reverse("admin:news_article_changelist"), change_url(added)])
        second = (tab, again)[locations.index(change_url(added))]
        assert ALREADY_SUBMITTED in second.get(change_url(added))  # the second lands on the first one's article
    assert Article.objects.count() == ROUNDS


# --- the message and the form that comes back ----------------------------------------------------------------------


def test_the_second_to_save_sees_who_saved_when_and_keeps_their_text(editors, make_article):
    article = make_article(status=Status.DRAFT, title="共同编辑的稿子")
    zhang, li = Client(), Client()
    zhang.force_login(editors[0])
    li.force_login(editors[1])
    url = change_url(article)
    page_zhang, page_li = zhang.get(url).content.decode(), li.get(url).content.decode()

    assert zhang.post(url, form_of(page_zhang, "article_form", title="张三改的标题")).status_code == 302
    response = li.post(url, form_of(page_li, "article_form", title="李四改的标题", body="<p>李四写了很多字</p>"))
    assert response.status_code == 200
    page = response.content.decode()
    article.refresh_from_db()
    when = timezone.localtime(article.updated_at).strftime("%H:%M:%S")
    assert f"保存未成功：您打开这一页之后，张三 在 {when} 修改并保存了它。" in page
    assert 'value="李四改的标题"' in page and "&lt;p&gt;李四写了很多字&lt;/p&gt;" in page
    assert article.title == "张三改的标题"

    # Saving the form that came back is a deliberate overwrite.
    assert li.post(url, form_of(page, "article_form")).status_code == 302
    article.refresh_from_db()
    assert article.title == "李四改的标题" and article.body == "<p>李四写了很多字</p>"
    assert article.updated_by == editors[1]


def test_a_bulk_action_while_the_form_is_open_is_a_change_like_any_other(editors, make_article):
    article = make_article(status=Status.DRAFT, title="草稿")
    zhang, li = Client(), Client()
    zhang.force_login(editors[0])
    li.force_login(editors[1])
    page = zhang.get(change_url(article)).content.decode()

    changelist = reverse("admin:news_article_changelist")
    li.post(changelist, {"action": "submit_for_review", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Status.REVIEW

    response = zhang.post(change_url(article), form_of(page, "article_form", title="张三改的标题"))
    assert response.status_code == 200 and "李四 在" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.REVIEW and article.title == "草稿"  # the move is not undone


def test_verifying_figures_in_bulk_is_a_change_too(client, editor, reviewer, section):
    metric = Metric.objects.create(section=section, label="法律援助站点", value=134, unit="处")
    client.force_login(editor)
    page = client.get(change_url(metric)).content.decode()
    verifier = Client()
    verifier.force_login(reviewer)
    verifier.post(
        reverse("admin:achievements_metric_changelist"), {"action": "mark_verified", "_selected_action": [metric.pk]}
    )
    metric.refresh_from_db()
    assert metric.is_verified and metric.updated_by == reviewer

    response = client.post(change_url(metric), form_of(page, "metric_form", value="150"))
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    metric.refresh_from_db()
    assert metric.value == 134 and metric.is_verified


def test_a_save_caught_by_the_update_itself_writes_nothing(monkeypatch, editors, section):
    """The race the form's own check cannot see: the other save commits after this form was checked. The UPDATE
    that claims the version finds it gone; the save, the figure's yearly values included, rolls back."""
    metric = Metric.objects.create(section=section, label="法律援助站点", value=134, unit="处")
    zhang, li = Client(), Client()
    zhang.force_login(editors[0])
    li.force_login(editors[1])
    url = change_url(metric)
    page_li = li.get(url).content.decode()
    assert zhang.post(url, form_of(zhang.get(url).content.decode(), "metric_form", value="140")).status_code == 302

    checked = concurrency.EditConflictMixin.clean

    def checked_too_early(form):  # as if the other save had not committed yet when this form was checked
        return checked(form) if form.edit_conflict else super(concurrency.EditConflictMixin, form).clean()

    monkeypatch.setattr(concurrency.EditConflictMixin, "clean", checked_too_early)
    yearly = {"values-TOTAL_FORMS": "1", "values-0-year": "2020", "values-0-value": "100"}
    response = li.post(url, form_of(page_li, "metric_form", value="150", **yearly))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{CONFLICT}，张三 在" in page and 'value="150"' in page
    metric.refresh_from_db()
    assert metric.value == 140 and metric.updated_by == editors[0]
    assert not MetricValue.objects.exists()


def album_form(page, **changes):
    return form_of(page, "album_form", **changes)


def test_albums_figures_and_site_settings_are_guarded_alike(client, editor, reviewer, section):
    """Each versioned model's change page: the second save from the same version stops, the first is kept."""
    album = Album.objects.create(title="职工运动会")
    metric = Metric.objects.create(section=section, label="法律援助站点", value=134, unit="处")
    settings_record = SiteSettings.objects.create()
    cases = [
        (album, "album_form", {"description": "第一位写的说明"}, {"description": "第二位写的说明"}, editor),
        (metric, "metric_form", {"value": "140"}, {"value": "150"}, editor),
        (settings_record, "sitesettings_form", {"phone": "0543-1111111"}, {"phone": "0543-2222222"}, reviewer),
    ]
    for obj, form_id, first_change, second_change, person in cases:
        first, second = Client(), Client()
        first.force_login(person)
        second.force_login(person)
        url = change_url(obj)
        page_first, page_second = first.get(url).content.decode(), second.get(url).content.decode()
        assert first.post(url, form_of(page_first, form_id, **first_change)).status_code == 302
        response = second.post(url, form_of(page_second, form_id, **second_change))
        assert response.status_code == 200 and CONFLICT in response.content.decode(), obj
        obj.refresh_from_db()
        ((name, value),) = first_change.items()
        assert str(getattr(obj, name)) in {value, f"{value}.00"}, obj
        assert obj.updated_by == person and obj.version == 1


def test_every_save_moves_the_version_on(make_article, section):
    article = make_article(title="一")
    assert article.version == 0
    article.title = "二"
    article.save()
    assert article.version == 1
    stale = Article.objects.get(pk=article.pk)
    article.save()
    stale.save()  # an instance read before another save still moves the version on, never back
    stale.refresh_from_db()
    assert stale.version == 3
    metric, _created = Metric.objects.update_or_create(
        section=section, label="法律援助站点", defaults={"value": Decimal(1), "unit": "处"}
    )
    Metric.objects.update_or_create(section=section, label="法律援助站点", defaults={"value": Decimal(2)})
    metric.refresh_from_db()
    assert metric.version == 1  # also when saved with update_fields


# --- one add form, sent twice --------------------------------------------------------------------------------------


def add_cases(column, section):
    return [
        (Article, "article_form", {"column": column.pk, "title": "双击提交的文章", "body": "<p>正文</p>"}),
        (Album, "album_form", {"title": "双击提交的相册"}),
        (Metric, "metric_form", {"section": section.pk, "label": "双击提交的指标", "value": "12", "unit": "处"}),
    ]


@pytest.mark.parametrize("case", range(3), ids=["article", "album", "metric"])
def test_an_add_form_sent_twice_adds_one_row_and_lands_on_it(client, editor, column, section, case):
    model, form_id, typed = add_cases(column, section)[case]
    client.force_login(editor)
    data = form_of(client.get(add_url(model)).content.decode(), form_id, **typed)
    assert client.post(add_url(model), data).status_code == 302
    response = client.post(add_url(model), data)  # the same form again: a double click, a resend
    added = model.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(added)
    assert ALREADY_SUBMITTED in client.get(response["Location"]).content.decode()


def test_an_add_form_that_came_back_with_errors_can_still_be_sent(client, editor, column):
    client.force_login(editor)
    page = client.get(add_url(Article)).content.decode()
    token = field_value(page, "form_token")
    response = client.post(add_url(Article), form_of(page, "article_form", column=column.pk, title=""))
    assert response.status_code == 200 and field_value(response.content.decode(), "form_token") == token
    assert not FormToken.objects.exists()  # unused: nothing was added
    fixed = form_of(response.content.decode(), "article_form", title="补上标题")
    assert client.post(add_url(Article), fixed).status_code == 302
    assert Article.objects.get().title == "补上标题"
    assert FormToken.objects.get().object_id == str(Article.objects.get().pk)


def test_form_tokens_are_kept_for_a_day(client, editor):
    old = FormToken.objects.create(key="old", model="gallery.album", created_at=timezone.now() - timedelta(days=2))
    recent = FormToken.objects.create(key="recent", model="gallery.album", created_at=timezone.now())
    client.force_login(editor)
    data = form_of(client.get(add_url(Album)).content.decode(), "album_form", title="新相册")
    assert client.post(add_url(Album), data).status_code == 302
    assert not FormToken.objects.filter(pk=old.pk).exists() and FormToken.objects.filter(pk=recent.pk).exists()
