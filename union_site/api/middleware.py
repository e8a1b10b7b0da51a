"""What every answer under /api/ gets before the page cache is asked (so cached answers count and vary too):

- a per-address rate limit (API_RATE_LIMIT requests per window, counted in the shared cache by
  union_site/common/ratelimit.py; the address as the login lockout finds it), beyond it 429 with a Chinese JSON body
  and Retry-After;
- CORS for the origins listed in API_CORS_ORIGINS only (GET and HEAD; preflight answered here). A mini-program's
  wx.request needs no CORS; other sites' pages reading the API in a browser do."""

import json
import time

from django.conf import settings
from django.http import HttpResponse

from union_site.accounts.client_ip import client_ip
from union_site.common import ratelimit

API_PREFIX = "/api/"
TOO_MANY = "请求过于频繁：每个地址每分钟最多 {limit} 次，请 {wait} 秒后再试。"


def json_response(body, status):
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        allowed = origin if origin in settings.API_CORS_ORIGINS else None
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            return self.cors(HttpResponse(status=204), allowed, preflight=True)
        limit, seconds = settings.API_RATE_LIMIT
        if not ratelimit.allow("api", client_ip(request), limit, seconds):
            wait = seconds - int(time.time()) % seconds
            response = json_response({"detail": TOO_MANY.format(limit=limit, wait=wait)}, 429)
            response["Retry-After"] = str(wait)
            return self.cors(response, allowed)
        return self.cors(self.get_response(request), allowed)

    def cors(self, response, origin, preflight=False):
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        response["Vary"] = ", ".join([*vary, "Origin"])
        if origin:
            response["Access-Control-Allow-Origin"] = origin
            if preflight:
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = "If-None-Match"
                response["Access-Control-Max-Age"] = "86400"
            else:
                response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
        return response
