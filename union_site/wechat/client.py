"""The few calls of the WeChat 公众号 API the draft push needs (token, media/uploadimg, material/add_material,
draft/add, draft/update), over urllib: no SDK for five requests.

- The access token is kept in the shared cache until shortly before it expires, so every worker and host asks
  WeChat for one at most once in its lifetime (the token endpoint has a daily limit of its own). When WeChat says
  the token is no longer valid (40001, 40014, 42001: expired, or replaced by another client's request), it is
  fetched again and the call repeated once.
- JSON is sent as UTF-8 (ensure_ascii off): WeChat shows \\u escapes as they are.
- Every refusal is a WechatError with a Chinese explanation of WeChat's code, for the admin."""

import json
import uuid
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache

TOKEN_KEY = "wechat:access-token:v1:"  # noqa: S105 - a cache key's prefix
TOKEN_MARGIN = 300  # seconds before its expiry a cached token is no longer used
TIMEOUT = 30
TOKEN_INVALID = {40001, 40014, 42001}
MESSAGES = {
    -1: "微信服务器繁忙，请稍后重试。",
    40001: "公众号接口凭证无效，请核对 AppSecret。",
    40013: "公众号 AppID 无效，请核对 WECHAT_APP_ID。",
    40125: "公众号 AppSecret 无效，请核对 WECHAT_APP_SECRET。",
    40164: "本服务器的 IP 地址不在公众号的 IP 白名单中：请在公众平台“开发 › 基本配置”中添加。",
    40007: "素材 media_id 无效（草稿可能已在公众号后台删除）。",
    40009: "图片太大：公众号只接受 1 MB 以内的图片。",
    40113: "图片格式不受支持：公众号只接受 JPEG 和 PNG。",
    45002: "正文太长：公众号草稿正文须少于 2 万字、小于 1 MB。",
    45003: "标题太长。",
    45004: "摘要太长。",
    45009: "今天调用公众号接口的次数已达上限，请明天再推送（或在公众平台清零调用次数）。",
    45110: "作者名太长。",
    48001: "公众号没有草稿箱接口的权限（需要已认证的公众号）。",
    53404: "这篇草稿已被公众号后台删除或已发表，无法更新。",
}


class WechatError(Exception):
    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


def explained(code, errmsg):
    return WechatError(MESSAGES.get(code, f"公众号接口返回错误 {code}：{errmsg}"), code)


class WechatClient:
    def __init__(self, app_id=None, secret=None, base=None):
        self.app_id = app_id if app_id is not None else settings.WECHAT_APP_ID
        self.secret = secret if secret is not None else settings.WECHAT_APP_SECRET
        self.base = (base or settings.WECHAT_API_BASE).rstrip("/")
        if not (self.app_id and self.secret):
            raise WechatError("尚未配置公众号：请设置环境变量 WECHAT_APP_ID 和 WECHAT_APP_SECRET。")

    # --- transport ---------------------------------------------------------------------------------------------

    def _request(self, path, params, body=None, content_type=None):
        url = f"{self.base}{path}?{urlencode(params)}"
        method = "POST" if body is not None else "GET"
        request = Request(url, data=body, method=method)  # noqa: S310 - WECHAT_API_BASE, set by the operator
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the configured https API
                answer = json.loads(response.read().decode("utf-8"))
        except (URLError, OSError, ValueError) as error:
            raise WechatError(f"无法连接公众号接口（{type(error).__name__}），请稍后重试。") from error
        code = answer.get("errcode", 0)
        if code:
            raise explained(code, answer.get("errmsg", ""))
        return answer

    def token(self, fresh=False):
        key = TOKEN_KEY + self.app_id
        cached = None if fresh else cache.get(key)
        if cached:
            return cached
        answer = self._request(
            "/cgi-bin/token", {"grant_type": "client_credential", "appid": self.app_id, "secret": self.secret}
        )
        lifetime = int(answer.get("expires_in", 7200))
        cache.set(key, answer["access_token"], max(lifetime - TOKEN_MARGIN, 60))
        return answer["access_token"]

    def call(self, path, body, content_type, params=None):
        """A call with the access token; once more with a fresh token when WeChat says it is no longer valid."""
        for attempt in (1, 2):
            try:
                return self._request(
                    path, {"access_token": self.token(fresh=attempt > 1), **(params or {})}, body, content_type
                )
            except WechatError as error:
                if error.code not in TOKEN_INVALID or attempt > 1:
                    raise
        raise AssertionError("unreachable")

    def call_json(self, path, payload):
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return self.call(path, body, "application/json; charset=utf-8")

    def call_file(self, path, filename, data, mime, params=None):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.call(path, body, f"multipart/form-data; boundary={boundary}", params)

    # --- the calls ----------------------------------------------------------------------------------------------

    def upload_body_image(self, image):
        """A picture for the body (media/uploadimg): its URL on WeChat's servers."""
        return self.call_file("/cgi-bin/media/uploadimg", image.filename, image.data, image.mime)["url"]

    def add_cover(self, image):
        """The cover as permanent image material (the draft's thumb_media_id)."""
        answer = self.call_file(
            "/cgi-bin/material/add_material", image.filename, image.data, image.mime, {"type": "image"}
        )
        return answer["media_id"]

    def add_draft(self, article):
        return self.call_json("/cgi-bin/draft/add", {"articles": [article]})["media_id"]

    def update_draft(self, media_id, article):
        self.call_json("/cgi-bin/draft/update", {"media_id": media_id, "index": 0, "articles": article})
