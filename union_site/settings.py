"""Settings for union-site. Every value that differs between machines comes from the environment
(README.md lists each variable with its default)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from union_site.common.env import env_bool, env_int, env_list, env_str, secret_key
from union_site.common.s3 import origin_of, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = secret_key(DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "union_site",  # first, so its admin/index.html (the 报表中心 link) overrides the admin's own
    "union_site.dashboard.apps.UnionAdminConfig",  # django.contrib.admin with the office's index and app order
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "union_site.redirects.apps.SitesConfig",  # django.contrib.sites, which the redirects need (SITE_ID below)
    "django.contrib.redirects",
    "union_site.redirects.apps.RedirectsConfig",  # after django.contrib.redirects: its admin replaces Django's
    "imagekit",
    "simple_history",
    "django_ckeditor_5",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the JSON API (union_site/api/): its Swagger UI from the package's static files, no CDN
    "news",
    "achievements",
    "gallery",
    "union_site.mailbox.apps.MailboxConfig",  # 主席信箱
    "union_site.checks.apps.ContentChecksConfig",  # 内容检查: 词库, personal data, the checks before publishing
    "union_site.surveys.apps.SurveysConfig",  # 征集调查
    "union_site.inspection.apps.InspectionConfig",  # 网站巡检
    "union_site.contributions.apps.ContributionsConfig",  # 基层投稿: 来稿单位, 通讯员, 信息采用情况通报 (after news)
    "union_site.wechat.apps.WechatConfig",  # 公众号 draft push; after news, whose article admin it extends
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "union_site.accounts.apps.LoginProtectionConfig",  # django-axes as 登录保护; after the admin and django-otp
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "union_site.api.middleware.ApiMiddleware",  # above the page cache: /api/ rate limit and CORS on cached answers too
    "union_site.common.counters.CountersMiddleware",  # above the page cache: counts 阅读数 of cached pages too
    "union_site.page_cache.PageCacheMiddleware",  # anonymous pages from the cache; a hit runs nothing below
    # A 404 with a redirect becomes a 301, any other 404 is counted in the 404 log. Below the page cache (which stores
    # only 200s, so a new redirect answers at once), above CommonMiddleware (so it sees the final 404, after
    # APPEND_SLASH's own redirect).
    "union_site.redirects.middleware.RedirectMiddleware",
    "union_site.outage.DatabaseOutageMiddleware",  # database down: 503 maintenance page (errors in views, templates)
    "union_site.errors.RequestLimitMiddleware",  # before CSRF: a body over the limits gets the Chinese 413/400 page
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "union_site.accounts.middleware.IdleLogoutMiddleware",
    "union_site.accounts.middleware.TwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "union_site.common.csp.SiteCSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lockout into the 登录已暂停 page
]

ROOT_URLCONF = "union_site.urls"
WSGI_APPLICATION = "union_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "union_site.context_processors.site",
                "union_site.common.preferences.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,  # a connection kept from an earlier request is checked before it is reused
    )
}
# A read replica: anonymous visitors' pages read it, everything else the primary (union_site/db_router.py).
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the test suite's database stands for both
    DATABASE_ROUTERS = ["union_site.db_router.ReplicaRouter"]
    # Outermost but for the security headers: decides for the whole request, session and user included.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "union_site.db_router.ReadPrimaryMiddleware",
    )
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers wait for each other (up to 20 s) instead of failing with "database is locked": every
        # transaction takes the write lock when it begins, so none has to upgrade a read lock halfway.
        database.setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    else:
        # An unreachable database server fails a request within seconds instead of hanging a worker.
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (django-tasks, the backport of Django 6's tasks API): queued as rows in the default database, run by
# `manage.py db_worker` beside the web server (README, Production). No broker to run; works on SQLite and PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Length over composition (等保 2.0; NIST SP 800-63B): at least 12 characters, not a common password, not close to the
# user's name; no rules about digits or symbols.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "union_site.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # Django's
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_list("DJANGO_STATIC_ROOT", str(VAR_DIR / "static"))[0])
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_list("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media"))[0])
# Files kept for a while but never served (a spreadsheet between import preview and confirm).
PRIVATE_ROOT = Path(env_list("DJANGO_PRIVATE_ROOT", str(VAR_DIR / "private"))[0])
# Media is served by Django only in development or when asked; in production nginx or object storage serves it.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads in an S3-compatible bucket (AWS S3, 阿里云 OSS, 腾讯云 COS, MinIO) when DJANGO_S3_BUCKET is set, so that every
# host sees every upload; else the local folder MEDIA_ROOT. Either way all code goes through the storage API.
# Public-read URLs by default, built without a request to S3 (a page of 200 photos asks for 1,000 addresses).
S3_BUCKET = env_str("DJANGO_S3_BUCKET")
MEDIA_ORIGINS = []  # where images are read from besides this site: the Content-Security-Policy's img-src
if S3_BUCKET:
    S3_SIGNED_URLS = env_bool("DJANGO_S3_SIGNED_URLS", False)
    STORAGES["default"], S3_PUBLIC_BASE = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=env_str("DJANGO_S3_ENDPOINT_URL"),
        region=env_str("DJANGO_S3_REGION", "us-east-1"),
        access_key=env_str("DJANGO_S3_ACCESS_KEY_ID"),
        secret_key=env_str("DJANGO_S3_SECRET_ACCESS_KEY"),
        custom_domain=env_str("DJANGO_S3_CUSTOM_DOMAIN"),
        addressing_style=env_str("DJANGO_S3_ADDRESSING_STYLE"),
        location=env_str("DJANGO_S3_LOCATION"),
        signed=S3_SIGNED_URLS,
    )
    MEDIA_ORIGINS = [origin_of(S3_PUBLIC_BASE)]
    # /media/<name> redirects to the bucket (union_site/views.py): links written before the move to the bucket, and
    # article pictures when URLs are signed (a signed URL in a body would expire), keep working.
    SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)

# Renditions are made when a photo is saved and then assumed to exist: no file check per request.
# A bulk upload's photos (not renditions_ready) are left to the task worker: gallery/renditions.py.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "gallery.renditions.UnlessProcessing"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# Request limits, raised on purpose from Django's defaults (100 files, 1,000 fields): a bulk upload may hold a few
# hundred photos, and an album of 200 photos edited in one form has about 1,600 fields. Bodies stay capped at 2.5 MB
# of form data (files are not counted there); nginx must allow the upload size (README).
DATA_UPLOAD_MAX_NUMBER_FILES = 300
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Uploaded images (union_site/common/images.py): checked before any pixel is decoded.
UPLOAD_IMAGE_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_IMAGE_MAX_PIXELS = 40_000_000
UPLOAD_IMAGE_MAX_SIDE = 12_000

# Article attachments (附件, union_site/common/file_types.py): the most one file may weigh. Raising it also needs
# nginx's limit for the article form raised (deploy/nginx.conf, the article form's location).
ATTACHMENT_MAX_BYTES = env_int("DJANGO_ATTACHMENT_MAX_MB", 50) * 1024 * 1024

# Article body: CKEditor 5 from django-ckeditor-5's static files (no CDN). Images go to our upload view
# (news/uploads.py), never the package's. Plugins whose output the sanitizer (union_site/common/richtext.py) would strip
# anyway (inline styles, fonts, colours, media embeds, raw HTML, Markdown) are switched off, so what an editor sees
# in the editor is what the site shows.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editor_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "webp", "gif"]
CKEDITOR_5_CONFIGS = {
    "news": {
        "language": "zh-cn",
        "toolbar": {
            "items": (
                "heading | bold italic underline link | bulletedList numberedList blockQuote insertTable uploadImage"
                " | undo redo removeFormat"
            ).split(),
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {"model": "heading2", "view": "h2", "title": "小标题", "class": "ck-heading_heading2"},
                {"model": "heading3", "view": "h3", "title": "三级标题", "class": "ck-heading_heading3"},
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption", "linkImage"],
            "upload": {"types": CKEDITOR_5_UPLOAD_FILE_TYPES},
            "insert": {"integrations": ["upload"]},  # no "insert by URL": pictures are uploaded and checked
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells", "toggleTableCaption"]},
        "link": {"defaultProtocol": "https://"},
        # WordCount: 字数 (characters, as Chinese counts) is shown by news/static/news/article_editor.js instead.
        "removePlugins": (
            "WordCount Markdown FullPage HtmlEmbed GeneralHtmlSupport Style SourceEditing MediaEmbed Font FontFamily"
            " FontSize FontColor FontBackgroundColor Highlight Alignment IndentBlock ListProperties TodoList"
            " TableProperties TableCellProperties ImageResize CodeBlock Code PageBreak Mention CKFinderUploadAdapter"
        ).split(),
    }
}

# One cache shared by every process that serves the site (the page cache, view counters, 网站设置): Redis when
# REDIS_URL is set (several hosts), else files under var/cache (several gunicorn workers and the task worker of one
# host). A Redis outage answers as misses, never a 500 (union_site/common/cache.py); short timeouts so that a Redis
# that no longer answers does not hold up a page.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    from union_site.common.cache import redis_cache  # imports the redis client only when there is a Redis

    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("DJANGO_CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# The anonymous page cache (union_site/page_cache.py): how long a page may be served at most (a change of content
# or the next scheduled publish ends it sooner), and how long shared caches in front (nginx) may keep it.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_SHARED_SECONDS = env_int("DJANGO_PAGE_CACHE_SHARED_SECONDS", 5)
# 阅读数 and download counts are added up in each process and sent to the cache this often (union_site/common/
# counters.py): the most a killed process can lose. 0: each view at once.
COUNTER_FLUSH_SECONDS = env_int("DJANGO_COUNTER_FLUSH_SECONDS", 1)
PAGE_CACHE_EXEMPT = ("/admin/",)  # path prefixes never cached

# Security. Off-by-default only where DEBUG is on; production passes `check --deploy`.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Preloading is a promise for every subdomain of the union's domain, so it is the operator's choice, not a default;
# while it is off, Django's reminder about it (security.W021) is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# Content-Security-Policy: everything from this site only; nothing inline on public pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *MEDIA_ORIGINS, *env_list("DJANGO_CSP_IMG_SRC")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSP_ADMIN_PREFIX = "/admin/"
# data: in connect-src lets CKEditor read images pasted from Word/WPS before uploading them (through our validator).
CSP_ADMIN_UPDATE = {"style-src": ["'unsafe-inline'"], "img-src": ["data:", "blob:"], "connect-src": ["data:"]}

SITE_NAME = "滨州市总工会"

# E-mail (the 主席信箱's notices to handling staff): printed to the console in development, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

# 主席信箱 (union_site/mailbox/, README "主席信箱"): reply times in working days, limits per (count, seconds), the
# review of replies, the SMS check (off when empty; "union_site.mailbox.sms.ConsoleBackend" in development).
MAILBOX_REPLY_DAYS = {"consult": env_int("MAILBOX_CONSULT_DAYS", 5), "default": env_int("MAILBOX_REPLY_DAYS", 15)}
MAILBOX_REPLY_REVIEW = env_bool("MAILBOX_REPLY_REVIEW", True)
MAILBOX_LIMITS = {
    "letters_per_ip": (env_int("MAILBOX_LETTERS_PER_HOUR", 3), 3600),
    "letters_per_phone": (env_int("MAILBOX_LETTERS_PER_HOUR", 3), 3600),
    "wrong_codes_per_ip": (10, 15 * 60),
    "sms_per_phone": (3, 3600),
}
MAILBOX_SMS_BACKEND = env_str("MAILBOX_SMS_BACKEND")
MAILBOX_ADMIN_BASE_URL = env_str("MAILBOX_ADMIN_BASE_URL")  # e.g. https://www.bzzgh.org.cn for the e-mail's link
# The JSON API (union_site/api/, README "开放接口"): requests per minute per address, and the origins whose pages may
# read it in a browser (CORS), e.g. https://www.sdgh.org.cn; empty: none (a mini-program's wx.request needs none).
API_RATE_LIMIT = (env_int("API_REQUESTS_PER_MINUTE", 120), 60)
API_CORS_ORIGINS = env_list("API_CORS_ORIGINS")
# The WeChat 公众号 (union_site/wechat/, README "公众号"): the account's AppID and AppSecret (公众平台 › 开发 ›
# 基本配置; the server's address must be in its IP 白名单), and the API's address (tests point it at a local stub).
WECHAT_APP_ID = env_str("WECHAT_APP_ID")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET")
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
# 网站巡检 (union_site/inspection/, README "网站巡检"): external links of public content are checked by the task
# worker, never in a visitor's request: seconds before giving up on an address, seconds between two requests to one
# host, addresses per run, days a result is reused, and whether addresses inside the network (127.0.0.1, 10.x,
# 192.168.x …) are asked too (off: a link in an article must not make the server probe its own network).
INSPECTION_EXTERNAL = {
    "timeout": 10,
    "host_interval": 1.0,
    "per_run": 200,
    "reuse_days": 7,
    "threads": 8,
    "private_hosts": False,
}
# The one Site of django.contrib.sites, which holds the redirects; links are still built on the request's host
# (union_site/redirects/sites.py).
SITE_ID = 1

# Accounts (union_site/accounts/, README "Security"): login lockout, two-factor sign-in, idle logout.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"  # also where a login lands whose ?next= points off the site
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked username + address before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a user elsewhere is not locked out by an attacker here
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # union_site/accounts/admin.py registers the records, in Chinese
AXES_LOCKOUT_CALLABLE = "union_site.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "union_site.accounts.client_ip.client_ip"
# How many reverse proxies of ours stand in front (each appends to X-Forwarded-For); 0: use REMOTE_ADDR only.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
# and every superuser; 信箱办理 reads visitors' names and phone numbers (主席信箱)
OTP_REQUIRED_GROUPS = env_list("DJANGO_OTP_REQUIRED_GROUPS", "审核,信箱办理")
OTP_DEV_BYPASS = env_bool("DJANGO_OTP_DEV_BYPASS", False)  # two-factor optional for everyone: development only
if OTP_DEV_BYPASS and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_OTP_DEV_BYPASS 只能在开发时（DJANGO_DEBUG=1）使用：关闭调试模式时两步验证不能取消。"
        " DJANGO_OTP_DEV_BYPASS requires DJANGO_DEBUG=1."
    )
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code the next is refused for 1, 2, 4, 8 … seconds
SESSION_IDLE_MINUTES = env_int("DJANGO_SESSION_IDLE_MINUTES", 30)
SESSION_IDLE_WARNING_SECONDS = 5 * 60  # the admin shows its warning this long before the end

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
