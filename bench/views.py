"""The bench's reference pages, served by the same gunicorn as the site (bench/urls.py)."""

import time

from django.http import HttpResponse
from django.shortcuts import render

HOLD_SECONDS = 0.2


def bare(request):
    """× bare's denominator: one small template, no database; the same middleware as every page."""
    return render(request, "bench/bare.html", {"title": "基准页"})


def hold(request):
    """Busy for HOLD_SECONDS: two at once that each take about that long mean both workers were free."""
    time.sleep(HOLD_SECONDS)
    return HttpResponse("ok", content_type="text/plain")
