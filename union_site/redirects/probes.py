"""扫描探测: addresses that bots try on every website (WordPress logins, leaked configuration files, database
consoles, old CGI scripts). No person follows a link to them, so the 404 log keeps one row per kind of probe, with
its count and the last address tried, instead of a row per address that would bury the real broken links.

    probe_of(path) -> the row's name for a probe ("扫描探测：WordPress（/wp-login.php、/wp-admin/ 等）"), or None

`*.php` counts as a probe because this site has no PHP. A site that moved from a PHP system (/index.php?id=12)
imports its old addresses as redirects (README): a redirect answers before anything is logged.
"""

import re

PREFIX = "扫描探测："

PROBES = [
    ("WordPress（/wp-login.php、/wp-admin/、/xmlrpc.php 等）", r"/(wp-[\w-]*(/|\.php)|wordpress/|xmlrpc\.php)"),
    (
        "配置与密钥文件（/.env、/.git/ 等）",
        r"/\.(env|git|svn|hg|aws|ssh|docker|vscode|idea|ds_store|htaccess|htpasswd)",
    ),
    ("数据库管理（/phpmyadmin 等）", r"/(phpmyadmin|pma|myadmin|mysqladmin|adminer|dbadmin)"),
    ("CGI 脚本（/cgi-bin/）", r"/cgi-bin/"),
    (
        "框架与设备漏洞（/vendor/phpunit/、/actuator/、/boaform/ 等）",
        r"/(vendor/phpunit|actuator|boaform|hnap1|solr|console/)",
    ),
    ("PHP 脚本（*.php）", r"\.php\d?$"),
]
_COMPILED = [(PREFIX + name, re.compile(pattern, re.IGNORECASE)) for name, pattern in PROBES]


def probe_of(path):
    for name, pattern in _COMPILED:
        if pattern.search(path):
            return name
    return None
