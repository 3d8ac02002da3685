"""The landing and per-role home page, the language switch, the favicon and ``/health`` (blueprint ``main``).

Its template filters and page helpers (``label``, ``tx``, ``perm``) serve every page of the application.
"""
