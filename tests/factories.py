"""Builders the tests share: pictures drawn with Pillow (no committed fixture files), gallery rows, the article
change form as the admin posts it, the writes among captured queries, reports read back from XLSX, and the admin's
login in a real browser. Tests import them from here, never from another test module; builders that
need a fixture (`make_article`, `column`, the users) are fixtures in conftest.py."""

import io
import struct
import zipfile
import zlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

RED, BLUE, GREEN = (220, 20, 20), (20, 20, 220), (20, 200, 20)
UNION_RED = "#a4161a"  # the site's red

# --- pictures ------------------------------------------------------------------------------------------------------


def encoded(image, image_format, **options):
    """The bytes of a Pillow image saved as `image_format` (options as Image.save takes them)."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def jpeg(size=(60, 40), colour=UNION_RED, **options):
    return encoded(Image.new("RGB", size, colour), "JPEG", **options)


def distinct_jpegs(count, size=(60, 40)):
    """`count` JPEGs of different colours: different content, so no upload takes one for a duplicate of another."""
    return [jpeg(size, colour=(n % 32 * 8, n // 32 % 32 * 8, 120)) for n in range(count)]


def png(size=(60, 40), colour=UNION_RED):
    return encoded(Image.new("RGB", size, colour), "PNG")


def tiny_jpeg(name="p.jpg", size=(60, 40)):
    """A small JPEG as an ImageField takes it: Photo.objects.create(album=album, image=tiny_jpeg())."""
    return ContentFile(jpeg(size), name)


def jpeg_with_gps(size=(64, 48), colour=(200, 30, 30)):
    """A JPEG whose EXIF carries a GPS position, as a phone writes it."""
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (37.0, 22.0, 30.5)})
    return encoded(Image.new("RGB", size, colour), "JPEG", exif=exif.tobytes())


def written(path, data):
    """`data` written to `path` (a file to hand to a browser's file chooser); returns the path."""
    path.write_bytes(data)
    return path


def noisy(size=(300, 200)):
    """A picture JPEG cannot squeeze into a few bytes (so that cutting the file in half really truncates it)."""
    return Image.frombytes("RGB", size, bytes((i * 7919) % 251 for i in range(size[0] * size[1] * 3)))


def phone_photo():
    """An MPO as phones write it: a 60x40 landscape frame (red top-left corner, rest blue) stored sideways with
    EXIF orientation 6, a capture time, GPS coordinates, and a second (preview) frame. Turned upright it is 40x60
    with the red corner at the top right."""
    main = Image.new("RGB", (60, 40), BLUE)
    main.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Huawei"
    exif.get_ifd(0x8769)[36867] = "2023:05:01 10:20:30"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (37.0, 22.0, 30.5), 3: "E", 4: (117.0, 58.0, 12.0)})
    data = encoded(main, "MPO", save_all=True, append_images=[Image.new("RGB", (60, 40), GREEN)], exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).format == "MPO"
    return data


def png_bomb(width, height):
    """A valid 1-bit, all-black PNG: a few hundred kilobytes on disk, width x height pixels once decoded."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def heic(major=b"heic", compatible=(b"mif1", b"heic")):
    """The start of a HEIC file as an iPhone writes it: the `ftyp` box (major brand, compatible brands), then a
    `meta` box. Pillow cannot open HEIC at all, so the box is all the validator has to recognise it by."""
    brands = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    ftyp = struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands
    meta = struct.pack(">I", 40) + b"meta" + bytes(32)
    return ftyp + meta + bytes(200)


# --- documents (attachments): real files of each kind, made here ------------------------------------------------------

OFFICE = "application/vnd.openxmlformats-officedocument."
OOXML_MAIN = {  # kind → (main part, its content type)
    "docx": ("word/document.xml", OFFICE + "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", OFFICE + "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", OFFICE + "presentationml.presentation.main+xml"),
}
MACRO_TYPES = {
    "docm": ("docx", "application/vnd.ms-word.document.macroEnabled.main+xml", "word/vbaProject.bin"),
    "xlsm": ("xlsx", "application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xl/vbaProject.bin"),
    "pptm": ("pptx", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", "ppt/vbaProject.bin"),
}


def zipped(members, compression=zipfile.ZIP_DEFLATED):
    """A ZIP of {name or ZipInfo: bytes}, in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ooxml(kind, main_type=None, extra=None):
    """A minimal Office Open XML package (docx, xlsx, pptx) as Office writes one: [Content_Types].xml naming the
    main part's type, _rels/.rels pointing at it, the main part; `extra` parts besides."""
    part, content_type = OOXML_MAIN[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type or content_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'officeDocument" Target="{part}"/></Relationships>'
    )
    body = '<?xml version="1.0" encoding="UTF-8"?><root>职工运动会报名</root>'
    return zipped({"[Content_Types].xml": types, "_rels/.rels": rels, part: body, **(extra or {})})


def docx():
    return ooxml("docx")


def pptx():
    return ooxml("pptx")


def table_xlsx(rows, header):
    """The bytes of a one-sheet workbook written by openpyxl: the `header` row, then `rows`."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for cells in rows:
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx():
    """A real workbook, written by openpyxl (as the site's own writer does)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "单位", "参赛项目"])
    workbook.active.append(["张三", "市总工会机关", "田径"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_macros(kind):
    """A docm/xlsm/pptm: the macro-enabled main content type and a vbaProject.bin, as Office saves one."""
    base, main_type, project = MACRO_TYPES[kind]
    return ooxml(base, main_type=main_type, extra={project: b"\xd0\xcf\x11\xe0 vba"})


def ofd():
    """An OFD (GB/T 33190) package: OFD.xml at the root, the document below."""
    return zipped(
        {
            "OFD.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
            'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
            "</ofd:DocBody></ofd:OFD>",
            "Doc_0/Document.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:Document/>',
        }
    )


def pdf():
    """A real (tiny, valid) PDF."""
    from union_site.demo.files import minimal_pdf

    return minimal_pdf(["union-site test PDF"])


def ole2(size=4096):
    """The start of an old Office/WPS file (.doc, .xls, .ppt, .wps, .et, .dps): the OLE2 compound file header."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HH", 0x3E, 3) + b"\xfe\xff"
    return header + bytes(size - len(header))


def zip_bomb(unpacked=20 * 1024 * 1024):
    """A ZIP whose one member unpacks to `unpacked` bytes of zeros from a few kilobytes (ratio about 1000)."""
    return zipped({"data.txt": bytes(unpacked)})


def document_upload(name, data):
    """`data` as the browser uploads it in a form (test client: a file with a name)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --- gallery rows --------------------------------------------------------------------------------------------------


def make_photo(album, **fields):
    """A photo of `album` with a small real JPEG, so its renditions exist as for an upload."""
    from gallery.models import Photo

    fields.setdefault("image", tiny_jpeg())
    return Photo.objects.create(album=album, **fields)


def make_album_with_cover(title, caption="图", **fields):
    """An album whose cover is its one photo, as album lists and the home page show it."""
    from gallery.models import Album

    album = Album.objects.create(title=title, **fields)
    album.cover = make_photo(album, caption=caption)
    album.save()
    return album


# --- stored files: through the storage, so the same test runs on MEDIA_ROOT and on a bucket -------------------------


S3_BACKEND = "storages.backends.s3.S3Storage"


def uploads_in_bucket():
    """True when the suite's uploads go to an S3 bucket (.ci/run's PostgreSQL run sets DJANGO_S3_*)."""
    return settings.STORAGES["default"]["BACKEND"] == S3_BACKEND


def bucket_storages(folder):
    """settings.STORAGES with the bucket's default storage kept under `folder` (DJANGO_S3_LOCATION + folder)."""
    default = settings.STORAGES["default"]
    base = default["OPTIONS"].get("location", "")
    options = {**default["OPTIONS"], "location": f"{base}/{folder}".strip("/")}
    return {**settings.STORAGES, "default": {**default, "OPTIONS": options}}


def empty_bucket_folder(storages):
    """Deletes every object under the location of `storages`' default storage (a test's own folder of the bucket)."""
    from django.core.files.storage import storages as handler

    storage = handler.create_storage(storages["default"])
    storage.bucket.objects.filter(Prefix=storage.location + "/").delete()


def stored_names(folder="", storage=None):
    """Every file in the default storage under `folder` (the test's MEDIA_ROOT, or its own folder of the bucket
    when .ci/run sets DJANGO_S3_*), as sorted storage names."""
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder not made yet; a bucket just lists nothing
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for directory in directories:
        names += stored_names(f"{folder}/{directory}" if folder else directory, storage)
    return sorted(names)


def stored_bytes(name):
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as stored:
        return stored.read()


def stored_image(name):
    """The stored picture `name`, opened with Pillow (already read: no file left open)."""
    image = Image.open(io.BytesIO(stored_bytes(name)))
    image.load()
    return image


def media_base():
    """What the default storage's URLs put before a stored name: /media/ on disk, the bucket's address on S3."""
    from django.core.files.storage import default_storage

    return default_storage.url("")


def stored_name(url):
    """The storage name of a stored file's URL (the inverse of storage.url)."""
    assert url.startswith(media_base()), url
    return url.removeprefix(media_base())


def absolute(url, site="http://testserver"):
    """An upload's URL as a page writes it in full (og:image): on the test site when relative (/media/…), a bucket's
    as it is."""
    return url if url.startswith(("http://", "https://")) else site + url


def fetch(client, url):
    """(status, Content-Type) of GET `url` as a browser would see it: this site through the test client, the bucket
    (an absolute URL elsewhere) over HTTP."""
    import urllib.error
    import urllib.request

    if not url.startswith(("http://", "https://")):
        response = client.get(url)
        return response.status_code, response.get("Content-Type")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own S3 server
            return response.status, response.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type")


def fetch_status(client, url):
    return fetch(client, url)[0]


def store(name, data):
    """`data` stored under `name` (a name the test chooses, e.g. a stray file); returns the stored name."""
    from django.core.files.storage import default_storage

    return default_storage.save(name, ContentFile(data))


# --- database writes -----------------------------------------------------------------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(queries):
    """The SQL of the writes among the queries a CaptureQueriesContext captured."""
    return [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().upper().startswith(WRITES)]


# --- reports as written to XLSX ------------------------------------------------------------------------------------


def xlsx_workbook(document):
    """The report `document` written to XLSX by the site's writer and read back with openpyxl."""
    from openpyxl import load_workbook

    from union_site.reports import writers

    buffer = io.BytesIO()
    writers.write_xlsx(document, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def data_rows(sheet):
    """A report sheet's cell values from row 4 on (below its title, note and header rows), a list a row."""
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]


# --- the article change form in the admin --------------------------------------------------------------------------


def article_change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def article_form_data(article, **changes):
    """The article's change form as the admin posts it, with `changes` on top."""
    local = timezone.localtime(article.publish_at) if article.publish_at else None
    data = {
        "column": article.column_id,
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "source": article.source,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "review_comment": article.review_comment,
        "publish_at_0": local.strftime("%Y-%m-%d") if local else "",
        "publish_at_1": local.strftime("%H:%M:%S") if local else "",
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "album": "",
        "note": article.note,
        **contribution_fields(article),
        **attachment_rows(article),
    }
    data.update(changes)
    return data


def contribution_fields(article):
    """The 来稿与采用 part of the change form (union_site/contributions/admin_article.py) as the admin posts it:
    an unticked box is not sent."""
    data = {
        "contributing_unit": article.contributing_unit_id or "",
        "adoption": article.adoption,
        "upstream_outlet": article.upstream_outlet,
        "return_reason": article.return_reason,
    }
    data.update({name: "on" for name in ("is_used_on_wechat", "is_used_upstream") if getattr(article, name)})
    return data


def attachment_rows(article):
    """The 附件 inline's part of the change form (its management form and the rows it shows), as the admin posts it
    when nothing is changed there."""
    attachments = list(article.attachments.all()) if article.pk else []
    data = {
        "attachments-TOTAL_FORMS": str(len(attachments)),
        "attachments-INITIAL_FORMS": str(len(attachments)),
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    for n, attachment in enumerate(attachments):
        row = {"id": attachment.pk, "article": article.pk, "title": attachment.title, "order": attachment.order}
        data.update({f"attachments-{n}-{key}": str(value) for key, value in row.items()})
    return data


# --- two-factor ----------------------------------------------------------------------------------------------------


def authenticator(user):
    """The user's confirmed TOTP device (an authenticator app already set up), made if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="测试手机", confirmed=True
    )


def totp_code(device, steps_ahead=0):
    """The 6 digits the authenticator app shows now (or `steps_ahead` periods of 30 s later: a code not yet used,
    for a second login within the same 30 s, since a code is accepted once)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user):
    """Mark the test client's session as having entered a code, as django-otp's login() does after one."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


# --- the admin in a real browser (tests/test_browser_*.py) ---------------------------------------------------------

STAFF_PASSWORD = "a-long-test-password-1"


def log_in_admin(page, base_url, username, password=STAFF_PASSWORD, device=None):
    """Logs `username` in through the admin's login page in the Playwright `page`, then types the code `device` (an
    authenticator, see authenticator()) shows when one is given; returns the page."""
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    if device:
        page.fill("#id_otp_token", totp_code(device))
        page.click("input[type=submit]")
    return page


def log_in_staff(page, base_url, username, group, password=STAFF_PASSWORD):
    """A new staff user in `group`, logged in through the admin's login page in the already-opened `page`, with a
    code from a set-up authenticator when the group must use two-factor (settings.OTP_REQUIRED_GROUPS); returns the
    page."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    device = authenticator(user) if group in settings.OTP_REQUIRED_GROUPS else None
    return log_in_admin(page, base_url, username, password, device)


def serious_accessibility_problems(page, within=None):
    """axe-core's serious and critical WCAG findings on the page as it is now (or in the part `within`, a CSS
    selector), each as "id: help (targets)"; the page's context must have been opened with bypass_csp=True (axe is
    injected as a script)."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context=within).response["violations"]
    return [
        f"{v['id']}: {v['help']} ({', '.join(' '.join(node['target']) for node in v['nodes'][:3])})"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]
