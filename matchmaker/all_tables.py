"""Every table the application declares, gathered for ``Base.metadata`` (``create_app``, the Alembic
environment, tests).

Each concern declares its tables in its own ``records.py``; this imports them all by walking the
package on disk, so it names no concern and no concern imports it (only the app factory, migrations
and tests do): it can close no import cycle.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

PACKAGE = "matchmaker"


def import_all_tables() -> None:
    """Import every module that declares tables, so ``Base.metadata`` knows them all (Alembic, tests)."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.ispkg:
            try:
                importlib.import_module(f"{PACKAGE}.{info.name}.records")
            except ModuleNotFoundError as exc:
                if exc.name != f"{PACKAGE}.{info.name}.records":
                    raise
    importlib.import_module(f"{PACKAGE}.jobs")  # the shared jobs table
