"""RRM Desk desktop front end (PySide6): panels and Qt models over the ``rrmdesk`` core.

Nothing here runs SQL: widgets talk to ``rrmdesk.Store`` and ``rrmdesk.Workspace`` through the
``Session`` they are given, and Qt models adapt what those return (DESIGN.md sections 2 and 7).
"""
