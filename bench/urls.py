"""Every URL of the site, plus the bench's two reference pages (only in bench/settings.py, never on the site)."""

from django.urls import path

from bench import views
from union_site.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/bare/", views.bare, name="bench_bare"),
    path("bench/hold/", views.hold, name="bench_hold"),
    *site_urlpatterns,
]
