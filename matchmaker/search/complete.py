"""Autocomplete for the search box: taxonomy terms (both languages) and maker names, or for makers
browsing requirements, the titles of requirements they may see.

The same rules as the searches they lead to: maker names for anyone who may search makers;
requirement titles only to the roles that may search requirements, and only titles of open
requirements of cleared buyers by the database's current state (the index may lag).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from indexing import SearchError, analysis

from .. import access
from .. import taxonomy as tx
from .documents import MAKERS, REQUIREMENTS
from .gating import showable_requirements
from .sync import backend, spec_for
from ..errors import DomainError
from ..i18n import N_

MAX_PREFIX = 100
SIZE = 8
#: Vocabularies offered, with the search parameter a chosen term sets (``None``: it goes into the text).
VOCABS = ((tx.PROCESS_STAGES, "process"), (tx.PRODUCT_LINES, "product_line"), (tx.NICHES, None))
SCOPES = ("makers", "requirements")
REQUIREMENT_ROLES = access.MAKERS | access.ASSOCIATION | access.STAFF  # as search.requirements' @allow


def _matches(label_words: list[str], words: list[str]) -> bool:
    """Every typed word begins some word of the label (the last one may be unfinished)."""
    return all(any(lw.startswith(w) for lw in label_words) for w in words)


def taxonomy_terms(words: list[str], lang: str) -> list[dict]:
    out = []
    for vocab, param in VOCABS:
        for term in vocab:
            both = analysis.words(term.label("es")) + analysis.words(term.label("en"))
            if _matches(analysis.words(term.label(lang)), words) or _matches(both, words):
                out.append({"kind": vocab.name, "value": term.code, "text": term.label(lang), "param": param})
    return out


def complete(session: Session, actor, q: str, lang: str = "en", scope: str = "makers",
             size: int = SIZE) -> dict:
    if scope not in SCOPES:
        raise DomainError("invalid_parameter", "must be one of {allowed}", field="scope",
                          status=400, params={"allowed": ", ".join(SCOPES)})
    if scope == "requirements" and actor.role not in REQUIREMENT_ROLES:
        raise PermissionError(N_("requirement titles are for those who may search requirements"))
    q = q[:MAX_PREFIX]
    words = analysis.query_words(q, limit=8)
    items: list[dict] = []
    if not words:
        return {"q": q, "items": items}
    if scope == "makers":
        items += taxonomy_terms(words, lang)[: size // 2]
    index = MAKERS if scope == "makers" else REQUIREMENTS
    try:
        found = backend().complete(spec_for(index).name, q, size)
    except SearchError:  # the index is down or not built: terms still help
        found = []
    if scope == "requirements":
        allowed = showable_requirements(session, [int(c.id) for c in found])
        found = [c for c in found if int(c.id) in allowed]
    seen: set[str] = set()
    for c in found:
        if c.text.lower() not in seen:
            seen.add(c.text.lower())
            items.append({"kind": "maker" if scope == "makers" else "requirement", "value": c.id,
                          "text": c.text, "param": None})
    return {"q": q, "items": items[:size]}
