"""The database half of a backup, per vendor: a dump file and back, emptiness, and the row count of every table.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --no-owner --no-privileges --single-transaction`, with the
credentials of settings.DATABASES (the password goes through PGPASSWORD, never the command line). The dump and the
row counts read one snapshot (pg_export_snapshot), so the manifest counts exactly what the dump holds.
SQLite: the online backup API (sqlite3.Connection.backup), which copies a consistent database while the site runs,
and writes it back over the configured database the same way.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import transaction

POSTGRESQL, SQLITE = "postgresql", "sqlite"
VENDOR_NAMES = {POSTGRESQL: "PostgreSQL", SQLITE: "SQLite"}
DUMP_NAMES = {POSTGRESQL: "database/union_site.pgdump", SQLITE: "database/db.sqlite3"}
DUMP_FORMATS = {POSTGRESQL: "pg_dump --format=custom", SQLITE: "SQLite database file (online backup API)"}
PG_BIN_DIRS = [Path("/usr/lib/postgresql/15/bin")]  # Debian's postgresql-client-15, when not on PATH


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message in Chinese for the operator."""


def vendor_of(connection):
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份或恢复 {connection.vendor} 数据库，只支持 PostgreSQL 和 SQLite。")
    return connection.vendor


def pg_tool(name):
    """The path of pg_dump or pg_restore: on PATH, else Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    for folder in PG_BIN_DIRS:
        if (folder / name).is_file() and os.access(folder / name, os.X_OK):
            return str(folder / name)
    raise BackupError(
        f"找不到 {name}（PostgreSQL 客户端工具），无法备份或恢复 PostgreSQL 数据库。"
        "请管理员安装：apt-get install postgresql-client-15"
    )


def _pg_connection_args(settings_dict):
    """Command-line arguments and environment for the PostgreSQL tools. Nothing secret is on the command line."""
    options = settings_dict.get("OPTIONS") or {}
    args = ["--no-password"]  # never wait for a password prompt in a cron job
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def _run(command, env, what):
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip()
        raise BackupError(f"{what}失败（退出码 {finished.returncode}）：{detail}")


def table_names(connection):
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(connection):
    """{table: rows} of every table in the database: every model's, auth, history, and Django's own."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_row_counts(path):
    """As row_counts reads them (Django's introspection leaves out sqlite_sequence), from a database file."""
    with closing(sqlite3.connect(path)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name"
            )
        ]
        quoted = {name: '"' + name.replace('"', '""') + '"' for name in tables}
        return {name: db.execute(f"SELECT COUNT(*) FROM {quoted[name]}").fetchone()[0] for name in tables}  # noqa: S608


def dump(connection, path):
    """Dump the database into the file `path`; returns the row counts of the state dumped."""
    vendor = vendor_of(connection)
    if connection.in_atomic_block:
        # The dump reads what is committed (and an in-memory SQLite database could not be read at all): rows written
        # in this transaction would be counted but missing.
        raise BackupError("不能在数据库事务中备份：备份只包含已提交的数据。")
    if vendor == SQLITE:
        with closing(_sqlite_source(connection)) as source, closing(sqlite3.connect(path)) as target:
            source.backup(target)
        return _sqlite_row_counts(path)
    return _pg_dump(connection, path)


def _sqlite_source(connection):
    """A read-only connection of its own to the database file: it reads the committed state whatever the site's
    connection is doing (the backup API cannot read through a connection that is writing: it would wait forever)."""
    if connection.is_in_memory_db():  # tests and throwaway databases: only the site's own connection sees it
        connection.ensure_connection()
        return _Unclosed(connection.connection)
    uri = Path(connection.settings_dict["NAME"]).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=20)


class _Unclosed:
    """The site's own connection, lent to `closing()` without being closed."""

    def __init__(self, raw):
        self.raw = raw

    def backup(self, target):
        self.raw.backup(target)

    def close(self):
        pass


def _pg_dump(connection, path):
    tool = pg_tool("pg_dump")
    args, env = _pg_connection_args(connection.settings_dict)
    command = [tool, "--format=custom", "--file", str(path), *args]
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        command += ["--snapshot", snapshot, "--dbname", connection.settings_dict["NAME"]]
        _run(command, env, "pg_dump 导出数据库")
        return row_counts(connection)  # the same snapshot: exactly the rows the dump holds


def restore(connection, path):
    """Load the dump file `path` into the configured database, which must be empty (see wipe)."""
    vendor = vendor_of(connection)
    if vendor == SQLITE:
        # The backup API writes the whole database file, page by page, through the site's own connection.
        if connection.in_atomic_block:
            raise BackupError("不能在事务中恢复 SQLite 数据库。")
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as source:
            source.backup(connection.connection)
        return
    tool = pg_tool("pg_restore")
    args, env = _pg_connection_args(connection.settings_dict)
    command = [tool, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", *args]
    command += ["--dbname", connection.settings_dict["NAME"], str(path)]
    _run(command, env, "pg_restore 恢复数据库")


def wipe(connection):
    """Drop every table (and free-standing sequence) of the configured database: what `restore --force` does first.
    SQLite needs nothing: the backup API replaces the whole database, schema included."""
    if vendor_of(connection) == SQLITE:
        return
    tables = table_names(connection)
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if tables:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(quote(t) for t in tables)} CASCADE")
        cursor.execute(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()"
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(sequence)} CASCADE")
