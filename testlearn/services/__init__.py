"""Use cases: the API that the window, the command line and the tests call.

Each service is a function with keyword-only dependencies (the database, the actor) that
runs one user action in one transaction and returns frozen read models.
"""
