"""Bulk writes with SQLAlchemy Core (executemany in batches, explicit ids), portable SQLite/PostgreSQL."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, Table, func, insert, select, text

import matchmaker.contact.records  # noqa: F401  (contact_inquiries, contact_quotes in Base.metadata)
import matchmaker.orders.records  # noqa: F401  (orders and their figures)
import matchmaker.ranking.records  # noqa: F401  (ranking_serves in Base.metadata)
import matchmaker.ratings.records  # noqa: F401  (ratings, rating_scores)
from matchmaker.ranking import epoch
from matchmaker.records import Base

# Parents before children.
TABLE_ORDER = ("ownership_groups", "organizations", "associations", "memberships", "users", "maker_profiles",
               "maker_processes", "maker_product_lines", "maker_niches", "certificates", "buyer_profiles",
               "requirements", "outcome_events", "ranking_serves", "contact_inquiries", "contact_quotes", "orders",
               "order_agreed_dates", "order_milestones", "order_deliveries", "order_invoices", "order_payments",
               "ratings", "rating_scores")
BATCH = 10_000


def assert_empty(conn: Connection) -> None:
    for name in ("organizations", "users", "requirements", "outcome_events"):
        table = Base.metadata.tables[name]
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise ValueError(f"demo data needs an empty database, but table {name!r} has rows")


def write_all(conn: Connection, rows: dict[str, list[dict]],
              progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    counts = {}
    for name in TABLE_ORDER:
        data = rows.get(name, [])
        counts[name] = len(data)
        table = Base.metadata.tables[name]
        fast = _fast_inserter(conn, table)
        for start in range(0, len(data), BATCH):
            if fast:
                fast(data[start:start + BATCH])
            else:
                conn.execute(insert(table), data[start:start + BATCH])
            if progress:
                progress(f"write {name}", min(start + BATCH, len(data)), len(data))
    if conn.dialect.name == "postgresql":
        reset_sequences(conn)
    epoch.bump(conn)  # Core writes bypass the session's listeners: move the track-record epoch here
    return counts


def _fast_inserter(conn: Connection, table: Table) -> Callable[[list[dict]], None] | None:
    """executemany straight on the driver, with each column's own bind processor.

    Same values as Core ``insert()`` (the types convert dates and JSON for the
    dialect), without SQLAlchemy's per-row parameter bookkeeping. ``None`` when
    the driver's parameter style is not positional.
    """
    dialect = conn.dialect
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if mark is None:
        return None
    cols = list(table.c)
    q = dialect.identifier_preparer
    sql = (f"INSERT INTO {q.format_table(table)} ({', '.join(q.quote(c.name) for c in cols)}) "
           f"VALUES ({', '.join([mark] * len(cols))})")
    procs = [(i, c.type.dialect_impl(dialect).bind_processor(dialect)) for i, c in enumerate(cols)]
    procs = [(i, p) for i, p in procs if p is not None]
    names = [c.name for c in cols]
    # a column the generator does not know (added by a later migration) gets its scalar default, as insert() would
    defaults = {c.name: c.default.arg for c in cols if c.default is not None and c.default.is_scalar}

    def run(rows: list[dict]) -> None:
        params = []
        for row in rows:
            values = [row[n] if n in row else defaults.get(n) for n in names]
            for i, p in procs:
                values[i] = p(values[i])
            params.append(tuple(values))
        conn.exec_driver_sql(sql, params)
    return run


def reset_sequences(conn: Connection) -> None:
    """After explicit-id inserts, move each serial/identity sequence past the largest id (PostgreSQL)."""
    for name in TABLE_ORDER:
        table = Base.metadata.tables[name]
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT COUNT(*) > 0 FROM {table.name}))"), {"t": table.name})
