"""The address a request comes from, for the login lockout: trust X-Forwarded-For only as far as our own proxies.

Each proxy in front of the site (nginx, a load balancer) appends the address it received the request from, so with
`DJANGO_PROXY_COUNT=N` the client is the N-th address from the right; anything further left was written by the
client and may be forged. With the default 0 the header is ignored and REMOTE_ADDR, the TCP peer, is used: a forged
header then can neither dodge a lockout nor lock someone else out."""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:  # fewer hops than proxies: the request did not come through them
        return remote
    return _valid(forwarded[-count]) or remote
