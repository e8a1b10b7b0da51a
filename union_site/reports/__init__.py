"""报表中心 and everything that writes a file: writers (CSV/XLSX/PDF), log (ExportLog), admin_actions (导出所选),
center (the registry and its pages), annual (网站年度工作报表), urls."""
