"""Throwaway servers of the shared engines for tests: a Redis (Debian's redis-server) and an S3 (moto's server
mode), each on a free local port, in memory only, stopped by `stop()`. For tests that start their own, e.g. one
that stops Redis halfway, or several gunicorn hosts sharing one Redis and one bucket:

    redis = start_redis()                 # redis.url: "redis://127.0.0.1:PORT/0"
    s3 = start_moto()                     # s3.url: "http://127.0.0.1:PORT"
    create_bucket(s3.url, "union-site")
    env = {"REDIS_URL": redis.url, **s3_environment(s3.url, "union-site")}
    ...
    redis.stop(); s3.stop()

Both raise ServerUnavailable (with the reason, for pytest.skip) when the program is not installed.
.ci/run starts its own pair for the whole PostgreSQL run (REDIS_URL, DJANGO_S3_*); these are apart from those.
"""

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

START_SECONDS = 20
S3_ACCESS_KEY = "testing"
S3_SECRET_KEY = "testing-secret"  # moto accepts any credentials
S3_REGION = "us-east-1"


class ServerUnavailable(Exception):
    """The server's program is not installed here."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path
    folder: tempfile.TemporaryDirectory = field(repr=False)
    restart_command: list = field(default_factory=list, repr=False)

    @property
    def running(self):
        return self.process.poll() is None

    def stop(self):
        """Stops the server (idempotent); what it held is gone."""
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def start_again(self):
        """The same program on the same port, empty (both servers keep nothing on disk)."""
        self.stop()
        self.process = _spawn(self.restart_command, self.log)
        _wait_until_accepting(self, self.port)

    def close(self):
        self.stop()
        self.folder.cleanup()


def _spawn(command, log):
    with open(log, "ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _wait_until_accepting(server, port):
    deadline = time.monotonic() + START_SECONDS
    while not accepts(port):
        if not server.running:
            raise RuntimeError(f"{server.restart_command[0]} exited: {server.log.read_text(errors='replace')[-2000:]}")
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"{server.restart_command[0]} not listening on {port} after {START_SECONDS} s")
        time.sleep(0.05)


def _start(command_for_port, url_for_port):
    folder = tempfile.TemporaryDirectory(prefix="union-site-server-")
    port = free_port()
    command = command_for_port(port, folder.name)
    log = Path(folder.name) / "server.log"
    server = Server(url_for_port(port), port, _spawn(command, log), log, folder, command)
    try:
        _wait_until_accepting(server, port)
    except BaseException:
        server.close()
        raise
    return server


def redis_server_program():
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


def start_redis():
    """A redis-server keeping nothing on disk; Server.url is its REDIS_URL."""
    program = redis_server_program()
    if not program:
        raise ServerUnavailable("redis-server is not installed (apt-get install redis-server)")

    def command(port, folder):
        return [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", folder, "--protected-mode", "no"]  # fmt: skip

    return _start(command, lambda port: f"redis://127.0.0.1:{port}/0")


def moto_installed():
    return importlib.util.find_spec("moto") is not None and importlib.util.find_spec("flask") is not None


def start_moto():
    """moto's S3 in server mode (requirements-dev.txt: moto[server]); Server.url is its endpoint URL."""
    if not moto_installed():
        raise ServerUnavailable("moto[server] is not installed (pip install -r requirements-dev.txt)")

    def command(port, folder):
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]

    return _start(command, lambda port: f"http://127.0.0.1:{port}")


def s3_client(endpoint_url):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )


def public_read_policy(bucket):
    """The bucket policy README asks for: anyone may read objects (GetObject), nobody may list or write."""
    statement = {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def create_bucket(endpoint_url, bucket, public_read=True):
    """The bucket, made if missing (us-east-1 takes no location constraint), readable by anyone when `public_read`
    (moto, like S3, refuses an anonymous GET otherwise)."""
    client = s3_client(endpoint_url)
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        client.create_bucket(Bucket=bucket)
    if public_read:
        client.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket))
    return client


def s3_environment(endpoint_url, bucket, location=""):
    """The DJANGO_S3_* variables of a site storing its uploads in `bucket` on that server (README, Configuration)."""
    env = {
        "DJANGO_S3_BUCKET": bucket,
        "DJANGO_S3_ENDPOINT_URL": endpoint_url,
        "DJANGO_S3_REGION": S3_REGION,
        "DJANGO_S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "DJANGO_S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
    }
    if location:
        env["DJANGO_S3_LOCATION"] = location
    return env


def s3_storages(endpoint_url, bucket, location="", signed=False):
    """settings.STORAGES with the default storage in that bucket, made as settings.py makes it from the variables."""
    from django.conf import settings

    from union_site.common.s3 import s3_storage

    storage, _base = s3_storage(
        bucket=bucket,
        endpoint_url=endpoint_url,
        region=S3_REGION,
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        location=location,
        signed=signed,
    )
    return {**settings.STORAGES, "default": storage}


# nginx in front of a site -------------------------------------------------------------------------------------------

NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
NGINX_HOST = "www.example.org"  # deploy/nginx.conf's server_name: send it as Host


def nginx_program():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def openssl_program():
    return shutil.which("openssl")


def nginx_conf_in(folder, upstream_port, http_port, https_port, static_root=None, media_root=None,
                  worker_connections=64):  # fmt: skip
    """deploy/nginx.conf with its machine paths and ports moved into `folder` (static files and uploads from
    `static_root` and `media_root` when given, else folders in `folder`) and a self-signed certificate for
    NGINX_HOST, inside a minimal nginx.conf; returns the path of that nginx.conf. Raises ValueError when
    deploy/nginx.conf no longer holds a line this rewrites."""
    folder = Path(folder)
    for name in ["cache", "static/css", "media/photos", "logs", "acme", "temp"]:
        (folder / name).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [openssl_program(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={NGINX_HOST}"]
        + ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True,
        capture_output=True,
    )
    text = NGINX_CONF.read_text(encoding="utf-8")
    for old, new in {
        "/var/cache/nginx/union-site": f"{folder}/cache",
        "/srv/union-site/var/static/": f"{static_root or folder / 'static'}/",
        "/srv/union-site/var/media/": f"{media_root or folder / 'media'}/",
        "/var/log/nginx/": f"{folder}/logs/",
        "/var/www/letsencrypt": f"{folder}/acme",
        f"/etc/letsencrypt/live/{NGINX_HOST}/fullchain.pem": f"{folder}/cert.pem",
        f"/etc/letsencrypt/live/{NGINX_HOST}/privkey.pem": f"{folder}/key.pem",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
    }.items():
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer holds {old!r}")
        text = text.replace(old, new)
    (folder / "union-site.conf").write_text(text, encoding="utf-8")
    temp = folder / "temp"
    mime_types = Path("/etc/nginx/mime.types")
    (folder / "nginx.conf").write_text(
        f"""
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
events {{ worker_connections {worker_connections}; }}
http {{
    {f"include {mime_types};" if mime_types.exists() else "types { text/css css; image/jpeg jpg; }"}
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/union-site.conf;
}}
""",
        encoding="utf-8",
    )
    return folder / "nginx.conf"


def nginx_command(conf, *args):
    """nginx run on `conf` (from nginx_conf_in), its prefix and error log in conf's folder, as any user."""
    return [nginx_program(), "-p", str(conf.parent), "-e", str(conf.parent / "logs" / "error.log"), "-c", str(conf),
            *args]  # fmt: skip


def start_nginx(upstream_port, static_root=None, media_root=None, worker_connections=1024):
    """deploy/nginx.conf in front of 127.0.0.1:`upstream_port`, one unprivileged process (no master, no daemon);
    Server.url is its https://127.0.0.1:PORT (self-signed: don't verify; send `Host: NGINX_HOST`)."""
    if not (nginx_program() and openssl_program()):
        raise ServerUnavailable("nginx or openssl is not installed (apt-get install nginx openssl)")

    def command(port, folder):
        conf = nginx_conf_in(folder, upstream_port, free_port(), port, static_root, media_root, worker_connections)
        return nginx_command(conf, "-g", "daemon off; master_process off;")

    return _start(command, lambda port: f"https://127.0.0.1:{port}")
