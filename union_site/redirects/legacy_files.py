"""The files an old site's article names (attachments, pictures of its body), fetched for `manage.py import_legacy`.

    Fetcher(files_dir, base_url).fetch(ref, limit) -> Fetched(name, data); FetchError (a reason in Chinese)

A reference is an http(s) address (fetched, at most `limit` bytes, with a timeout), or a path: inside `files_dir`
when there is one (the export's folder of files, e.g. a copy of the old site's upload folder), else joined to
`base_url` (the old site's address) and fetched. A path that leads out of `files_dir` (../..) is refused, so an
export cannot make the import read any other file of the machine. What the bytes are is decided afterwards by the
validators every upload goes through (union_site/common/file_types.py, images.py), never by the name.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import Request, urlopen

TIMEOUT = 30  # seconds per file
USER_AGENT = "union-site import_legacy"


class FetchError(Exception):
    """The file cannot be had. The message says why, in Chinese."""


@dataclass(frozen=True)
class Fetched:
    name: str  # the file's name as the old site had it (报名表.xlsx), for its 显示名称 and type check
    data: bytes


def is_web_address(ref):
    return urlsplit(ref).scheme.lower() in {"http", "https"}


@dataclass
class Fetcher:
    files_dir: Path | None = None
    base_url: str = ""

    def fetch(self, ref, limit, base_url=""):
        """`ref`'s bytes; `base_url` (the article's own old address) resolves a relative one before self.base_url."""
        if is_web_address(ref):
            return _download(ref, limit)
        if self.files_dir is not None:
            return self._local(ref, limit)
        base = base_url if is_web_address(base_url) else self.base_url
        if not base:
            raise FetchError(f"“{ref}”是相对地址：请用 --files 指明文件所在的文件夹，或用 --base-url 指明旧网站地址。")
        return _download(urljoin(base, ref), limit)

    def _local(self, ref, limit):
        root = self.files_dir.resolve()
        relative = unquote(urlsplit(ref).path).lstrip("/")
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or path == root:
            raise FetchError(f"“{ref}”不在文件夹 {root} 里。")
        try:
            if path.stat().st_size > limit:
                raise FetchError(_too_big(ref, limit))
            return Fetched(path.name, path.read_bytes())
        except FileNotFoundError:
            raise FetchError(f"找不到文件“{ref}”（在 {root} 里）。") from None
        except OSError as error:
            raise FetchError(f"读不到文件“{ref}”：{error.strerror or error}") from None


def _download(url, limit):
    try:
        with urlopen(Request(url, headers={"User-Agent": USER_AGENT}), timeout=TIMEOUT) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(_too_big(url, limit))
            data = response.read(limit + 1)
            final = response.geturl() or url
    except HTTPError as error:
        raise FetchError(f"下载“{url}”失败：旧网站回答 {error.code}。") from None
    except (URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"下载“{url}”失败：{reason}。") from None
    if len(data) > limit:
        raise FetchError(_too_big(url, limit))
    name = unquote(urlsplit(final).path.rsplit("/", 1)[-1]) or "file"
    return Fetched(name, data)


def _too_big(ref, limit):
    return f"“{ref}”太大：最大 {limit / (1024 * 1024):.4g} MB。"
