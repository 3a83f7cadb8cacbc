"""PDF and HTML reports and their charts (reportlab). Data is handed in; no Qt, no database."""
