"""The Spanish catalog as the tests read it: straight from the PO file, independent of the app's imports."""
from __future__ import annotations

from babel.messages.pofile import read_po

from matchmaker.catalog import catalog_paths


def spanish() -> dict[str, str]:
    """msgid → Spanish of every translated message without context (the interface's words)."""
    with catalog_paths("es")[0].open("rb") as fh:
        po = read_po(fh, locale="es")
    return {m.id: m.string for m in po if isinstance(m.id, str) and m.id and not m.context and m.string}
