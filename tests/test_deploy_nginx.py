"""deploy/nginx.conf: nginx accepts it (`nginx -t`, inside an http {} block with its paths moved to a temporary folder),
it has the directives the site relies on, with limits that match the settings, and a running nginx in front of a
stand-in for gunicorn behaves so: the micro-cache serves anonymous pages and never staff's, static files are cached
for long, uploads are sandboxed. Skipped where nginx (Debian's `nginx`) or openssl is not installed."""

import gzip
import http.client
import http.server
import re
import socket
import ssl
import subprocess
import threading
import time

import pytest
from django.conf import settings

from gallery.bulk import ZIP_MAX_TOTAL_BYTES
from tests.servers import NGINX_CONF as CONF
from tests.servers import NGINX_HOST as HOST
from tests.servers import free_port, nginx_conf_in, nginx_program, openssl_program
from tests.servers import nginx_command as nginx

needs_nginx = pytest.mark.skipif(
    not (nginx_program() and openssl_program()), reason="nginx or openssl is not installed (apt-get install nginx)"
)
MB = 1024 * 1024


def directives():
    """The configuration without comments, one directive per item (split at ; { } outside quotes), spaces collapsed."""
    text = re.sub(r"#.*$", "", CONF.read_text(encoding="utf-8"), flags=re.MULTILINE)  # no value of ours holds a #
    found, current, quote = [], "", None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in ";{}":
            found.append(" ".join(current.split()))
            current = ""
            continue
        current += char
    return [directive for directive in found if directive]


def block(start):
    """The text of the location block that starts with `start` (no nested blocks in ours)."""
    text = CONF.read_text(encoding="utf-8")
    return text[text.index(start) :].split("}", 1)[0]


def megabytes(value):
    assert value.endswith("m"), value
    return int(value[:-1]) * MB


def test_body_limits_match_the_upload_settings():
    limits = [d.split()[1] for d in directives() if d.startswith("client_max_body_size ")]
    server, bulk = megabytes(limits[0]), megabytes(limits[1])
    # One picture at the image limit plus a form's text at Django's limit fits in an ordinary request.
    assert server >= settings.UPLOAD_IMAGE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert server < 2 * settings.UPLOAD_IMAGE_MAX_BYTES
    # The bulk upload takes as much as one ZIP may hold unpacked, far less than 300 files of 20 MB.
    assert bulk == ZIP_MAX_TOTAL_BYTES
    assert bulk < settings.DATA_UPLOAD_MAX_NUMBER_FILES * settings.UPLOAD_IMAGE_MAX_BYTES
    assert "client_max_body_size 1024m" in block("location ~ ^/admin/gallery/album/[0-9]+/upload/$")


def test_the_article_form_takes_two_attachments_at_the_limit():
    """附件 are uploaded with the article form: two files at ATTACHMENT_MAX_BYTES (50 MB) and the form's text fit in
    one request there, and only there; the ordinary limit stays as it was."""
    article_form = block("location ~ ^/admin/news/article/(add|[0-9]+/change)/$")
    limit = megabytes(re.search(r"client_max_body_size (\d+m);", article_form).group(1))
    assert limit >= 2 * settings.ATTACHMENT_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit < 3 * settings.ATTACHMENT_MAX_BYTES
    assert "proxy_read_timeout 120s" in article_form and "proxy_pass http://union_site_gunicorn" in article_form
    assert settings.ATTACHMENT_MAX_BYTES > settings.UPLOAD_IMAGE_MAX_BYTES  # hence a location of its own


def test_the_directives_the_site_relies_on_are_there():
    found = directives()
    for expected in [
        "server 127.0.0.1:8000",
        "proxy_set_header Host $host",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for",
        "proxy_set_header X-Forwarded-Proto $scheme",
        "client_body_timeout 120s",
        "send_timeout 120s",
        "proxy_read_timeout 60s",
        "proxy_read_timeout 300s",
        "gzip on",
        "expires $union_site_static_expires",
        'add_header X-Content-Type-Options "nosniff" always',
        "add_header Content-Security-Policy \"default-src 'none'; sandbox\" always",
        "proxy_cache union_site_micro",
        'proxy_cache_key "$scheme://$host$request_uri|elder=$cookie_elder|fs=$cookie_fs"',
        "proxy_cache_valid 200 301 302 404 5s",
        "proxy_cache_bypass $union_site_no_cache",
        "proxy_no_cache $union_site_no_cache $upstream_http_set_cookie",
    ]:
        assert expected in found, expected
    gzip_types = next(d for d in found if d.startswith("gzip_types"))
    for mime in ["text/css", "application/javascript", "application/json", "application/rss+xml", "image/svg+xml"]:
        assert mime in gzip_types
    assert "sessionid|csrftoken" in CONF.read_text(encoding="utf-8")
    assert f"alias {settings.STATIC_URL.rstrip('/')}" not in found  # alias points at a folder, not the URL
    assert "proxy_cache" not in block("location /admin/ {")
    media = block("location /media/ {")
    assert "nosniff" in media and "sandbox" in media


# nginx itself -------------------------------------------------------------------------------------------------------


@needs_nginx
def test_nginx_accepts_the_file(tmp_path):
    conf = nginx_conf_in(tmp_path, free_port(), free_port(), free_port())
    checked = subprocess.run(nginx(conf, "-t"), capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


class Gunicorn(http.server.BaseHTTPRequestHandler):
    """Stands in for the site: counts the requests that reach it, answers HTML with the page cache's headers
    (union_site/page_cache.py: browsers revalidate, shared caches may keep it 5 s), sets a cookie when asked."""

    hits = []

    def do_GET(self):
        type(self).hits.append((self.path, self.headers.get("Cookie", ""), self.headers.get("X-Forwarded-Proto")))
        body = f"<!doctype html><p>第 {len(self.hits)} 次 {'x' * 2000}</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "public, max-age=0, s-maxage=5")
        if "set-cookie" in self.path:
            self.send_header("Set-Cookie", "fs=l; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def running_nginx(tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gunicorn)
    Gunicorn.hits = []
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    https_port = free_port()
    conf = nginx_conf_in(tmp_path, upstream.server_address[1], free_port(), https_port)
    (tmp_path / "static/css/site.css").write_text("body { color: #222; }\n" * 200)
    (tmp_path / "static/css/site.0123456789ab.css").write_text("body { color: #222; }\n")
    (tmp_path / "media/photos/p.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    process = subprocess.Popen(nginx(conf, "-g", "daemon off; master_process off;"), stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield https_port
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()


def fetch(port, path, method="GET", **headers):
    context = ssl._create_unverified_context()  # noqa: S323 - the test's own self-signed certificate
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.request(method, path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@needs_nginx
def test_the_micro_cache_serves_anonymous_visitors_and_never_staff(running_nginx):
    port = running_nginx
    statuses = [fetch(port, "/news/")[0].getheader("X-Cache-Status") for _ in range(3)]
    assert statuses == ["MISS", "HIT", "HIT"] and len(Gunicorn.hits) == 1
    assert Gunicorn.hits[0][2] == "https"  # X-Forwarded-Proto

    assert fetch(port, "/news/", Cookie="elder=1")[0].getheader("X-Cache-Status") == "MISS"  # its own copy
    assert fetch(port, "/news/", Cookie="elder=1; _ga=x")[0].getheader("X-Cache-Status") == "HIT"
    assert len(Gunicorn.hits) == 2

    for cookie in ["sessionid=abc", "elder=1; csrftoken=xyz"]:
        statuses = [fetch(port, "/news/", Cookie=cookie)[0].getheader("X-Cache-Status") for _ in range(2)]
        assert statuses == ["BYPASS", "BYPASS"]
    assert len(Gunicorn.hits) == 6

    for _ in range(2):
        fetch(port, "/news/?set-cookie=1")
        fetch(port, "/admin/")
    assert len(Gunicorn.hits) == 10  # an answer that sets a cookie, and the admin, are never cached

    time.sleep(6.2)  # 5 s, counted by nginx in whole seconds: gone within 6
    assert fetch(port, "/news/")[0].getheader("X-Cache-Status") in ("EXPIRED", "UPDATING", "STALE")


@needs_nginx
def test_static_files_are_cached_long_uploads_are_sandboxed_and_text_is_compressed(running_nginx):
    port = running_nginx
    hashed, _ = fetch(port, "/static/css/site.0123456789ab.css")
    assert hashed.status == 200 and "max-age=315360000" in hashed.getheader("Cache-Control")
    plain, body = fetch(port, "/static/css/site.css", **{"Accept-Encoding": "gzip"})
    assert plain.getheader("Cache-Control") == "max-age=3600"
    assert plain.getheader("Content-Encoding") == "gzip" and gzip.decompress(body).startswith(b"body {")
    media, _ = fetch(port, "/media/photos/p.jpg")
    assert media.status == 200 and media.getheader("X-Content-Type-Options") == "nosniff"
    assert media.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"
    page, body = fetch(port, "/", **{"Accept-Encoding": "gzip"})
    assert page.getheader("Content-Encoding") == "gzip" and "第 1 次" in gzip.decompress(body).decode()
    assert not Gunicorn.hits[1:]  # static files and uploads never reached gunicorn


@needs_nginx
def test_a_body_over_the_limit_gets_a_chinese_page_from_nginx(running_nginx):
    page, body = fetch(running_nginx, "/admin/gallery/album/add/", method="POST", **{"Content-Length": str(30 * MB)})
    assert page.status == 413 and "提交的内容太大" in body.decode()
    article, body = fetch(
        running_nginx, "/admin/news/article/7/change/", method="POST", **{"Content-Length": str(105 * MB)}
    )
    assert article.status == 413 and "文章附件每次最多 104 MB" in body.decode()
    bulk, _ = fetch(
        running_nginx, "/admin/gallery/album/1/upload/", method="POST", **{"Content-Length": str(1025 * MB)}
    )
    assert bulk.status == 413
