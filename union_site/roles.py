"""The role groups (DESIGN.md, Roles). Their permissions are set by migrations in union_site/migrations."""

EDITOR, REVIEWER, REPORTER = "编辑", "审核", "报表"
ROLES = [EDITOR, REVIEWER, REPORTER]
