"""A rebuild worker (see :mod:`.rebuilding`): ``python -m matchmaker.search.rebuild_worker``.

Reads pickles on stdin: first ``(database URL, {index: IndexSpec})``, then ``(index, lowest id, highest id
or None)`` tasks; answers each, in order, on its stdout with ``("ok", documents read, prepared batch)`` or
``("error", "Type: message")`` and then exits. Ends at the end of its stdin. Nothing here runs at import.
"""
from __future__ import annotations

import os
import pickle
import sys


def serve(inp, out) -> None:
    from sqlalchemy.orm import sessionmaker

    from indexing.tantivy_backend import prepare_batch

    from ..all_tables import import_all_tables
    from ..db import make_engine
    from .documents import DOCUMENTS

    database_url, specs = pickle.load(inp)
    import_all_tables()  # the mappers refer to each other's classes
    engine = make_engine(database_url)
    sessions = sessionmaker(engine)
    try:
        while True:
            try:
                name, lo, hi = pickle.load(inp)
            except EOFError:
                return
            try:
                with sessions() as session:
                    docs = list(DOCUMENTS[name](session, id_range=(lo, hi)))
                answer = ("ok", len(docs), prepare_batch(specs[name], docs))
            except Exception as exc:  # noqa: BLE001 - handed to the caller, which fails the rebuild with it
                pickle.dump(("error", f"{type(exc).__name__}: {exc}"[:1000]), out)
                out.flush()
                return
            pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    finally:
        engine.dispose()


def main() -> None:
    # answers go on a copy of stdout; whatever else prints (a library's warning) goes to stderr
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
