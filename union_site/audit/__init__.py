"""审计日志 (/admin/audit/): admin changes, exports and logins in one list for superusers (entries.py: the rows;
views.py: the page and its Excel/CSV export through union_site/reports/writers.py)."""
