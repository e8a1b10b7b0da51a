"""网站巡检, 外部链接: checked by a background task against a real local web server (no mocks): 200, 404, a refused
port, HEAD refused but GET fine; one request per host per interval; at most `per_run` a run; results kept a week."""

import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from tests.workers import run_worker
from union_site.inspection import external
from union_site.inspection.findings import SERIOUS
from union_site.inspection.models import ExternalLink
from union_site.inspection.report import inspect_site
from union_site.models import QuickLink

INTERVAL = 0.3


class Answers(BaseHTTPRequestHandler):
    """/ok… 200, /head-refused 405 to HEAD and 200 to GET, anything else 404; every request is noted."""

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, with_body):
        self.server.seen.append((self.command, self.path, time.monotonic()))
        if self.path.startswith("/ok"):
            status = 200
        elif self.path == "/head-refused":
            status = 405 if self.command == "HEAD" else 200
        else:
            status = 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def refused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def checking(settings):
    """127.0.0.1 is another site here (not one of ours), and may be asked; a short interval keeps the test quick."""
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.INSPECTION_EXTERNAL = {**settings.INSPECTION_EXTERNAL, "private_hosts": True, "host_interval": INTERVAL}
    return settings.INSPECTION_EXTERNAL


def base(server):
    return f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def linked(make_article, server, refused_port, checking):
    urls = [
        f"{base(server)}/ok",
        f"{base(server)}/missing",
        f"{base(server)}/head-refused",
        f"http://127.0.0.1:{refused_port}/",
    ]
    make_article(title="外链文章", body="".join(f'<a href="{url}">{n}</a>' for n, url in enumerate(urls)))
    return urls


def results():
    return {link.url: (link.status, link.error) for link in ExternalLink.objects.all()}


def test_a_check_stores_what_each_address_answered(linked, server):
    done = external.check_external_links()
    assert done == {"checked": 4, "broken": 2, "waiting": 0, "linked": 4}
    ok, missing, head_refused, refused = linked
    assert results() == {
        ok: (200, ""),
        missing: (404, ""),
        head_refused: (200, ""),
        refused: (None, "连接被拒绝"),
    }
    assert [(method, path) for method, path, _ in server.seen] == [
        ("HEAD", "/ok"),
        ("HEAD", "/missing"),
        ("GET", "/missing"),  # HEAD answered with an error: asked again with GET
        ("HEAD", "/head-refused"),
        ("GET", "/head-refused"),
    ]


def test_one_host_is_asked_at_most_once_per_interval(linked, server):
    external.check_external_links()
    starts = [at for _, _, at in server.seen]
    assert len(starts) == 5
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    # Seen by the server: a request held up on its way (a busy machine) arrives closer to the next one, never early.
    assert min(gaps) >= INTERVAL / 2 and starts[-1] - starts[0] >= 4 * INTERVAL - 0.1, gaps


def test_the_report_lists_broken_links_where_they_are(linked, make_article):
    external.check_external_links()
    section = next(s for s in inspect_site().sections if s.key == "external")
    assert [(f.severity, f.where) for f in section.findings] == [(SERIOUS, "文章《外链文章》")] * 2
    assert "对方网站回答 HTTP 404" in section.findings[0].what and "连接被拒绝" in section.findings[1].what
    assert "外部链接 4 个，已有检查结果 4 个" in section.note


def test_at_most_per_run_addresses_a_run_and_the_rest_next_time(linked, checking):
    checking["per_run"] = 3
    assert external.check_external_links()["waiting"] == 1
    assert len(results()) == 3
    assert external.check_external_links() == {"checked": 1, "broken": 1, "waiting": 0, "linked": 4}
    assert set(results()) == set(linked)


def test_results_are_reused_for_a_week(linked, server, monkeypatch):
    external.check_external_links()
    asked = len(server.seen)
    assert external.check_external_links()["checked"] == 0 and len(server.seen) == asked
    later = timezone.now() + timedelta(days=7, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert external.check_external_links()["checked"] == 4 and len(server.seen) == asked * 2


def test_addresses_no_longer_linked_are_forgotten(linked, server):
    external.check_external_links()
    from news.models import Article

    Article.objects.update(body=f'<a href="{base(server)}/ok">只剩一个</a>')
    external.check_external_links()
    assert list(results()) == [f"{base(server)}/ok"]


def test_addresses_inside_the_network_are_not_asked_by_default(make_article, server, checking):
    checking["private_hosts"] = False
    QuickLink.objects.create(name="内网", url=f"{base(server)}/ok")
    external.check_external_links()
    assert results() == {f"{base(server)}/ok": (None, "指向内网或保留地址，不检查")}
    assert server.seen == []


def test_the_page_queues_the_check_and_the_worker_runs_it(client, reviewer, linked, server):
    client.force_login(reviewer)
    page = client.get("/admin/inspection/report/").content.decode()
    assert "检查外部链接" in page and "外部链接 4 个，已有检查结果 0 个" in page
    assert server.seen == []  # opening the page asks no other site

    response = client.post("/admin/inspection/report/check-external/", follow=True)
    assert "已加入后台任务" in response.content.decode() and "等待后台任务执行" in response.content.decode()
    again = client.post("/admin/inspection/report/check-external/", follow=True)
    assert "已在排队或正在进行" in again.content.decode()
    assert server.seen == []  # nothing is asked in the request

    run_worker()
    assert len(results()) == 4
    page = client.get("/admin/inspection/report/").content.decode()
    assert "外部链接 4 个，已有检查结果 4 个" in page and "连接被拒绝" in page
    assert "全部外部链接的检查结果（4 个" in page and "正常（HTTP 200）" in page
    assert "等待后台任务执行" not in page


def test_the_button_only_posts(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/inspection/report/check-external/").status_code == 405
