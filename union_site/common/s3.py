"""An S3-compatible bucket (AWS S3, 阿里云 OSS, 腾讯云 COS, MinIO) as Django's default storage: the STORAGES entry
settings.py makes from DJANGO_S3_* (README, Configuration), and the public address of the bucket's objects.

Public-read (the default): URLs are plain strings, the public base plus the object's name, made without boto3 (a page
of 200 photos asks for 1,000 addresses); the bucket's policy, not an ACL per object, lets anyone read. Signed: boto3
signs each URL, valid for a day. Either way the Content-Security-Policy names the same origin as the URLs have.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

SIGNED_URL_SECONDS = 24 * 3600
PUBLIC_CACHE = "max-age=2592000"  # 30 days: every upload gets a new name, as nginx serves /media/ (README)
SIGNED_CACHE = "private, max-age=3600"


def s3_public_base(bucket, endpoint_url, addressing_style, custom_domain=""):
    """Where the bucket's objects are read from, without a trailing slash: https://media.example.org (a custom
    domain or CDN), http://127.0.0.1:9000/union-site (path style: endpoint, then bucket) or
    https://union-site.oss-cn-hangzhou.aliyuncs.com (virtual-hosted style: the bucket in the host name)."""
    if custom_domain:
        return f"https://{custom_domain.strip('/')}"
    endpoint = urlsplit(endpoint_url)
    if addressing_style == "virtual":
        return f"{endpoint.scheme}://{bucket}.{endpoint.netloc}"
    return f"{endpoint.scheme}://{endpoint.netloc}/{bucket}"


def origin_of(url):
    """scheme://host[:port] of an absolute URL (what a Content-Security-Policy source names)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def s3_storage(
    bucket,
    endpoint_url="",
    region="us-east-1",
    access_key="",
    secret_key="",
    custom_domain="",
    addressing_style="",
    location="",
    signed=False,
):
    """(the STORAGES entry, the public base URL). No endpoint: AWS in `region`, virtual-hosted; an endpoint (OSS,
    COS, MinIO, a test server): path style unless told `virtual` (OSS and COS want virtual)."""
    from botocore.config import Config  # only when a bucket is configured

    addressing_style = addressing_style or ("path" if endpoint_url else "virtual")
    endpoint_url = endpoint_url or f"https://s3.{region}.amazonaws.com"
    if addressing_style not in ("path", "virtual"):
        raise ImproperlyConfigured("DJANGO_S3_ADDRESSING_STYLE 只能是 path 或 virtual。")
    if signed and custom_domain:
        raise ImproperlyConfigured(
            "DJANGO_S3_SIGNED_URLS 与 DJANGO_S3_CUSTOM_DOMAIN 不能同时使用：签名地址只能由存储桶本身给出。"
            " DJANGO_S3_SIGNED_URLS cannot be combined with DJANGO_S3_CUSTOM_DOMAIN."
        )
    base = s3_public_base(bucket, endpoint_url, addressing_style, custom_domain)
    public = urlsplit(base)
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": region,
        "access_key": access_key or None,  # None: boto3 looks for credentials itself (an instance role)
        "secret_key": secret_key or None,
        "location": location.strip("/"),
        # Every name is generated (a UUID; a rendition is named after its source), so no name is taken twice: no
        # existence check (one request) before each write.
        "file_overwrite": True,
        "default_acl": None,
        "querystring_auth": signed,
        "querystring_expire": SIGNED_URL_SECONDS,
        "object_parameters": {"CacheControl": SIGNED_CACHE if signed else PUBLIC_CACHE},
        "client_config": Config(
            s3={"addressing_style": addressing_style},
            signature_version="s3v4",
            # Integrity checksums only where S3 requires them: OSS, COS and older MinIO refuse boto3's default ones.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }
    if not signed:
        options.update(custom_domain=public.netloc + public.path, url_protocol=public.scheme + ":")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, base
