"""The bench's database: SQLite in a temporary folder, or on the PostgreSQL server named by DATABASE_URL a database
of its own (`union_site_bench`), created at the start and dropped at the end. Without the right to create one, the
given database is used, and only when it holds no articles yet (the bench never writes into a site's content).

Importable before `django.setup()`: bench/pages.py picks its DATABASE_URL with it.
"""

import urllib.parse

BENCH_DATABASE = "union_site_bench"


class HarnessError(Exception):
    """The bench could not measure (as opposed to: measured a slow page)."""


class BenchDatabase:
    """SQLite in `workdir`; or on PostgreSQL a database of our own, dropped at the end (else the given one, empty)."""

    def __init__(self, given_url, workdir):
        self.given_url, self.url, self.created, self.note = given_url, None, False, ""
        if not given_url or given_url.startswith("sqlite"):
            self.url = f"sqlite:///{workdir}/bench.sqlite3"
            self.note = "临时文件"
        elif given_url.startswith(("postgres://", "postgresql://")):
            self._create_postgres()
        else:
            raise HarnessError(f"不支持的 DATABASE_URL：{given_url.split(':', 1)[0]}")

    def _connect(self, parts, dbname):
        import psycopg2

        return psycopg2.connect(
            dbname=dbname,
            user=urllib.parse.unquote(parts.username or "") or None,
            password=urllib.parse.unquote(parts.password or "") or None,
            host=parts.hostname,
            port=parts.port,
            connect_timeout=5,
        )

    def _maintenance(self):
        """A connection to the server, to create and drop the bench database."""
        import psycopg2

        parts = urllib.parse.urlsplit(self.given_url)
        last = None
        for dbname in (parts.path.lstrip("/") or "postgres", "postgres", "template1"):
            try:
                conn = self._connect(parts, dbname)
            except psycopg2.OperationalError as error:
                last = error
                continue
            conn.autocommit = True
            return conn
        raise HarnessError(f"连不上 DATABASE_URL 的 PostgreSQL：{last}")

    def _create_postgres(self):
        from psycopg2 import errors, sql

        parts = urllib.parse.urlsplit(self.given_url)
        conn = self._maintenance()
        try:
            with conn.cursor() as cursor:
                try:
                    # a leftover of an interrupted run is ours too
                    cursor.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE))
                    )
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
                except errors.InsufficientPrivilege as error:
                    self._use_given(parts, error)
                    return
        finally:
            conn.close()
        self.created = True
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
        self.note = f"临时数据库 {BENCH_DATABASE}（结束时删除）"

    def _use_given(self, parts, error):
        """No right to create a database: use the given one, but only when it holds no site content yet."""
        dbname = parts.path.lstrip("/")
        conn = self._connect(parts, dbname)
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT to_regclass('news_article') IS NOT NULL")
                if cursor.fetchone()[0]:
                    cursor.execute("SELECT EXISTS (SELECT 1 FROM news_article)")
                    if cursor.fetchone()[0]:
                        raise HarnessError(
                            f"不能新建数据库（{error.pgerror.strip() if error.pgerror else error}），"
                            f"而 {dbname} 已有文章：基准测试不往有内容的数据库里写。"
                            "请给一个能 CREATE DATABASE 的用户或空库。"
                        )
        finally:
            conn.close()
        self.url = self.given_url
        self.note = f"所给的数据库 {dbname}（无权新建数据库；测试数据留在库里）"
        print(f"注意：{self.note}", flush=True)

    def drop(self):
        if not self.created:
            return
        from django.db import connections
        from psycopg2 import sql

        connections.close_all()
        conn = self._maintenance()
        try:
            with conn.cursor() as cursor:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DATABASE))
                )
        finally:
            conn.close()
        self.created = False
