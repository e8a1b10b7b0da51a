"""The backup archive: one .tar.gz holding the database dump, MEDIA_ROOT and PRIVATE_ROOT, and a manifest.json.

    manifest.json                  created_at (Beijing time), versions, database vendor, rows per table,
                                   sha256 and size of every other file in the archive
    database/union_site.pgdump     pg_dump --format=custom (PostgreSQL), or database/db.sqlite3 (SQLite)
    media/...                      the uploads, names as stored: MEDIA_ROOT, or the S3 bucket (DJANGO_S3_*)
    private/...                    PRIVATE_ROOT (always a local folder)

`create_backup` writes it to a `.part` file and renames it when complete. `restore_backup` unpacks it into a staging
folder and checks every file against the manifest before it touches anything; it restores only into an empty
database and empty folders unless told to wipe them (`force`), and afterwards checks the restored rows and files
against the manifest again.

The uploads are read and written through the default storage when it is not a local folder (a bucket): a backup
holds them as if they had been in MEDIA_ROOT, and a restore puts them into whatever storage is configured then, so
a backup taken on disk restores into a bucket and back.
"""

import hashlib
import io
import json
import os
import platform
import shutil
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from union_site.backup import database
from union_site.backup.database import BackupError
from union_site.common.storage import local_root

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
LISTED_PROBLEMS = 10  # problems named in an error message; the rest are counted


@dataclass(frozen=True)
class Folder:
    """A local folder backed up file by file."""

    key: str  # its folder in the archive
    label: str
    path: Path

    @property
    def where(self):
        return str(self.path)

    def names(self):
        """Every file's name (relative, with /), sorted; none if the folder does not exist."""
        return [relative.as_posix() for relative in files_in(self.path)]

    def is_plain_file(self, name):
        source = self.path / name
        return source.is_file() and not source.is_symlink()

    def open(self, name):
        """(file object, size, modification time) of one file."""
        f = open(self.path / name, "rb")  # closed by the caller (_add_opened)
        stat = os.fstat(f.fileno())
        return f, stat.st_size, stat.st_mtime

    def sha256(self, name):
        return sha256_of(self.path / name)

    def empty(self):
        _empty_folder(self.path)

    def put(self, name, source):
        """Moves the unpacked file `source` into place as `name`."""
        destination = self.path / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, destination)

    def prepare(self):
        self.path.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class StoredFolder:
    """The uploads when they are not in a local folder (an S3 bucket): the same operations through the storage."""

    key: str
    label: str
    storage: object

    @property
    def where(self):
        bucket, location = getattr(self.storage, "bucket_name", ""), getattr(self.storage, "location", "")
        return f"s3://{bucket}/{location}".rstrip("/") if bucket else type(self.storage).__name__

    def names(self, folder=""):
        try:
            directories, files = self.storage.listdir(folder)
        except FileNotFoundError:
            return []
        found = [f"{folder}/{name}" if folder else name for name in files]
        for directory in directories:
            found += self.names(f"{folder}/{directory}" if folder else directory)
        return sorted(found)

    def is_plain_file(self, name):
        return True

    def open(self, name):
        f = self.storage.open(name, "rb")
        try:
            moment = self.storage.get_modified_time(name).timestamp()
        except (NotImplementedError, AttributeError):
            moment = timezone.now().timestamp()
        return f, self.storage.size(name), moment

    def sha256(self, name):
        digest = hashlib.sha256()
        with self.storage.open(name, "rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def empty(self):
        for name in self.names():
            self.storage.delete(name)

    def put(self, name, source):
        with open(source, "rb") as f:
            stored = self.storage.save(name, File(f, name=name))
        if stored != name:  # a storage that does not overwrite, and someone uploading while the restore runs
            raise BackupError(f"文件 {name} 在存储里被存成了 {stored}：请停止网站（不再有上传）后重新恢复。")

    def prepare(self):
        pass


def media_folder():
    """The uploads: MEDIA_ROOT when the default storage keeps them there, else the storage itself."""
    root = local_root(default_storage)
    if root is not None:
        return Folder("media", "媒体文件", Path(root))
    return StoredFolder("media", "媒体文件", default_storage)


def folders():
    return [media_folder(), Folder("private", "私有文件", Path(settings.PRIVATE_ROOT))]


def app_version():
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return tomllib.load(f)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "未知"


def default_directory():
    return Path(settings.VAR_DIR) / "backups"


def archive_name(moment):
    return f"union-site-{timezone.localtime(moment):%Y%m%d-%H%M%S}.tar.gz"


class _Hashing:
    """A file object that hashes what is read through it (tarfile reads the member's bytes from it)."""

    def __init__(self, fileobj):
        self.fileobj, self.sha256, self.size = fileobj, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.fileobj.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_in(folder):
    """Every file under `folder` (relative paths, sorted); none if the folder does not exist."""
    if not folder.is_dir():
        return []
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found += [(Path(root) / name).relative_to(folder) for name in names]
    return sorted(found)


# Backup ----------------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    skipped: list = field(default_factory=list)  # files that vanished or were not plain files while being read


def _target(output, moment):
    if output is None:
        directory, target = default_directory(), None
    else:
        is_dir = Path(output).is_dir() or str(output).endswith(("/", os.sep))  # before Path drops the slash
        output = Path(output)
        directory, target = (output, None) if is_dir else (output.parent, output)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)  # a backup holds password hashes and sessions
    target = target or directory / archive_name(moment)
    if target.exists():
        raise BackupError(f"目标文件已存在，不会覆盖：{target}")
    return target


def create_backup(output=None, using=DEFAULT_DB_ALIAS):
    """Write the archive (into `output`, a folder or a file name; default var/backups/) and return a BackupResult."""
    connection = connections[using]
    vendor = database.vendor_of(connection)
    moment = timezone.now()
    target = _target(output, moment)
    partial = target.with_name(target.name + ".part")
    files, skipped = {}, []
    try:
        # The dump waits beside the archive (same disk, sized for backups), not in a possibly small /tmp.
        with tempfile.TemporaryDirectory(prefix=".union-site-backup-", dir=target.parent) as work:
            dump_path = Path(work) / "dump"
            tables = database.dump(connection, dump_path)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                files[database.DUMP_NAMES[vendor]] = _add_file(tar, dump_path, database.DUMP_NAMES[vendor])
                for folder in folders():
                    for relative in folder.names():
                        name = f"{folder.key}/{relative}"
                        if not folder.is_plain_file(relative):
                            skipped.append(name)
                            continue
                        try:
                            files[name] = _add_opened(tar, *folder.open(relative), name)
                        except FileNotFoundError:  # deleted while the backup ran
                            skipped.append(name)
                manifest = _manifest(moment, connection, vendor, tables, files)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        partial.replace(target)  # a reader (rsync, a person) never sees half an archive
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, manifest, skipped)


def _manifest(moment, connection, vendor, tables, files):
    return {
        "format": FORMAT,
        "site": settings.SITE_NAME,
        "created_at": timezone.localtime(moment).isoformat(timespec="seconds"),
        "time_zone": settings.TIME_ZONE,
        "app_version": app_version(),
        "django_version": django.get_version(),
        "python_version": platform.python_version(),
        "database": {
            "vendor": vendor,
            "name": str(connection.settings_dict.get("NAME", "")),
            "file": database.DUMP_NAMES[vendor],
            "format": database.DUMP_FORMATS[vendor],
            "tables": tables,
            "rows": sum(tables.values()),
        },
        "folders": {
            folder.key: {
                "path": folder.where,
                "files": sum(1 for name in files if name.startswith(folder.key + "/")),
                "bytes": sum(info["size"] for name, info in files.items() if name.startswith(folder.key + "/")),
            }
            for folder in folders()
        },
        "files": files,
    }


def _tarinfo(name, size, mtime):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    return info


def _add_file(tar, path, name):
    f = open(path, "rb")  # closed by _add_opened
    stat = os.fstat(f.fileno())
    return _add_opened(tar, f, stat.st_size, stat.st_mtime, name)


def _add_opened(tar, f, size, mtime, name):
    with f:
        reader = _Hashing(f)
        tar.addfile(_tarinfo(name, size, mtime), reader)
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def _add_bytes(tar, name, data):
    tar.addfile(_tarinfo(name, len(data), timezone.now().timestamp()), io.BytesIO(data))


# Restore ---------------------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    archive: Path
    manifest: dict
    tables: dict  # rows per table as restored
    folders: list  # (Folder, files, bytes) as restored
    wiped: list = field(default_factory=list)  # what --force emptied first

    @property
    def rows(self):
        return sum(self.tables.values())


def _listed(problems):
    lines = [f"- {p}" for p in problems[:LISTED_PROBLEMS]]
    if len(problems) > LISTED_PROBLEMS:
        lines.append(f"- ……另有 {len(problems) - LISTED_PROBLEMS} 处")
    return "\n".join(lines)


def _member_name(member):
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not name.parts:
        raise BackupError(f"备份文件里有不安全的路径：{member.name}，拒绝恢复。")
    if str(name) != MANIFEST and name.parts[0] not in ("database", "media", "private"):
        raise BackupError(f"备份文件里有不认识的条目：{member.name}，拒绝恢复。")
    return str(name)


def read_archive(archive, staging):
    """Unpack `archive` into `staging` and check every file against its manifest; returns the manifest.
    Raises BackupError (nothing outside `staging` touched) if anything is missing, added or changed."""
    found, manifest_bytes = {}, None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                name = _member_name(member)
                if name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"备份文件里“{name}”出现了两次，拒绝恢复。")
                if not member.isfile():
                    raise BackupError(f"备份文件里的“{name}”不是普通文件（链接或设备），拒绝恢复。")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_bytes = source.read(MANIFEST_MAX_BYTES)
                    continue
                destination = staging / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                reader = _Hashing(source)
                with open(destination, "wb") as out:
                    while chunk := reader.read(CHUNK):
                        out.write(chunk)
                found[name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"备份文件已损坏，无法读取（{error}），拒绝恢复。") from error
    if manifest_bytes is None:
        raise BackupError("备份文件里没有 manifest.json（备份清单），不是本网站的备份或已损坏，拒绝恢复。")
    try:
        manifest = json.loads(manifest_bytes)
        expected, dump_name = manifest["files"], manifest["database"]["file"]
        if not isinstance(expected, dict) or not {"vendor", "tables"} <= manifest["database"].keys():
            raise KeyError("database")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError("备份清单 manifest.json 无法读取或缺少内容，拒绝恢复。") from error
    problems = []
    for name, info in sorted(expected.items()):
        if not isinstance(info, dict):
            problems.append(f"{name}：清单里的记录不完整")
        elif name not in found:
            problems.append(f"{name}：清单里有，备份里缺少")
        elif found[name]["size"] != info.get("size"):
            problems.append(f"{name}：大小不符（清单 {info.get('size')} 字节，实际 {found[name]['size']} 字节）")
        elif found[name]["sha256"] != info.get("sha256"):
            problems.append(f"{name}：校验值（SHA-256）与清单不符")
    problems += [f"{name}：清单里没有这个文件" for name in sorted(set(found) - set(expected))]
    if dump_name not in found and not problems:
        problems.append(f"{dump_name}：缺少数据库文件")
    if problems:
        raise BackupError("备份文件与清单不一致（已损坏或被改动），拒绝恢复，什么也没有改：\n" + _listed(problems))
    return manifest


def _staging_parent():
    """Unpack next to MEDIA_ROOT when possible: the files then move into place by renaming, and a large archive does
    not have to fit into /tmp."""
    parent = Path(settings.MEDIA_ROOT).parent
    return str(parent) if parent.is_dir() and os.access(parent, os.W_OK) else None


def not_empty(connection):
    """What a restore would overwrite: a line per non-empty target."""
    found = []
    tables = database.table_names(connection)
    if tables:
        some = "、".join(tables[:3])
        found.append(f"数据库 {connection.settings_dict.get('NAME')} 已有 {len(tables)} 张表（如 {some}）")
    for folder in folders():
        count = len(folder.names())
        if count:
            found.append(f"{folder.label}目录 {folder.where} 已有 {count} 个文件")
    return found


def _empty_folder(path):
    if not path.is_dir():
        return
    for child in path.iterdir():  # the folder itself stays: it may be a mount point
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def restore_backup(archive, force=False, using=DEFAULT_DB_ALIAS):
    """Restore `archive` into the configured database and folders; returns a RestoreResult after verifying them."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    connection = connections[using]
    vendor = database.vendor_of(connection)
    with tempfile.TemporaryDirectory(prefix=".union-site-restore-", dir=_staging_parent()) as work:
        staging = Path(work)
        manifest = read_archive(archive, staging)
        source_vendor = manifest["database"]["vendor"]
        if source_vendor != vendor:
            names = database.VENDOR_NAMES
            raise BackupError(
                f"这份备份来自 {names.get(source_vendor, source_vendor)} 数据库，当前配置的是 "
                f"{names[vendor]}，不能直接恢复。请把 DATABASE_URL 指向同一种数据库再恢复。"
            )
        occupied = not_empty(connection)
        if occupied and not force:
            raise BackupError(
                "恢复目标不是空的，为免覆盖现有数据，没有恢复：\n"
                + _listed(occupied)
                + "\n请恢复到新建的空数据库和空文件夹；确认要用备份替换上述内容时，加 --force（先清空，再恢复）。"
            )
        if occupied:
            database.wipe(connection)
            for folder in folders():
                folder.empty()
        database.restore(connection, staging / manifest["database"]["file"])
        restored = []
        for folder in folders():
            folder.prepare()
            source = staging / folder.key
            for relative in files_in(source):
                folder.put(relative.as_posix(), source / relative)
            restored.append(folder)
    return verify(archive, manifest, connection, restored, occupied)


def verify(archive, manifest, connection, restored, wiped=()):
    """Compare the database's rows per table and every file's checksum with the manifest."""
    tables = database.row_counts(connection)
    expected = manifest["database"]["tables"]
    problems = [
        f"表 {table}：备份 {expected.get(table, '（无）')} 行，恢复后 {tables.get(table, '（无）')} 行"
        for table in sorted(set(tables) | set(expected))
        if tables.get(table) != expected.get(table)
    ]
    summary = []
    for folder in restored:
        listed = {
            name.removeprefix(folder.key + "/"): info
            for name, info in manifest["files"].items()
            if name.startswith(folder.key + "/")
        }
        present = set(folder.names())
        for name in sorted(set(listed) | present):
            if name not in present:
                problems.append(f"{folder.key}/{name}：恢复后缺少")
            elif name not in listed:
                problems.append(f"{folder.key}/{name}：不在备份清单里")
            elif folder.sha256(name) != listed[name]["sha256"]:
                problems.append(f"{folder.key}/{name}：校验值与清单不符")
        summary.append((folder, len(listed), sum(info["size"] for info in listed.values())))
    if problems:
        raise BackupError("恢复后核对不一致：\n" + _listed(problems))
    return RestoreResult(archive, manifest, tables, summary, list(wiped))
