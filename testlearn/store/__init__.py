"""Storage: tables, the database file, migrations, revisions and the audit chain.

The only package besides ``sync`` that talks SQL. Services reach it through
:class:`testlearn.store.database.Database` and the unit of work it opens.
"""
