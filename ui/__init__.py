"""The desktop window (PySide6): windows, item models, dialogs and the worker lane.

The window reaches the core only through ``testlearn.services``; it never runs SQL or
statistics itself.
"""
