"""manage.py backup / restore (union_site/backup/): a backup of the demo site restored into a fresh, empty database
and empty folders has every table's rows and every file's bytes; a non-empty target and a tampered archive are
refused. Runs on the database the suite runs on: SQLite (the target is a new database file) or PostgreSQL (the target
is a new database created here and dropped afterwards), and on the uploads' storage: MEDIA_ROOT, or the bucket when
.ci/run sets DJANGO_S3_* (the target is then a new folder of the bucket)."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from news.models import Article
from tests.factories import (
    bucket_storages,
    empty_bucket_folder,
    jpeg,
    store,
    stored_names,
    uploads_in_bucket,
)
from union_site.backup import database
from union_site.backup.database import BackupError
from union_site.models import ExportLog

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRESQL = connection.vendor == "postgresql"


def checksums(folder):
    """{relative path: sha256} of every file under `folder`."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def stored_checksums(storage=None):
    """{name: sha256} of every upload in `storage` (default: the site's: MEDIA_ROOT, or the test's bucket folder)."""
    storage = storage or default_storage

    def sha256(name):
        with storage.open(name, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    return {name: sha256(name) for name in stored_names(storage=storage)}


class MediaTarget:
    """Where the restoring process puts the uploads: a new folder, or, when the suite runs on a bucket, a new folder
    of the bucket (DJANGO_S3_LOCATION)."""

    def __init__(self, folder):
        self.folder = folder
        self.storages = bucket_storages(f"restored/{uuid.uuid4().hex}") if uploads_in_bucket() else None

    def env(self):
        if self.storages:
            return {"DJANGO_S3_LOCATION": self.storages["default"]["OPTIONS"]["location"]}
        return {"DJANGO_MEDIA_ROOT": str(self.folder)}

    def storage(self):
        if self.storages:
            return storages.create_storage(self.storages["default"])
        return FileSystemStorage(location=self.folder)

    def checksums(self):
        return stored_checksums(self.storage())

    def add(self, name, data):
        self.storage().save(name, ContentFile(data))

    def drop(self):
        if self.storages:
            empty_bucket_folder(self.storages)


class SqliteTarget:
    """A new SQLite database file that does not exist yet (the site creates it on first connection)."""

    def __init__(self, folder):
        self.path = folder / "restored.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def row_counts(self):
        with closing(sqlite3.connect(self.path)) as db:
            names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            names = [n for n in names if n != "sqlite_sequence"]
            return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608

    def drop(self):
        pass


class PostgresTarget:
    """A new, empty database on the suite's PostgreSQL server (the CI user may create databases)."""

    def __init__(self):
        import psycopg2

        self.psycopg2 = psycopg2
        params = connection.settings_dict
        self.server = {
            "host": params["HOST"] or None,
            "port": params["PORT"] or None,
            "user": params["USER"] or None,
            "password": params["PASSWORD"] or None,
        }
        self.name = f"union_site_restore_{uuid.uuid4().hex[:12]}"
        with closing(self.connect("postgres")) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        credentials = quote(params["USER"] or "")
        if params["PASSWORD"]:
            credentials += ":" + quote(params["PASSWORD"])
        host = params["HOST"] or "127.0.0.1"
        port = f":{params['PORT']}" if params["PORT"] else ""
        self.url = f"postgres://{credentials}@{host}{port}/{self.name}"

    def connect(self, dbname):
        return self.psycopg2.connect(dbname=dbname, **self.server)

    def row_counts(self):
        with closing(self.connect(self.name)) as db, db.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
            counts = {}
            for (name,) in cursor.fetchall():
                cursor.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 - a table name
                counts[name] = cursor.fetchone()[0]
            return counts

    def drop(self):
        with closing(self.connect("postgres")) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def empty_target(tmp_path):
    target = PostgresTarget() if ON_POSTGRESQL else SqliteTarget(tmp_path)
    yield target
    target.drop()


def restore_in_new_process(archive_path, target, media, private, *extra):
    """`manage.py restore` as an operator runs it on the new machine: its own settings, database and folders."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "union_site.settings_test",
        "DATABASE_URL": target.url,
        **media.env(),
        "DJANGO_PRIVATE_ROOT": str(private),
    }
    command = [sys.executable, "manage.py", "restore", str(archive_path), *extra]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def make_backup(folder):
    out = io.StringIO()
    call_command("backup", "-o", f"{folder}/", stdout=out)
    made = list(Path(folder).iterdir())
    assert len(made) == 1 and made[0].name.endswith(".tar.gz"), made  # no .part left behind
    return made[0], out.getvalue()


def add_extra_rows_and_files(superuser, make_article):
    article = make_article(title="备份测试：全市工会工作会议召开")
    ExportLog.objects.create(user=superuser, username=superuser.username, report="新闻发布统计", format="xlsx")
    LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=article.title,
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
    )
    assert store("uploads/测试 图片.jpg", jpeg()) == "uploads/测试 图片.jpg"
    private = Path(settings.PRIVATE_ROOT) / "imports" / "待确认的导入.xlsx"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"PK\x03\x04 not really a workbook")


def test_backup_restored_into_an_empty_database_has_every_row_and_file(
    transactional_db, demo, superuser, make_article, tmp_path, empty_target, request
):
    add_extra_rows_and_files(superuser, make_article)
    archive_path, said = make_backup(tmp_path / "backups")
    assert "已备份到" in said and "张表" in said
    assert oct(archive_path.stat().st_mode & 0o777) == "0o600"  # it holds password hashes

    source_rows = database.row_counts(connection)
    source_media, source_private = stored_checksums(), checksums(settings.PRIVATE_ROOT)
    with tarfile.open(archive_path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["created_at"].endswith("+08:00")  # Beijing time
    assert manifest["database"]["vendor"] == connection.vendor and manifest["django_version"].startswith("5.2")
    assert manifest["database"]["tables"] == source_rows
    kinds = [
        "auth_user",
        "django_admin_log",
        "django_migrations",
        "news_historicalarticle",
        "union_site_exportlog",
    ]
    for table in kinds:
        assert source_rows[table] > 0, table
    assert source_rows["news_article"] == Article.objects.count()
    listed = manifest["files"]
    assert {name.removeprefix("media/") for name in listed if name.startswith("media/")} == set(source_media)
    assert listed["media/uploads/测试 图片.jpg"]["sha256"] == source_media["uploads/测试 图片.jpg"]
    assert listed["private/imports/待确认的导入.xlsx"]["size"] == len(b"PK\x03\x04 not really a workbook")
    assert len(source_media) > 20  # the demo's photos and renditions

    media, private = MediaTarget(tmp_path / "restored-media"), tmp_path / "restored-private"
    request.addfinalizer(media.drop)
    done = restore_in_new_process(archive_path, empty_target, media, private)
    assert done.returncode == 0, done.stderr
    assert "恢复完成" in done.stdout and f"共 {sum(source_rows.values())} 行" in done.stdout
    assert empty_target.row_counts() == source_rows
    assert media.checksums() == source_media and checksums(private) == source_private

    refused = restore_in_new_process(archive_path, empty_target, media, private)
    assert refused.returncode != 0
    assert "恢复目标不是空的" in refused.stderr and "--force" in refused.stderr
    assert empty_target.row_counts() == source_rows

    media.add("uploads/恢复后新传的.jpg", jpeg())
    forced = restore_in_new_process(archive_path, empty_target, media, private, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "恢复前已清空" in forced.stdout
    assert empty_target.row_counts() == source_rows
    assert media.checksums() == source_media


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, tmp_path, make_article):
    archive_path, _ = make_backup(tmp_path / "backups")
    article = make_article(title="不能被覆盖的文章")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive_path), stdout=io.StringIO())
    message = str(refused.value)
    assert "恢复目标不是空的" in message and "张表" in message and "--force" in message
    assert Article.objects.filter(pk=article.pk).exists()


def rewritten(archive_path, change):
    """A copy of the archive with `change(name, data)` applied to each member: returns (name, data) or None to
    leave the member out; plus what `change` adds when called with name None."""
    copy = archive_path.with_name("tampered.tar.gz")
    with tarfile.open(archive_path) as source, tarfile.open(copy, "w:gz") as target:
        for member in source:
            kept = change(member.name, source.extractfile(member).read())
            if kept:
                info = tarfile.TarInfo(kept[0])
                info.size = len(kept[1])
                target.addfile(info, io.BytesIO(kept[1]))
        for name, data in change(None, None) or []:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return copy


def changed_photo(name, data):
    if name is None:
        return None
    return name, (data[:-1] + b"\x00" if name.startswith("media/") and name.endswith(".jpg") else data)


def without_the_manifest(name, data):
    return None if name in (None, "manifest.json") else (name, data)


def with_an_extra_file(name, data):
    return [("media/uploads/夹带.jpg", jpeg())] if name is None else (name, data)


def escaping_the_folder(name, data):
    return [("media/../../outside.txt", b"x")] if name is None else (name, data)


@pytest.mark.parametrize(
    "tamper, reason",
    [
        (changed_photo, "校验值（SHA-256）与清单不符"),
        (without_the_manifest, "没有 manifest.json"),
        (with_an_extra_file, "清单里没有这个文件"),
        (escaping_the_folder, "不安全的路径"),
    ],
    ids=["changed-photo", "no-manifest", "extra-file", "path-escape"],
)
def test_a_tampered_archive_is_refused_before_anything_changes(transactional_db, tmp_path, tamper, reason):
    store("photos/p.jpg", jpeg())
    archive_path, _ = make_backup(tmp_path / "backups")
    before = stored_checksums()
    rows = database.row_counts(connection)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(rewritten(archive_path, tamper)), stdout=io.StringIO())
    assert reason in str(refused.value) and "拒绝恢复" in str(refused.value)
    assert stored_checksums() == before and database.row_counts(connection) == rows
    assert not (tmp_path / "outside.txt").exists()


def test_a_cut_off_archive_is_refused(transactional_db, tmp_path):
    archive_path, _ = make_backup(tmp_path / "backups")
    data = archive_path.read_bytes()
    cut = archive_path.with_name("cut.tar.gz")
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="备份文件已损坏"):
        call_command("restore", str(cut), stdout=io.StringIO())


def test_a_backup_inside_a_transaction_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="不能在数据库事务中备份"):
        call_command("backup", "-o", f"{tmp_path}/")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_backup_leaves_no_file(db, tmp_path, monkeypatch):
    def broken(connection, path):
        raise BackupError("磁盘已满")

    monkeypatch.setattr(database, "dump", broken)
    with pytest.raises(CommandError, match="磁盘已满"):
        call_command("backup", "-o", str(tmp_path / "site.tar.gz"))
    assert list(tmp_path.iterdir()) == []


def test_the_database_password_never_reaches_the_command_line():
    args, env = database._pg_connection_args(
        {"HOST": "db", "PORT": 5432, "USER": "union", "PASSWORD": "s3cret", "OPTIONS": {"sslmode": "require"}}
    )
    assert "s3cret" not in " ".join(args) and env["PGPASSWORD"] == "s3cret" and env["PGSSLMODE"] == "require"
    assert args[:1] == ["--no-password"] and ["--host", "db"] == args[1:3]


def test_missing_postgresql_tools_are_named_with_the_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(database.shutil, "which", lambda name: None)
    monkeypatch.setattr(database, "PG_BIN_DIRS", [tmp_path])
    with pytest.raises(BackupError, match="找不到 pg_dump.*apt-get install postgresql-client-15"):
        database.pg_tool("pg_dump")


def test_an_archive_of_the_other_database_kind_is_refused(transactional_db, tmp_path, monkeypatch):
    archive_path, _ = make_backup(tmp_path / "backups")
    other = "sqlite" if ON_POSTGRESQL else "postgresql"
    monkeypatch.setattr(database, "vendor_of", lambda connection: other)
    with pytest.raises(CommandError, match="不能直接恢复"):
        call_command("restore", str(archive_path), stdout=io.StringIO())
