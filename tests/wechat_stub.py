"""A stand-in for the WeChat 公众号 API on a free local port (http.server in a thread), for the draft push's tests:
no request leaves the machine. It speaks what the push uses, as WeChat does: /cgi-bin/token, media/uploadimg,
material/add_material, draft/add, draft/update; it refuses what WeChat refuses (an unknown or expired token 42001,
pictures that are not JPEG/PNG 40113 or over 1 MB 40009, an unknown draft 40007) and fails on request
(`fail_next(path, code)`, e.g. 45009, the daily limit). Everything it received is kept for the test to read."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LIMIT = 1024 * 1024
MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


@dataclass
class Stub:
    url: str = ""
    tokens_issued: int = 0
    valid_tokens: set = field(default_factory=set)
    expired_tokens: set = field(default_factory=set)
    uploads: list = field(default_factory=list)  # (path, mime, bytes)
    drafts: dict = field(default_factory=dict)  # media_id -> article
    calls: list = field(default_factory=list)  # paths in order
    failures: dict = field(default_factory=dict)  # path -> [codes]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, path, code):
        self.failures.setdefault(path, []).append(code)

    def expire_tokens(self):
        self.expired_tokens |= self.valid_tokens
        self.valid_tokens = set()

    def answer(self, path, query, content_type, body):
        self.calls.append(path)
        if path == "/cgi-bin/token":
            self.tokens_issued += 1
            token = f"TOKEN-{self.tokens_issued}"
            self.valid_tokens.add(token)
            return {"access_token": token, "expires_in": 7200}
        token = query.get("access_token", [""])[0]
        if token in self.expired_tokens:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if token not in self.valid_tokens:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        if self.failures.get(path):
            code = self.failures[path].pop(0)
            return {"errcode": code, "errmsg": "stub failure"}
        if path in ("/cgi-bin/media/uploadimg", "/cgi-bin/material/add_material"):
            return self.upload(path, content_type, body)
        article = json.loads(body.decode("utf-8"))
        if path == "/cgi-bin/draft/add":
            media_id = f"DRAFT-{len(self.drafts) + 1}"
            self.drafts[media_id] = article["articles"][0]
            return {"media_id": media_id}
        if path == "/cgi-bin/draft/update":
            if article["media_id"] not in self.drafts:
                return {"errcode": 40007, "errmsg": "invalid media_id"}
            self.drafts[article["media_id"]] = article["articles"]
            return {"errcode": 0, "errmsg": "ok"}
        return {"errcode": 40004, "errmsg": "unknown path"}

    def upload(self, path, content_type, body):
        boundary = content_type.split("boundary=")[1].encode()
        part = body.split(b"--" + boundary)[1]
        head, _, data = part.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        mime = next((m for magic, m in MAGIC.items() if data.startswith(magic)), None)
        if mime is None or mime.encode() not in head:
            return {"errcode": 40113, "errmsg": "unsupported file type"}
        if len(data) > LIMIT:
            return {"errcode": 40009, "errmsg": "invalid image size"}
        self.uploads.append((path, mime, data))
        if path.endswith("uploadimg"):
            return {"url": f"http://mmbiz.qpic.cn/stub/{len(self.uploads)}/0"}
        return {"media_id": f"THUMB-{len(self.uploads)}", "url": "http://mmbiz.qpic.cn/stub/thumb"}


def start_stub():
    """The stub, serving until `server.shutdown()`; returns (stub, server)."""
    stub = Stub()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle_one(self, body=b""):
            parts = urlsplit(self.path)
            with stub.lock:
                answer = stub.answer(parts.path, parse_qs(parts.query), self.headers.get("Content-Type", ""), body)
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.handle_one()

        def do_POST(self):
            self.handle_one(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return stub, server
