"""Backup and restore of the whole site: the database, MEDIA_ROOT and PRIVATE_ROOT in one archive with a manifest
(manage.py backup / manage.py restore; README, Production).

database.py knows each database vendor (pg_dump / pg_restore, SQLite's online backup API) and counts rows;
archive.py writes and reads the archive, checks every file against the manifest and verifies a restore."""
