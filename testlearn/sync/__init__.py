"""Export packages and the merging of databases (SQLite or a PostgreSQL central store).

See docs/merge.md. Like ``store``, this package may talk SQL; nothing above it does.
"""
