"""Old addresses that keep working, and the addresses visitors ask for in vain (README, "Old links and the 404 log").

- Redirects are django.contrib.redirects' rows on this site's one Site (django.contrib.sites, SITE_ID = 1), written
  only through store.py (the admin form and import, a column's new slug, the legacy import later) and answered by
  middleware.py as 301s when a page is missing.
- not_found.py counts the 404s nobody redirects, in the cache, and writes them to the 404 log (models.NotFoundPath)
  in batches; probes.py groups the addresses bots try (/wp-login.php, /.env …) into one row per kind.
- sites.py keeps what the sites framework would change otherwise as it was: links on the host the request came to.
"""
