"""What an uploaded document really is, decided by its content, never by its name or the type the browser sent:
`detect_file_type(name, content)` returns the `FileType` or raises ValidationError with the reason in Chinese.
Article attachments (news/attachments.py) go through it, and so must any other way files reach the site (an import
of an old site's attachments): one set of rules.

The rules, in order:

1. Size: an upload's declared size (`.size`) is checked before anything is read; the content is then read in
   chunks from a seekable file (never held whole in memory), or read_limited() at most limit + 1 bytes of anything
   else. Limit: settings.ATTACHMENT_MAX_BYTES (DJANGO_ATTACHMENT_MAX_MB, 50 MB). An empty file is refused.
2. The first bytes decide:
   - `%PDF-` → pdf. PNG's and JPEG's signatures → png, jpg, checked by Pillow (a broken picture is refused).
   - OLE2 (`D0 CF 11 E0 A1 B1 1A E1`): the one container of the old Office and WPS formats. Which of them it is
     (doc, xls, ppt, wps, et, dps) is taken from the name's extension, since telling them apart needs the
     container's directory (the olefile library, not installed); a name with any other extension is refused, so an
     OLE file (an .msi installer, an Outlook .msg) cannot come in under a made-up name.
   - ZIP (`PK\\x03\\x04`): the archive is checked (3.) and then looked into: `[Content_Types].xml` with its main
     part's content type (else a part under word/, xl/ or ppt/) → docx, xlsx, pptx; `OFD.xml` at the root → ofd;
     anything else → a plain zip.
   - Programs (MZ, ELF, Mach-O, `#!` scripts), web pages and markup (HTML, SVG, XML: `<html`, `<svg`, `<?xml` …),
     RTF and other archives (RAR, 7z, gzip) are refused with what they are, whatever the name says.
   - Anything else is text when it is valid UTF-8 or GB18030 (GBK) throughout, holds no NUL byte and does not look
     like markup: txt, accepted only under a .txt name (text named .pdf is a disguise or a broken file).
3. A ZIP (and so every docx/xlsx/pptx/ofd) is refused when a member's name is absolute or climbs out with `..` (path
   traversal), when a member is encrypted, when it holds more than ZIP_MAX_MEMBERS members or would unpack into
   more than ZIP_MAX_UNZIPPED_BYTES (1 GB) or a member of over 1 MB is compressed more than ZIP_MAX_RATIO (200)
   times (a zip bomb: deflate's ceiling is about 1000; real Office parts stay well under 100), when a member fails
   its CRC on a full read (a broken or cut-off file: every member is read through once, in chunks, never unpacked
   to disk), or when it uses a compression Python cannot read. Office files with macros are refused: a
   vbaProject.bin anywhere, or a macro-enabled or macro-sheet content type (docm, xlsm, pptm). A plain zip holding a
   program (setup.exe, a .bat, .js, .lnk …) is refused too: it is a download for the public.
4. Name and content disagreeing: the content wins and the name's extension does not matter (a real PDF named .docx
   is accepted as a PDF and downloaded as .pdf; an .xls that is really an xlsx as .xlsx), except for the two cases
   where the name is all there is to go on: the OLE family (2.) and text.
"""

import codecs
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from union_site.common.storage import TooBig, read_limited

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024  # as much as the gallery's bulk upload accepts from one ZIP
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 1024 * 1024  # smaller members may compress as well as they like: they cannot fill a disk
OOXML_INDEX_MAX_BYTES = 1024 * 1024  # [Content_Types].xml: a few KB in real files
CHUNK = 1024 * 1024
HEAD = 64 * 1024  # what is looked at for magic bytes and markup


@dataclass(frozen=True)
class FileType:
    key: str  # Attachment.kind and the extension files are stored and downloaded with
    label: str  # 格式, as readers see it
    family: str  # the icon and the 下载中心 filter: FAMILIES
    content_type: str


TYPES = {
    t.key: t
    for t in [
        FileType("pdf", "PDF", "pdf", "application/pdf"),
        FileType("doc", "Word", "word", "application/msword"),
        FileType("docx", "Word", "word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        FileType("xls", "Excel", "excel", "application/vnd.ms-excel"),
        FileType("xlsx", "Excel", "excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        FileType("ppt", "PowerPoint", "ppt", "application/vnd.ms-powerpoint"),
        FileType(
            "pptx", "PowerPoint", "ppt", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        ),
        FileType("wps", "WPS 文字", "wps", "application/kswps"),  # the types WPS Office registers on Windows
        FileType("et", "WPS 表格", "wps", "application/kset"),
        FileType("dps", "WPS 演示", "wps", "application/ksdps"),
        FileType("ofd", "OFD", "ofd", "application/ofd"),  # GB/T 33190, 版式文档
        FileType("txt", "文本", "txt", "text/plain"),
        FileType("zip", "ZIP 压缩包", "zip", "application/zip"),
        FileType("jpg", "JPG 图片", "image", "image/jpeg"),
        FileType("png", "PNG 图片", "image", "image/png"),
    ]
}
# family → (what the 下载中心 filter calls it, the icon's badge)
FAMILIES = {
    "pdf": ("PDF", "PDF"),
    "word": ("Word", "DOC"),
    "excel": ("Excel", "XLS"),
    "ppt": ("PowerPoint", "PPT"),
    "wps": ("WPS", "WPS"),
    "ofd": ("OFD", "OFD"),
    "txt": ("文本", "TXT"),
    "zip": ("压缩包", "ZIP"),
    "image": ("图片", "图"),
}
ACCEPT = ",".join(f".{key}" for key in [*TYPES, "jpeg"])  # the file chooser's hint (<input accept>)
ALLOWED = "PDF、Word（doc/docx）、Excel（xls/xlsx）、PowerPoint（ppt/pptx）、WPS（wps/et/dps）、OFD、TXT、ZIP、JPG、PNG"

OLE_FAMILY = {"doc", "xls", "ppt", "wps", "et", "dps"}
NAME_ALIASES = {"jpeg": "jpg", "jpe": "jpg"}

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
PROGRAM_MAGIC = (
    b"MZ",  # Windows .exe, .dll, .scr
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS), 32 and 64 bit, both byte orders, and fat binaries (also Java classes)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # a script for a shell or an interpreter
    b"\x00asm",  # WebAssembly
)
OTHER_ARCHIVE_MAGIC = (b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"MSCF")
RTF_MAGIC = b"{\\rtf"
# Markup a browser or an image viewer would run or render (checked in the text of the first HEAD bytes).
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|frameset|object|embed|meta|link|style|form|img|a\s|\?xml)"
    rb"|<!--",
    re.IGNORECASE,
)
PROGRAMS_IN_ZIP = {
    "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "msc", "dll", "cpl", "sys", "vbs", "vbe", "js", "jse",
    "wsf", "wsh", "ps1", "psm1", "hta", "lnk", "jar", "apk", "app", "dmg", "sh", "reg", "inf", "chm", "iso",
}  # fmt: skip
MACRO_CONTENT_TYPES = re.compile(rb"macroEnabled|vbaProject|macrosheet|intlmacrosheet|vbaData", re.IGNORECASE)
OOXML_MAIN_TYPES = [  # the main part's content type → what the file is (documents, templates, slide shows)
    (re.compile(rb"wordprocessingml\.(?:document|template)\.main\+xml"), "docx"),
    (re.compile(rb"spreadsheetml\.(?:sheet|template)\.main\+xml"), "xlsx"),
    (re.compile(rb"presentationml\.(?:presentation|slideshow|template)\.main\+xml"), "pptx"),
]
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def max_bytes():
    return getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def limit_label(limit=None):
    """The size limit as people say it: 50 MB."""
    return f"{(max_bytes() if limit is None else limit) / (1024 * 1024):.4g} MB"


def size_label(size):
    """1.5 MB, 12.3 KB: one decimal, as the pages show sizes."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size, 103) / 1024:.1f} KB"  # never "0.0 KB" for a file that has bytes


def name_extension(name):
    """The extension of a file name, lower case and without the dot ("" when there is none)."""
    base = plain_name(name)
    if "." not in base.strip("."):
        return ""
    extension = base.rsplit(".", 1)[1].strip().lower()
    return NAME_ALIASES.get(extension, extension)


def plain_name(name):
    """The file name without any folder, as Windows or a URL may send it (C:\\Users\\…\\报名表.xlsx)."""
    return re.split(r"[\\/]", str(name or ""))[-1].strip()


def name_stem(name):
    """The file name without folder and extension: what an attachment is called when the editor names it not."""
    base = plain_name(name)
    return base.rsplit(".", 1)[0].strip() if "." in base.strip(".") else base


def refuse(message, code):
    raise ValidationError(message, code=code)


def detect_file_type(name, content, limit=None):
    """The FileType of `content` (bytes, or a binary file: an upload, an open file) called `name`; raises
    ValidationError with a Chinese message saying why it cannot be an attachment. Reads the content (in chunks) and
    leaves a seekable file at its start."""
    limit = max_bytes() if limit is None else limit
    fileobj, size = _open_within(content, limit)
    if size == 0:
        refuse("文件是空的（0 字节），请检查后重新选择。", "empty")
    head = _read_at(fileobj, 0, HEAD)
    try:
        found = _by_content(plain_name(name), name_extension(name), fileobj, head)
    finally:
        fileobj.seek(0)
    return TYPES[found]


def _too_big(limit):
    return ValidationError(f"文件太大：附件最大 {limit_label(limit)}，请压缩或拆分后再上传。", code="too_big")


def _open_within(content, limit):
    """(a seekable binary file of `content`, its size), refusing more than `limit` bytes before reading them."""
    if isinstance(content, bytes | bytearray | memoryview):
        if len(content) > limit:
            raise _too_big(limit)
        return io.BytesIO(bytes(content)), len(content)
    declared = getattr(content, "size", None)
    if isinstance(declared, int) and declared > limit:  # what the upload says, before a byte is read
        raise _too_big(limit)
    seekable = getattr(content, "seekable", None)
    if seekable is not None and seekable():
        content.seek(0, io.SEEK_END)
        size = content.tell()
        if size > limit:
            raise _too_big(limit)
        content.seek(0)
        return content, size
    try:
        data = read_limited(content, limit)
    except TooBig:
        raise _too_big(limit) from None
    return io.BytesIO(data), len(data)


def _read_at(fileobj, offset, count):
    fileobj.seek(offset)
    return fileobj.read(count)


def _by_content(name, extension, fileobj, head):
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(PNG_MAGIC):
        return _picture(fileobj, "PNG", "png")
    if head.startswith(JPEG_MAGIC):
        return _picture(fileobj, "JPEG", "jpg")
    if head.startswith(OLE_MAGIC):
        return _old_office(extension)
    if head.startswith(ZIP_MAGIC):
        return _zip_type(fileobj)
    if head.startswith(EMPTY_ZIP_MAGIC):
        refuse("压缩包是空的，里面没有文件。", "zip_empty")
    if head.startswith(PROGRAM_MAGIC):
        refuse("这是可执行程序或脚本（不论文件名是什么），不能作为附件上传。", "program")
    if head.startswith(OTHER_ARCHIVE_MAGIC):
        refuse("只接受 ZIP 压缩包（不接受 RAR、7z、gz 等），请重新压缩为 .zip 后上传。", "other_archive")
    if head.lstrip().startswith(RTF_MAGIC):
        refuse("RTF 格式不在允许的范围内，请在 Word/WPS 中另存为 .docx 或 PDF 后上传。", "rtf")
    return _text(extension, fileobj, head)


def _picture(fileobj, pillow_format, key):
    fileobj.seek(0)
    try:
        with Image.open(fileobj, formats=[pillow_format]) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        refuse("图片已损坏，无法打开，请重新导出后上传。", "broken_image")
    return key


def _old_office(extension):
    if extension in OLE_FAMILY:
        return extension
    shown = f"“.{extension}”" if extension else "没有扩展名"
    refuse(
        f"这是旧版 Office/WPS 文件（doc、xls、ppt、wps、et、dps 之一），但文件名{shown}，网站无法确定是哪一种。"
        "请把文件名的扩展名改成正确的一种，或另存为 docx、xlsx、pptx、PDF 后再上传。",
        "ole_extension",
    )


# --- ZIP containers --------------------------------------------------------------------------------------------------


def _zip_type(fileobj):
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            _check_members(infos)
            names = {info.filename for info in infos}
            found = _ooxml_type(archive, names) or ("ofd" if "OFD.xml" in names else "zip")
            if found == "zip":
                _check_no_programs(infos)
            _read_through(archive, infos)
    except ValidationError:
        raise
    except NotImplementedError:
        refuse("压缩包使用了网站无法读取的压缩方式，请用常见的压缩软件重新压缩为 .zip 后上传。", "zip_method")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError):
        refuse("文件已损坏（压缩结构不完整），无法打开，请重新导出或重新压缩后上传。", "zip_broken")
    return found


def _check_members(infos):
    if not infos:
        refuse("压缩包是空的，里面没有文件。", "zip_empty")
    if len(infos) > ZIP_MAX_MEMBERS:
        _zip_bomb()
    total = 0
    for info in infos:
        parts = info.filename.replace("\\", "/").split("/")
        if info.filename.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", info.filename) or ".." in parts:
            refuse("压缩包里有不安全的路径（以 / 开头或含有 ../），解压时可能覆盖别处的文件，不能上传。", "zip_path")
        if info.flag_bits & 0x1:
            refuse("文件设有密码（已加密），网站无法检查其内容，不能上传。请去掉密码后再上传。", "zip_encrypted")
        total += info.file_size
        if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            _zip_bomb()
    if total > ZIP_MAX_UNZIPPED_BYTES:
        _zip_bomb()


def _zip_bomb():
    refuse(
        f"压缩包解压后过大（超过 {ZIP_MAX_UNZIPPED_BYTES // (1024 * 1024 * 1024)} GB，或压缩比异常，疑似“压缩炸弹”），"
        "不能上传。",
        "zip_bomb",
    )


def _ooxml_type(archive, names):
    """docx/xlsx/pptx for an Office Open XML package, None for any other ZIP; refuses one with macros."""
    if "[Content_Types].xml" not in names:
        return None
    with archive.open("[Content_Types].xml") as member:
        index = member.read(OOXML_INDEX_MAX_BYTES + 1)
    if len(index) > OOXML_INDEX_MAX_BYTES:
        refuse("文件结构异常，无法检查，不能上传。请重新导出后上传。", "zip_broken")
    has_macros = MACRO_CONTENT_TYPES.search(index) or any(
        name.replace("\\", "/").rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names
    )
    if has_macros:
        refuse(
            "这是含有宏的 Office 文件（如 .docm、.xlsm、.pptm），宏可能带有病毒，不能上传。请在 Office/WPS 中"
            "另存为不含宏的 .docx、.xlsx、.pptx 或 PDF 后再上传。",
            "macros",
        )
    for pattern, key in OOXML_MAIN_TYPES:
        if pattern.search(index):
            return key
    for folder, key in OOXML_FOLDERS.items():
        if any(name.startswith(folder) for name in names):
            return key
    return None


def _check_no_programs(infos):
    for info in infos:
        if info.is_dir():
            continue
        if name_extension(info.filename) in PROGRAMS_IN_ZIP:
            refuse(
                f"压缩包里有可执行程序或脚本（{plain_name(info.filename)}），不能作为附件供公众下载。",
                "zip_program",
            )


def _read_through(archive, infos):
    """Every member read to its end in chunks: zipfile checks each one's CRC and size there (a broken, cut-off or
    lying archive raises BadZipFile). Bounded by the sizes checked before."""
    for info in infos:
        if info.is_dir():
            continue
        with archive.open(info) as member:
            while member.read(CHUNK):
                pass


# --- text ----------------------------------------------------------------------------------------------------------


def _text(extension, fileobj, head):
    if MARKUP.search(head) or _looks_like_markup(head):
        refuse(
            "这是网页或 SVG/XML 文件（不论文件名是什么），在浏览器里可能运行其中的代码，不能作为附件上传。"
            "请转成 PDF 后上传。",
            "markup",
        )
    if not _is_text(fileobj):
        refuse(f"不支持的格式。附件只接受 {ALLOWED}。", "unsupported")
    if extension != "txt":
        named = f"“.{extension}”" if extension else "没有扩展名"
        refuse(
            f"文件内容是纯文本，但文件名{named}：文件可能已损坏，或并不是它名称所说的格式。"
            "纯文本请以 .txt 为扩展名上传。",
            "text_name",
        )
    return "txt"


def _looks_like_markup(head):
    """Markup in UTF-16 (a NUL after each ASCII character): the NUL rule refuses it anyway, but say what it is."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore").encode("ascii", errors="ignore")
            return bool(MARKUP.search(text))
    return False


def _is_text(fileobj):
    """Valid UTF-8 throughout, else valid GB18030 throughout, without a NUL byte."""
    return any(_decodes(fileobj, encoding) for encoding in ("utf-8", "gb18030"))


def _decodes(fileobj, encoding):
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
